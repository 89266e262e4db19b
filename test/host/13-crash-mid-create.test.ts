/**
 * Issue 13, "keep the crash case recoverable", through the real dynamic-provider host against the local Clerk:
 * the host process is killed (SIGKILL) after Clerk committed the user and before the create returned, so the
 * engine saves no id. The next `up` runs in a NEW host process with EMPTY state: it mints another ownership id,
 * meets a user whose marker names this very resource with the old one, and stops with `not_owner`, naming the user,
 * its marker and the exact `handOverFrom` step. No duplicate, no silent takeover. With that `handOverFrom` set,
 * the `up` takes the same user back.
 */
import { ClerkUser } from "../../src";
import { startLocalClerk, type LocalClerk } from "../local-clerk";
import type { Stack } from "./support";
import { calls, entryOf, handOverFromIn, markerOf, onlyFailure, stackOf, writes } from "./13-support";

let clerk: LocalClerk;
const stacks: Stack[] = [];
beforeAll(async () => {
  clerk = await startLocalClerk({ instanceId: "ins_crash" });
});
afterAll(() => clerk.close());
afterEach(async () => {
  for (const s of stacks.splice(0)) await s[Symbol.asyncDispose]();
});

async function stack(): Promise<Stack> {
  // A long retry budget: the first host must still be retrying when it is killed.
  const s = await stackOf(clerk, "pulumi-clerk", "qa", { env: { CLERK_RETRY_TIMEOUT_SECONDS: "120" } });
  stacks.push(s);
  return s;
}

const program =
  (extra: Record<string, unknown> = {}) =>
  () => {
    new ClerkUser("qa-admin", { emailAddresses: ["qa-admin@example.com"], firstName: "Quinn", ...extra });
  };

async function until(what: string, ok: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

it("killed after Clerk created the user: the next up (new process, empty state) refuses with the handOverFrom step, which takes the same user back", async () => {
  // Clerk commits the first POST /users and drops the answer; every later attempt (the retried POST, a lookup)
  // has its connection reset, so the create cannot return while the test watches.
  clerk.control.inject({ match: { method: "POST", path: "/v1/users" }, times: 1, kind: "commitThenDrop" });
  clerk.control.inject({ match: { method: "POST", path: "/v1/users" }, times: 1000, kind: "reset" });
  clerk.control.inject({ match: { method: "GET", path: "/v1/users" }, times: 1000, kind: "reset" });

  const crashed = await stack();
  let settled = false;
  const inFlight = crashed.engine.up(program()).finally(() => (settled = true));
  await until("Clerk to commit the user", () => clerk.control.users().length === 1);
  expect(settled).toBe(false); // the create has not returned
  process.kill(crashed.host.pid, "SIGKILL");
  const up = await inFlight;
  await until("the host to exit", () => crashed.host.exited());
  expect(onlyFailure(up.failures)).toMatchObject({ name: "qa-admin", op: "create" });
  expect(up.created).toBe(0);
  // The engine saved no id: at most a pending create, which the next up cannot use.
  expect(crashed.engine.state()).toEqual([]);
  clerk.control.clearFaults();

  const [orphan] = clerk.control.users();
  const orphanMarker = markerOf(orphan)!;
  expect(orphanMarker).toEqual({
    v: 2,
    project: "pulumi-clerk",
    stack: "qa",
    name: "qa-admin",
    ownerId: expect.stringMatching(/^own_[a-z2-7]{26}$/),
    instanceId: "ins_crash",
    adopted: false,
  });
  const before = clerk.control.getUser(orphan!.id)!;

  // The next up: a new host process, empty state.
  const next = await stack();
  expect(next.host.pid).not.toBe(crashed.host.pid);
  expect(next.engine.state()).toEqual([]);
  clerk.control.clearRequests();
  const refused = await next.engine.up(program());
  const failure = onlyFailure(refused.failures);
  expect(failure).toMatchObject({ name: "qa-admin", op: "create" });
  expect(failure.message).toBe(
    `ClerkUser "qa-admin" (${orphan!.id}): create failed [not_owner]: refusing to touch user ${orphan!.id}: ` +
      "its marker names this resource but carries another ownership id: it was created by a run whose state " +
      "was never saved (a crash mid-create), or by a stack of the same names in another state backend; " +
      `its marker names project "pulumi-clerk", stack "qa", resource "qa-admin" (owner ${orphanMarker["ownerId"]}, ` +
      "instance ins_crash). If that owner is gone or you mean to take the user over, set " +
      `\`handOverFrom: "${orphanMarker["ownerId"]}"\` on this resource and run \`pulumi up\` again; ` +
      "otherwise change the identifiers",
  );
  // No duplicate and no takeover: Clerk refused the POST (422), the user is exactly as the crash left it.
  expect(calls(clerk)).toEqual(["GET /v1/instance", "POST /v1/users", "GET /v1/users"]);
  expect(clerk.control.requests()[1]).toMatchObject({ status: 422, errorCode: "form_identifier_exists" });
  expect(clerk.control.users()).toEqual([before]);
  expect(next.engine.state()).toEqual([]);

  // The explicit step from the message takes the same user back.
  clerk.control.clearRequests();
  const taken = await next.engine.up(program({ handOverFrom: handOverFromIn(failure.message) }));
  expect(taken).toMatchObject({ created: 1, failures: [] });
  const entry = entryOf(next, "qa-admin");
  expect(entry.id).toBe(orphan!.id);
  expect(clerk.control.users().map((u) => u.id)).toEqual([orphan!.id]);
  expect(entry.outputs["ownerId"]).not.toBe(orphanMarker["ownerId"]);
  expect(markerOf(clerk.control.getUser(orphan!.id))).toEqual({
    ...orphanMarker,
    ownerId: entry.outputs["ownerId"],
  });
  expect(entry.outputs).toMatchObject({ adopted: false, instanceId: "ins_crash", firstName: "Quinn" });
  // Nothing but the marker changed: the user already was what the program declares.
  expect(writes(clerk)).toEqual(["POST /v1/users", "PUT /v1/users/user_X/metadata"]);

  // From now on it is this stack's user like any other: destroy deletes it.
  expect(await next.engine.destroy()).toMatchObject({ deleted: 1, failures: [] });
  expect(clerk.control.users()).toEqual([]);
});
