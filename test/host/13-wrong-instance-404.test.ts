/**
 * Issue 13, scenario 4, through the real dynamic-provider host against two local Clerk instances (`ins_localA`,
 * `ins_localB`, each with its own key): a 404 is believed only from the instance the state records.
 *
 * - The users live in A; the stack is then run with B's valid key and URL: refresh, update and destroy fail
 *   loudly with `instance_mismatch` naming both instance ids; state keeps every user, A keeps every user.
 * - State written before instance ids were recorded cannot prove a 404 unless `clerk:instanceId` pins the instance;
 *   a refresh that finds the user records its instance.
 * - `clerk:apiUrl` ending in `/v1`, `/v1/` or `/` works end to end, and no request goes to `/v1/v1/…`.
 */
import { ClerkUser } from "../../src";
import { startLocalClerkPair, type LocalClerk, type LocalClerkPair } from "../local-clerk";
import type { EngineSnapshot } from "../harness";
import type { Stack } from "./support";
import { writes } from "./13-support";
import { startStack } from "./support";

let pair: LocalClerkPair;
const stacks: Stack[] = [];
beforeAll(async () => {
  pair = await startLocalClerkPair();
});
afterAll(() => pair.close());
beforeEach(() => {
  pair.a.control.reset();
  pair.b.control.reset();
});
afterEach(async () => {
  for (const s of stacks.splice(0)) await s[Symbol.asyncDispose]();
});

async function stackOn(
  clerk: LocalClerk,
  opts: { state?: EngineSnapshot; config?: Record<string, string> } = {},
): Promise<Stack> {
  const s = await startStack({
    clerk,
    stack: "qa",
    ...(opts.config ? { config: opts.config } : {}),
    engine: opts.state ? { state: opts.state } : {},
  });
  stacks.push(s);
  return s;
}

const users =
  (n: number, firstName = "F") =>
  () => {
    for (let i = 0; i < n; i++) new ClerkUser(`u${i}`, { emailAddresses: [`u${i}@example.com`], firstName });
  };

/** Creates three users in A and returns the stack's state. */
async function threeUsersInA(): Promise<EngineSnapshot> {
  const a = await stackOn(pair.a);
  expect((await a.engine.up(users(3))).failures).toEqual([]);
  expect(a.engine.state().map((e) => e.outputs["instanceId"])).toEqual(["ins_localA", "ins_localA", "ins_localA"]);
  return a.engine.toJSON();
}

const mismatch = (name: string, id: string, op: string) =>
  `ClerkUser "${name}" (${id}): ${op} failed [instance_mismatch]: the state says Clerk instance ins_localA holds ` +
  "this user, but the secret key in use belongs to instance ins_localB: nothing was changed. " +
  "Set clerk:secretKey (and clerk:apiUrl) to ins_localA's";

it("with another instance's valid key: refresh, update and destroy fail loudly; state and Clerk keep every user", async () => {
  const state = await threeUsersInA();
  const inA = pair.a.control.users();
  pair.a.control.clearRequests();
  const b = await stackOn(pair.b, { state });
  const byName = (name: string) => state.resources.find((r) => r.name === name)!.id;
  const expectMismatch = (failures: { name: string; message: string }[], op: string) => {
    expect(failures.map((f) => f.name).sort()).toEqual(["u0", "u1", "u2"]);
    for (const f of failures) expect(f.message).toBe(mismatch(f.name, byName(f.name), op));
  };

  const refresh = await b.engine.refresh();
  expect(refresh).toMatchObject({ deleted: 0, updated: 0 });
  expectMismatch(refresh.failures, "read");
  expect(b.engine.toJSON()).toEqual(state);

  const up = await b.engine.up(users(3, "Changed"));
  expect(up.updated).toBe(0);
  expectMismatch(up.failures, "update");
  expect(b.engine.toJSON().resources.map((r) => r.outputs)).toEqual(state.resources.map((r) => r.outputs));

  const destroy = await b.engine.destroy();
  expect(destroy.deleted).toBe(0);
  expectMismatch(destroy.failures, "delete");
  expect(b.engine.toJSON().resources.map((r) => [r.id, r.outputs])).toEqual(
    state.resources.map((r) => [r.id, r.outputs]),
  );

  // A, which holds the users, was never asked anything and still holds them exactly; B wrote nothing.
  expect(pair.a.control.requests()).toEqual([]);
  expect(pair.a.control.users()).toEqual(inA);
  expect(pair.b.control.users()).toEqual([]);
  expect(pair.b.control.requests().filter((r) => r.method !== "GET" && r.status < 400)).toEqual([]);
  expect(pair.b.control.count({ path: "/v1/instance" })).toBe(1); // once per process
});

it("state from before instance ids: a 404 is not proof until clerk:instanceId pins the instance", async () => {
  const state = await threeUsersInA();
  // As an older release wrote it: no instanceId in any output.
  for (const r of state.resources) delete r.outputs["instanceId"];
  const [u0, u1] = state.resources;
  pair.a.control.removeUser(u0!.id);
  pair.a.control.removeUser(u1!.id);

  // Unpinned: the 404s of u0 and u1 cannot be believed; u2, found, learns its instance.
  const legacy = await stackOn(pair.a, { state });
  const refresh = await legacy.engine.refresh();
  expect(refresh.deleted).toBe(0);
  expect(refresh.failures.map((f) => f.name).sort()).toEqual(["u0", "u1"]);
  for (const f of refresh.failures) {
    const id = f.name === "u0" ? u0!.id : u1!.id;
    expect(f.message).toBe(
      `ClerkUser "${f.name}" (${id}): read failed [instance_mismatch]: Clerk 404 resource_not_found: ` +
        "Clerk instance ins_localA answers 404, but the state (written by an older release) does not record which " +
        'instance holds this user, so "gone" cannot be proven and nothing was changed. If ins_localA is this ' +
        "stack's instance, run `pulumi config set clerk:instanceId ins_localA` and try again",
    );
  }
  const after = legacy.engine.toJSON();
  expect(after.resources.map((r) => [r.name, r.outputs["instanceId"]])).toEqual([
    ["u0", undefined],
    ["u1", undefined],
    ["u2", "ins_localA"],
  ]);
  const destroyUnpinned = await legacy.engine.destroy();
  expect(destroyUnpinned.failures.map((f) => `${f.name} ${f.op} ${/\[(\w+)\]/.exec(f.message)?.[1]}`).sort()).toEqual([
    "u0 delete instance_mismatch",
    "u1 delete instance_mismatch",
  ]);
  expect(legacy.engine.state().map((r) => r.name)).toEqual(["u0", "u1"]);

  // Pinned to A while the key is B's: every operation fails, naming both.
  const wrongPin = await stackOn(pair.b, {
    state: legacy.engine.toJSON(),
    config: { "clerk:instanceId": "ins_localA" },
  });
  const refused = await wrongPin.engine.refresh();
  expect(refused.deleted).toBe(0);
  expect(refused.failures).toHaveLength(2);
  for (const f of refused.failures) {
    expect(f.message).toMatch(
      /\[instance_mismatch\]: the secret key belongs to Clerk instance ins_localB, but clerk:instanceId pins ins_localA/,
    );
  }

  // Pinned to A with A's key: the 404s are believed and refresh drops u0 and u1, writing nothing.
  const pinned = await stackOn(pair.a, { state: legacy.engine.toJSON(), config: { "clerk:instanceId": "ins_localA" } });
  pair.a.control.clearRequests();
  const r = await pinned.engine.refresh();
  expect(r).toMatchObject({ deleted: 2, failures: [] });
  expect(pinned.engine.state()).toEqual([]);
  expect(writes(pair.a)).toEqual([]);
});

it.each(["/v1", "/v1/", "/"])(
  "clerk:apiUrl ending in %j: up, refresh, update and destroy work; no /v1/v1",
  async (suffix) => {
    const s = await stackOn(pair.a, { config: { "clerk:apiUrl": `${pair.a.url}${suffix}` } });
    expect(await s.engine.up(users(2))).toMatchObject({ created: 2, failures: [] });
    expect(await s.engine.refresh()).toMatchObject({ unchanged: 2, deleted: 0, failures: [] });
    expect(await s.engine.up(users(2, "Changed"))).toMatchObject({ updated: 2, failures: [] });
    expect(pair.a.control.users().map((u) => u.first_name)).toEqual(["Changed", "Changed"]);
    expect(await s.engine.destroy()).toMatchObject({ deleted: 2, failures: [] });
    expect(pair.a.control.users()).toEqual([]);
    const paths = pair.a.control.requests().map((r) => r.path);
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.filter((p) => !/^\/v1\/(users|instance)(\/|$)/.test(p))).toEqual([]);
    expect(paths.filter((p) => p.startsWith("/v1/v1"))).toEqual([]);
    expect(pair.a.control.unhandled()).toEqual([]);
    expect(pair.a.control.requests().filter((r) => r.status === 404)).toEqual([]);
  },
);
