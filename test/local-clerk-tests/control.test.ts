import { startLocalClerk } from "../local-clerk";
import { CLOCK_START, clerkError, raw, startHarness, type Harness } from "./helpers";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ secretKeys: ["sk_test_first_key_abcd", "sk_test_second_key_wxyz"] });
});
afterAll(async () => {
  await h.server.close();
});
beforeEach(() => h.server.control.reset());

describe("request log", () => {
  it("records method, path, parsed query (arrays kept), redacted headers, body, status, userId", async () => {
    const u = await h.client.users.createUser({ emailAddress: ["log@example.com"] });
    await h.client.users.getUserList({ emailAddress: ["log@example.com"], limit: 5, orderBy: "-updated_at" });
    await raw(h.server, "GET", "/v1/users?user_id=a&user_id=b", { key: "sk_test_second_key_wxyz" });
    const entries = h.server.control.requests();
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    const list = entries.find((e) => e.path === "/v1/users" && e.method === "GET" && e.query["limit"] === "5")!;
    expect(list.query).toEqual({ email_address: ["log@example.com"], limit: "5", order_by: "-updated_at" });
    expect(entries[3]!.query).toEqual({ user_id: ["a", "b"] });
    expect(entries[3]!.headers["authorization"]).toBe("Bearer sk_…wxyz");
    expect(entries[0]!).toMatchObject({ userId: u.id, body: { email_address: ["log@example.com"] }, status: 200 });
    expect(entries[0]!.at).toBeGreaterThan(CLOCK_START); // the server's clock
    expect(entries[1]!.at).toBeGreaterThan(entries[0]!.at);
    expect(h.server.control.count({ method: "GET" })).toBe(3);
    expect(h.server.control.count({ path: /^\/v1\/users(\/count)?$/ })).toBe(4);
    h.server.control.clearRequests();
    expect(h.server.control.requests()).toEqual([]);
  });
});

describe("out-of-band changes", () => {
  it("putUser/patchUser/removeUser are visible to the SDK and keep the identifier index consistent", async () => {
    const seeded = h.server.control.putUser({
      first_name: "Seed",
      email_addresses: [
        {
          id: "idn_seed",
          email_address: "seed@example.com",
          verified: true,
          reserved: false,
          created_at: 1,
          updated_at: 1,
        },
      ],
      primary_email_address_id: "idn_seed",
    });
    expect((await h.client.users.getUser(seeded.id)).firstName).toBe("Seed");
    const dup = await clerkError(h.client.users.createUser({ emailAddress: ["seed@example.com"] }));
    expect(dup.errors[0]!.code).toBe("form_identifier_exists");
    const patched = h.server.control.patchUser(seeded.id, {
      email_addresses: [
        {
          id: "idn_seed2",
          email_address: "moved@example.com",
          verified: true,
          reserved: false,
          created_at: 1,
          updated_at: 1,
        },
      ],
      primary_email_address_id: "idn_seed2",
    });
    expect(patched.updated_at).toBeGreaterThan(seeded.updated_at);
    await h.client.users.createUser({ emailAddress: ["seed@example.com"] }); // released
    expect(() =>
      h.server.control.putUser({
        email_addresses: [
          {
            id: "idn_x",
            email_address: "MOVED@example.com",
            verified: true,
            reserved: false,
            created_at: 1,
            updated_at: 1,
          },
        ],
      }),
    ).toThrow(/already belongs/);
    expect(h.server.control.removeUser(seeded.id)).toBe(true);
    expect((await clerkError(h.client.users.getUser(seeded.id))).status).toBe(404);
  });

  it("accepts every configured key, and LocalClerk is AsyncDisposable", async () => {
    const second = await raw(h.server, "GET", "/v1/users/count", { key: "sk_test_second_key_wxyz" });
    expect(second.status).toBe(200);
    let url = "";
    {
      await using other = await startLocalClerk();
      url = other.url;
      expect(other.secretKey).toBe("sk_test_local_0000000000000000000000000000");
    }
    await expect(fetch(`${url}/__control/users`)).rejects.toThrow();
  });
});

describe("control over HTTP", () => {
  const post = (path: string, body: unknown) =>
    fetch(`${h.server.url}/__control${path}`, {
      method: "POST",
      body: JSON.stringify(body),
      headers: { "Content-Type": "application/json" },
    });

  it("users, faults (RegExp as {regex}), rate limit, quota, requests, reset — without the Clerk key", async () => {
    const put = await post("/users", { first_name: "Http", username: "httpuser" });
    const created = (await put.json()) as { id: string };
    expect(put.status).toBe(200);
    expect(((await (await fetch(`${h.server.url}/__control/users`)).json()) as unknown[]).length).toBe(1);
    expect((await fetch(`${h.server.url}/__control/users/${created.id}`)).status).toBe(200);

    await post("/faults", {
      match: { method: "GET", path: { regex: "^/v1/users/user_" } },
      times: 1,
      kind: "status",
      status: 500,
    });
    expect(((await (await fetch(`${h.server.url}/__control/faults`)).json()) as unknown[]).length).toBe(1);
    expect((await clerkError(h.client.users.getUser(created.id))).status).toBe(500);
    expect((await h.client.users.getUser(created.id)).username).toBe("httpuser");

    await post("/user-quota", { quota: 1 });
    expect((await clerkError(h.client.users.createUser({ emailAddress: ["q@example.com"] }))).status).toBe(403);
    await post("/user-quota", { quota: null });

    await post("/rate-limit", { requestsPer10s: 1 });
    await h.client.users.getCount();
    expect((await clerkError(h.client.users.getCount())).status).toBe(429);
    await post("/rate-limit", null);

    const count = (await (
      await fetch(`${h.server.url}/__control/requests/count?method=GET&pathRegex=^/v1/users`)
    ).json()) as { count: number };
    expect(count.count).toBe(4); // getUser x2, getCount x2
    const log = (await (await fetch(`${h.server.url}/__control/requests`)).json()) as Array<{ path: string }>;
    expect(log.some((e) => e.path.startsWith("/__control"))).toBe(false);
    expect((await fetch(`${h.server.url}/__control/requests`, { method: "DELETE" })).status).toBe(200);
    expect(h.server.control.requests()).toEqual([]);

    await post("/random-faults", { rate: 1, kinds: ["503"], seed: 1 });
    expect((await clerkError(h.client.users.getCount())).status).toBe(503);
    await post("/reset", {});
    expect(h.server.control.users()).toEqual([]);
    expect(await h.client.users.getCount()).toBe(0); // random faults cleared by reset

    const unknown = await fetch(`${h.server.url}/__control/nope`);
    expect(unknown.status).toBe(404);
    const stats = (await (await fetch(`${h.server.url}/__control/spec-stats`)).json()) as { totalMs: number };
    expect(stats.totalMs).toBeGreaterThan(0);
  });
});
