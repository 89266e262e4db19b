import { clerkError, raw, startHarness, type Harness } from "./helpers";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.server.close();
});
beforeEach(() => h.server.control.reset());

describe("injected faults", () => {
  it("status: answers a Clerk error, does not apply the request, is consumed after `times`", async () => {
    h.server.control.inject({ match: { method: "POST", path: "/v1/users" }, times: 2, kind: "status", status: 503 });
    for (let i = 0; i < 2; i++) {
      const err = await clerkError(h.client.users.createUser({ emailAddress: [`s${i}@example.com`] }));
      expect([err.status, err.errors[0]!.code]).toEqual([503, "maintenance_mode"]);
    }
    expect(h.server.control.users()).toHaveLength(0);
    await h.client.users.createUser({ emailAddress: ["s2@example.com"] });
    expect(h.server.control.requests().map((e) => [e.status, e.fault])).toEqual([
      [503, "status"],
      [503, "status"],
      [200, undefined],
    ]);
  });

  it("status 429 sets Retry-After, surfaced as err.retryAfter", async () => {
    h.server.control.inject({
      match: { path: /^\/v1\/users\/[^/]+$/ },
      times: 1,
      kind: "status",
      status: 429,
      retryAfterSeconds: 7,
    });
    const err = await clerkError(h.client.users.getUser("user_x"));
    expect([err.status, err.retryAfter, err.errors[0]!.code]).toEqual([429, 7, "too_many_requests"]);
  });

  it("reset: the socket dies before a response and nothing is applied", async () => {
    h.server.control.inject({ match: { method: "POST" }, times: 1, kind: "reset" });
    const err = await clerkError(h.client.users.createUser({ emailAddress: ["r@example.com"] }));
    // @clerk/backend 3.25 reports a dropped connection as a ClerkAPIResponseError without status (and errors: [])
    expect(err.status).toBeUndefined();
    expect(h.server.control.users()).toHaveLength(0);
    expect(h.server.control.requests()[0]).toMatchObject({ status: 0, fault: "reset" });
  });

  it("commitThenDrop: the write happens but the client never hears about it", async () => {
    h.server.control.inject({ match: { method: "POST", path: "/v1/users" }, times: 1, kind: "commitThenDrop" });
    const err = await clerkError(h.client.users.createUser({ emailAddress: ["c@example.com"], externalId: "ext-c" }));
    expect(err.status).toBeUndefined();
    const [stored] = h.server.control.users();
    expect(stored).toMatchObject({ external_id: "ext-c" });
    expect(h.server.control.requests()[0]).toMatchObject({ status: 200, fault: "commitThenDrop", userId: stored!.id });
    // a retry now collides, exactly as against Clerk
    const retry = await clerkError(h.client.users.createUser({ emailAddress: ["c@example.com"], externalId: "ext-c" }));
    expect(retry.errors[0]!.code).toBe("form_identifier_exists");
  });

  it("latency delays, then handles normally", async () => {
    h.server.control.inject({ times: 1, kind: "latency", ms: 200 });
    const t0 = performance.now();
    expect(await h.client.users.getCount()).toBe(0);
    // A lower bound the server's own sleep guarantees (timers never fire early), not a speed assertion.
    expect(performance.now() - t0).toBeGreaterThanOrEqual(190);
    expect(h.server.control.requests()[0]).toMatchObject({ status: 200, fault: "latency" });
  });

  it("faults are consumed in injection order, only by matching requests", async () => {
    h.server.control.inject({ match: { method: "DELETE" }, times: 1, kind: "status", status: 500 });
    h.server.control.inject({ times: 1, kind: "status", status: 502 });
    h.server.control.inject({ times: 1, kind: "status", status: 504 });
    expect((await clerkError(h.client.users.getCount())).status).toBe(502);
    expect((await clerkError(h.client.users.deleteUser("user_x"))).status).toBe(500);
    expect((await clerkError(h.client.users.getCount())).status).toBe(504);
    expect(await h.client.users.getCount()).toBe(0);
    expect(h.server.control.pendingFaults()).toEqual([]);
  });

  it("seeded random faults are reproducible and skip control requests", async () => {
    const run = async () => {
      h.server.control.reset();
      h.server.control.setRandomFaults({ rate: 0.5, kinds: ["429", "500", "503"], seed: 42 });
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) {
        statuses.push((await raw(h.server, "GET", "/v1/users/count")).status);
        await fetch(`${h.server.url}/__control/users`); // never faulted, never consumes randomness
      }
      return statuses;
    };
    const first = await run();
    expect(await run()).toEqual(first);
    expect(first.filter((s) => s !== 200).length).toBeGreaterThan(3);
    expect(first.filter((s) => s === 200).length).toBeGreaterThan(3);
    h.server.control.setRandomFaults(null);
  });
});

describe("rate limiting", () => {
  it("instance window: 429 + Retry-After, not applied, logged", async () => {
    h.server.control.setRateLimit({ requestsPer10s: 3 });
    for (let i = 0; i < 3; i++) await h.client.users.createUser({ emailAddress: [`rl${i}@example.com`] });
    const err = await clerkError(h.client.users.createUser({ emailAddress: ["rl3@example.com"] }));
    expect(err.status).toBe(429);
    expect(err.errors[0]!.code).toBe("too_many_requests");
    expect(err.retryAfter).toBeGreaterThanOrEqual(1);
    expect(err.retryAfter).toBeLessThanOrEqual(10);
    expect(h.server.control.users()).toHaveLength(3);
    expect(h.server.control.count({ method: "POST", path: "/v1/users" })).toBe(4);
    expect(h.server.control.requests()[3]).toMatchObject({ status: 429, errorCode: "too_many_requests" });
    const wire = await raw(h.server, "GET", "/v1/users/count");
    expect(wire.status).toBe(429);
    expect(wire.headers.get("retry-after")).toMatch(/^\d+$/);
  });
});

describe("rate limiting with an injected clock", () => {
  let clock = 1_700_000_000_000;
  let hc: Harness;
  beforeAll(async () => {
    hc = await startHarness({ now: () => clock, rateLimit: { requestsPer10s: 100, perUserWritesPer10s: 2 } });
  });
  afterAll(async () => {
    await hc.server.close();
  });

  it("per-user writes: PATCH user + metadata share a 10 s window per user; Retry-After counts down", async () => {
    const a = await hc.client.users.createUser({ emailAddress: ["a@example.com"] });
    const b = await hc.client.users.createUser({ emailAddress: ["b@example.com"] });
    await hc.client.users.updateUser(a.id, { firstName: "A" });
    clock += 3_000;
    await hc.client.users.updateUserMetadata(a.id, { publicMetadata: { x: 1 } });
    clock += 1_000;
    const err = await clerkError(hc.client.users.replaceUserMetadata(a.id, { publicMetadata: {} }));
    expect([err.status, err.retryAfter]).toEqual([429, 6]); // first write at t, now t+4s
    expect(hc.server.control.getUser(a.id)!.public_metadata).toEqual({ x: 1 });
    await hc.client.users.updateUser(b.id, { firstName: "B" }); // other user unaffected
    await hc.client.users.getUser(a.id); // reads unaffected
    clock += 5_500;
    const again = await clerkError(hc.client.users.updateUser(a.id, { firstName: "A2" }));
    expect(again.retryAfter).toBe(1); // 0.5 s left rounds up to 1
    clock += 600;
    await hc.client.users.updateUser(a.id, { firstName: "A3" });
    expect(hc.server.control.getUser(a.id)!.updated_at).toBe(clock);
  });
});
