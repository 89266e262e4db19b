/**
 * Issue 13, scenario 1, through the real dynamic-provider host against the local Clerk: `adopt: true` never takes
 * over a user another resource owns.
 *
 * - Stack A creates alice@; stack B (another project and stack, its own host process and state) declares the same
 *   email with `adopt: true`: refused with `not_owner`, naming A's project, stack and resource and the exact
 *   `handOverFrom` step; B only read; A's user is exactly as it was; B's state holds nothing, its destroy deletes
 *   nothing; A carries on unaffected.
 * - Within one program, two resources adopting the same unmarked user: one takes it, the other is refused.
 */
import { ClerkUser } from "../../src";
import { startLocalClerk, type LocalClerk } from "../local-clerk";
import type { Stack } from "./support";
import { calls, entryOf, markerOf, onlyFailure, re, seedUser, stackOf, writes } from "./13-support";

let clerk: LocalClerk;
const stacks: Stack[] = [];
beforeAll(async () => {
  clerk = await startLocalClerk({ instanceId: "ins_scenario1" });
});
afterAll(() => clerk.close());
beforeEach(() => clerk.control.reset());
afterEach(async () => {
  for (const s of stacks.splice(0)) await s[Symbol.asyncDispose]();
});

async function stack(project: string, name: string, parallel?: number): Promise<Stack> {
  const s = await stackOf(clerk, project, name, parallel === undefined ? {} : { parallel });
  stacks.push(s);
  return s;
}

it("stack B's adopt of stack A's user is refused; A's user, A's state and B's destroy leave it untouched", async () => {
  const a = await stack("billing", "prod");
  const upA = await a.engine.up(() => {
    new ClerkUser("alice", { emailAddresses: ["alice@example.com"], firstName: "Alice", lastName: "Anders" });
  });
  expect(upA.failures).toEqual([]);
  const alice = entryOf(a, "alice");
  const ownerA = alice.outputs["ownerId"] as string;
  expect(ownerA).toMatch(/^own_[a-z2-7]{26}$/);
  expect(markerOf(clerk.control.getUser(alice.id))).toEqual({
    v: 2,
    project: "billing",
    stack: "prod",
    name: "alice",
    ownerId: ownerA,
    instanceId: "ins_scenario1",
    adopted: false,
  });
  const before = clerk.control.getUser(alice.id)!;

  // Stack B: another project and stack, another host process, its own (empty) state.
  const b = await stack("support", "qa");
  expect(b.host.pid).not.toBe(a.host.pid);
  clerk.control.clearRequests();
  const upB = await b.engine.up(() => {
    new ClerkUser("alice-admin", { emailAddresses: ["alice@example.com"], firstName: "Mallory", adopt: true });
  });
  const failure = onlyFailure(upB.failures);
  expect(failure).toMatchObject({ name: "alice-admin", op: "create" });
  expect(failure.message).toBe(
    `ClerkUser "alice-admin" (${alice.id}): create failed [not_owner]: refusing to touch user ${alice.id}: ` +
      `another resource manages it; its marker names project "billing", stack "prod", resource "alice" ` +
      `(owner ${ownerA}, instance ins_scenario1). If that owner is gone or you mean to take the user over, ` +
      `set \`handOverFrom: "${ownerA}"\` on this resource and run \`pulumi up\` again; otherwise change the identifiers`,
  );
  expect(upB.created).toBe(0);
  // B only looked: its identity, then the user by email. Nothing was written.
  expect(calls(clerk)).toEqual(["GET /v1/instance", "GET /v1/users"]);
  expect(clerk.control.requests()[1]!.query).toMatchObject({ email_address: ["alice@example.com"] });
  // A's user is exactly as it was: names, emails, marker, even updated_at.
  expect(clerk.control.getUser(alice.id)).toEqual(before);
  expect(clerk.control.users()).toHaveLength(1);
  // B's state holds no such resource, so its destroy deletes nothing and sends nothing.
  expect(b.engine.state()).toEqual([]);
  clerk.control.clearRequests();
  const destroyB = await b.engine.destroy();
  expect(destroyB).toMatchObject({ deleted: 0, retained: 0, failures: [] });
  expect(clerk.control.requests()).toEqual([]);
  expect(clerk.control.getUser(alice.id)).toEqual(before);

  // A is unaffected: no changes on its next up, and its state still names the same user and ownership.
  const againA = await a.engine.up(() => {
    new ClerkUser("alice", { emailAddresses: ["alice@example.com"], firstName: "Alice", lastName: "Anders" });
  });
  expect(againA).toMatchObject({ unchanged: 1, failures: [] });
  expect(entryOf(a, "alice")).toEqual(alice);
  expect(writes(clerk)).toEqual([]);
});

it("two resources of one program adopting the same unmarked user: one takes it, the other is refused", async () => {
  const shared = seedUser(clerk, { emails: ["shared@example.com"], firstName: "Shared", lastName: "Account" });
  const s = await stack("ops", "prod", 8);
  clerk.control.clearRequests();
  const up = await s.engine.up(() => {
    new ClerkUser("first", { emailAddresses: ["shared@example.com"], firstName: "One", adopt: true });
    new ClerkUser("second", { emailAddresses: ["shared@example.com"], firstName: "Two", adopt: true });
  });
  expect(up.created).toBe(1);
  const failure = onlyFailure(up.failures);
  const [winner] = s.engine.state();
  expect(winner!.id).toBe(shared.id);
  const loser = winner!.name === "first" ? "second" : "first";
  expect(failure).toMatchObject({ name: loser, op: "create" });
  // Either both found it unmarked (the in-process claim refuses the second) or the winner's marker was
  // already there when the loser looked (the marker refuses it): both are `not_owner` naming the winner.
  const ownerW = winner!.outputs["ownerId"] as string;
  const prefix = `ClerkUser "${loser}" (${shared.id}): create failed [not_owner]: `;
  expect(failure.message).toMatch(
    new RegExp(
      `^(${re(prefix)}resource "${winner!.name}" of this program already took user ${shared.id} over: ` +
        `two resources cannot manage one user; declare it once` +
        `|${re(prefix)}refusing to touch user ${shared.id}: another resource manages it; its marker names ` +
        `project "ops", stack "prod", resource "${winner!.name}" \\(owner ${ownerW}, instance ins_scenario1\\)\\. .*)$`,
    ),
  );
  // Clerk holds the one user, under the winner's marker, with the winner's first name; only the winner wrote.
  const held = clerk.control.getUser(shared.id)!;
  expect(clerk.control.users()).toHaveLength(1);
  expect(held.first_name).toBe(winner!.name === "first" ? "One" : "Two");
  expect(held.last_name).toBe("Account");
  expect(markerOf(held)).toEqual({
    v: 2,
    project: "ops",
    stack: "prod",
    name: winner!.name,
    ownerId: ownerW,
    instanceId: "ins_scenario1",
    adopted: true,
  });
  expect(writes(clerk)).toEqual(["PATCH /v1/users/user_X", "PUT /v1/users/user_X/metadata"]);
  expect(winner!.outputs["adopted"]).toBe(true);
});
