/**
 * Host conformance: ClerkUser through Pulumi's real dynamic-provider host, driven like `pulumi up`, against
 * the local Clerk. Follows pulumi/pulumi's integration sequence: up, up again (no changes), refresh (no
 * changes), edits, out-of-band drift, destroy.
 *
 * Not proven here: the Go engine's own bookkeeping (the harness mimics it) — see the opt-in CLI suite.
 */
import { ClerkUser } from "../../src";
import { MARKER_KEY } from "../../src/marker/managedByMarker";
import { startStack, type Stack } from "./support";

const URN = "urn:pulumi:test::pulumi-clerk::pulumi-nodejs:dynamic/clerk:User::qa-admin";

let s: Stack;
afterEach(async () => s && (await s[Symbol.asyncDispose]()));

function program(args: Record<string, unknown>) {
  return () => {
    new ClerkUser("qa-admin", args);
  };
}

const base = {
  emailAddresses: ["qa-admin@example.com"],
  firstName: "Quinn",
  lastName: "Admin",
  password: "correct-horse-battery",
  publicMetadata: { role: "admin", team: "qa" },
  privateMetadata: { ticket: "QA-1" },
};

it("create → no-op → in-place updates → drift → out-of-band delete → delete twice", async () => {
  s = await startStack();
  const { engine, clerk } = s;

  // up: one POST /users with exactly the declared body (plus the managed-by marker).
  const first = await engine.up(program(base));
  expect(first.failures).toEqual([]);
  expect(first.created).toBe(1);
  const posts = clerk.control.requests().filter((r) => r.method === "POST" && r.path === "/v1/users");
  expect(posts).toHaveLength(1);
  expect(posts[0]!.body).toEqual({
    email_address: ["qa-admin@example.com"],
    first_name: "Quinn",
    last_name: "Admin",
    password: "correct-horse-battery",
    public_metadata: { role: "admin", team: "qa" },
    private_metadata: {
      ticket: "QA-1",
      [MARKER_KEY]: {
        v: 2,
        project: "pulumi-clerk",
        stack: "test",
        name: "qa-admin",
        ownerId: expect.stringMatching(/^own_[a-z2-7]{26}$/),
        instanceId: clerk.instanceId,
        adopted: false,
      },
    },
  });
  const [entry] = engine.state();
  const id = entry!.id;
  expect(id).toMatch(/^user_[A-Za-z0-9]{27}$/);
  expect(entry!.outputs["userId"]).toBe(id);
  const stored = clerk.control.getUser(id)!;
  expect(stored.password).toBe("correct-horse-battery");
  expect(entry!.outputs["primaryEmailAddressId"]).toBe(stored.primary_email_address_id);
  expect(entry!.outputs["createdAt"]).toBe(new Date(stored.created_at).toISOString());
  expect(entry!.outputs["privateMetadata"]).toEqual({ ticket: "QA-1" });

  // up again: no changes, no writes.
  clerk.control.clearRequests();
  const again = await engine.up(program(base));
  expect(again.unchanged).toBe(1);
  expect(clerk.control.requests()).toEqual([]);

  // refresh: no drift, one batched list request.
  const refreshed = await engine.refresh();
  expect(refreshed.unchanged).toBe(1);
  expect(refreshed.updated).toBe(0);
  expect(clerk.control.requests().map((r) => `${r.method} ${r.path}`)).toEqual(["GET /v1/users"]);
  expect((await engine.up(program(base))).unchanged).toBe(1);

  // Edits: names, metadata with a removed key, email change, ban — all in place, same id.
  clerk.control.clearRequests();
  const edited = {
    ...base,
    emailAddresses: ["qa-lead@example.com"],
    firstName: "Quincy",
    publicMetadata: { role: "lead" },
    banned: true,
  };
  const upd = await engine.up(program(edited));
  expect(upd.failures).toEqual([]);
  expect(upd.updated).toBe(1);
  expect(engine.state()[0]!.id).toBe(id);
  const after = clerk.control.getUser(id)!;
  expect(after.first_name).toBe("Quincy");
  expect(after.public_metadata).toEqual({ role: "lead" }); // "team" removed, not merged
  expect(after.email_addresses.map((e) => e.email_address)).toEqual(["qa-lead@example.com"]);
  expect(after.primary_email_address_id).toBe(after.email_addresses[0]!.id);
  expect(after.banned).toBe(true);
  const writes = clerk.control.requests().map((r) => `${r.method} ${r.path.replace(/(user|idn)_\w+/g, "$1_X")}`);
  expect(writes).toEqual([
    "GET /v1/users/user_X",
    "POST /v1/email_addresses",
    "PATCH /v1/users/user_X",
    "PUT /v1/users/user_X/metadata",
    "DELETE /v1/email_addresses/idn_X",
    "POST /v1/users/user_X/ban", // returns the user: no extra GET
  ]);
  const patch = clerk.control.requests().find((r) => r.method === "PATCH")!;
  expect(patch.body).toEqual({ first_name: "Quincy" });
  const put = clerk.control.requests().find((r) => r.method === "PUT")!;
  expect(put.body).toEqual({ public_metadata: { role: "lead" } });
  expect((await engine.up(program(edited))).unchanged).toBe(1);

  // Out-of-band drift: the dashboard renames the user; refresh sees it, up reverts it.
  clerk.control.patchUser(id, { last_name: "Dashboard" });
  const drift = await engine.refresh();
  expect(drift.updated).toBe(1);
  expect(engine.state()[0]!.inputs["lastName"]).toBe("Dashboard");
  const revert = await engine.up(program(edited));
  expect(revert.updated).toBe(1);
  expect(clerk.control.getUser(id)!.last_name).toBe("Admin");

  // Out-of-band delete: refresh drops the resource (definite 404), nothing else.
  clerk.control.removeUser(id);
  clerk.control.clearRequests();
  const gone = await engine.refresh();
  expect(gone.deleted).toBe(1);
  expect(engine.state()).toEqual([]);
  // The batch missed it, so a direct GET confirmed the 404 before the state was dropped.
  expect(clerk.control.requests().map((r) => `${r.method} ${r.path.replace(/user_\w+/, "user_X")}`)).toEqual([
    "GET /v1/users",
    "GET /v1/users/user_X",
  ]);

  // Re-create, then destroy; a second delete of the same id is success (404 = already gone).
  await engine.up(program(base));
  const [again2] = engine.state();
  const destroyed = await engine.destroy();
  expect(destroyed.failures).toEqual([]);
  expect(clerk.control.users()).toEqual([]);
  await expect(s.host.delete(again2!.id, URN, again2!.outputs)).resolves.toBeUndefined();
});
