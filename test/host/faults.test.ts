/**
 * Fault injection through the real dynamic-provider host: Clerk throttling, failing and dropping
 * connections. The outcome that matters is always the same: no user leaked, duplicated or dropped from state.
 */
import { ClerkUser } from "../../src";
import { startStack, type Stack } from "./support";

let s: Stack | undefined;
afterEach(async () => {
  await s?.[Symbol.asyncDispose]();
  s = undefined;
});

const users =
  (n: number, prefix = "u", extra: Record<string, unknown> = {}) =>
  () => {
    for (let i = 0; i < n; i++) {
      new ClerkUser(`${prefix}${i}`, { emailAddresses: [`${prefix}${i}@example.com`], firstName: `F${i}`, ...extra });
    }
  };

/** Every user in Clerk is in state, once, under the id state holds; nothing else is in Clerk. */
function expectConsistent(stack: Stack, n: number): void {
  const state = stack.engine.state();
  const clerkUsers = stack.clerk.control.users();
  expect(state).toHaveLength(n);
  expect(clerkUsers).toHaveLength(n);
  expect(new Set(state.map((e) => e.id))).toEqual(new Set(clerkUsers.map((u) => u.id)));
  const emails = clerkUsers.flatMap((u) => u.email_addresses.map((e) => e.email_address));
  expect(new Set(emails).size).toBe(emails.length);
}

it("429 storm: waits for Retry-After, pausing the whole instance, and completes", async () => {
  s = await startStack({ env: { CLERK_MAX_REQUESTS_PER_10S: "100000" } });
  s.clerk.control.inject({
    match: { method: "POST", path: "/v1/users" },
    times: 3,
    kind: "status",
    status: 429,
    retryAfterSeconds: 2,
  });
  const t0 = Date.now();
  const up = await s.engine.up(users(5));
  const elapsed = Date.now() - t0;
  expect(up.failures).toEqual([]);
  expect(elapsed).toBeGreaterThanOrEqual(2000); // not a speed assertion: Retry-After was honoured
  expect(s.clerk.control.count({ method: "POST", path: "/v1/users" })).toBe(5 + 3);
  expectConsistent(s, 5);
  // Each retry was announced through Pulumi's log, with the reason and the wait.
  expect(s.host.stdout() + s.host.stderr()).toMatch(/Clerk POST \/users: 429 Too Many Requests, retrying in 2\.0 s/);
});

it("503s and socket resets on every operation: create, refresh, update and delete all complete", async () => {
  s = await startStack({ env: { CLERK_MAX_REQUESTS_PER_10S: "100000" } });
  const { clerk, engine } = s;
  const inject = (method: string, path: RegExp) => {
    clerk.control.inject({ match: { method, path }, times: 1, kind: "status", status: 503 });
    clerk.control.inject({ match: { method, path }, times: 1, kind: "reset" });
  };
  inject("POST", /^\/v1\/users$/);
  expect((await engine.up(users(3))).failures).toEqual([]);
  expectConsistent(s, 3);
  inject("GET", /^\/v1\/users$/);
  const refresh = await engine.refresh();
  expect(refresh.failures).toEqual([]);
  expect(refresh.deleted).toBe(0);
  inject("GET", /^\/v1\/users\/user_/);
  inject("PATCH", /^\/v1\/users\/user_/);
  expect((await engine.up(users(3, "u", { lastName: "Changed" }))).failures).toEqual([]);
  expect(clerk.control.users().map((u) => u.last_name)).toEqual(["Changed", "Changed", "Changed"]);
  inject("DELETE", /^\/v1\/users\/user_/);
  expect((await engine.destroy()).failures).toEqual([]);
  expect(clerk.control.users()).toEqual([]);
  expect(clerk.control.pendingFaults()).toEqual([]);
});

it("a persistent 500 on read is an error, never 'gone': the resource stays in state", async () => {
  s = await startStack({ env: { CLERK_MAX_REQUESTS_PER_10S: "100000", CLERK_RETRY_TIMEOUT_SECONDS: "2" } });
  await s.engine.up(users(1));
  s.clerk.control.inject({ match: { method: "GET" }, times: 1000, kind: "status", status: 500 });
  const refresh = await s.engine.refresh();
  expect(refresh.deleted).toBe(0);
  expect(refresh.failures).toHaveLength(1);
  expect(refresh.failures[0]!.message).toMatch(
    /ClerkUser "u0" \(user_\w+\): read failed \[retry_budget_exhausted\]: Clerk 500/,
  );
  expect(s.engine.state()).toHaveLength(1);
});

it("commit-then-drop on create: exactly one user, holding the id create returned", async () => {
  s = await startStack({ env: { CLERK_MAX_REQUESTS_PER_10S: "100000" } });
  s.clerk.control.inject({ match: { method: "POST", path: "/v1/users" }, times: 2, kind: "commitThenDrop" });
  const up = await s.engine.up(users(2));
  expect(up.failures).toEqual([]);
  expectConsistent(s, 2);
});
