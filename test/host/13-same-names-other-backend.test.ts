/**
 * Issue 13, scenario 2, through the real dynamic-provider host against the local Clerk: two teams with separate
 * state backends, both using the root project (`pulumi-clerk`), stack `qa`, resource `qa-admin`.
 *
 * The second team's `up` meets `form_identifier_exists`; the user's marker names the very same project, stack and
 * resource but another ownership id, so it is refused with `not_owner` and the exact `handOverFrom` step, and the
 * first team's user is untouched. Setting that `handOverFrom` takes the user over deliberately: the marker then
 * carries the second team's ownership id, and the first team can no longer update or delete it.
 */
import { ClerkUser } from "../../src";
import { startLocalClerk, type LocalClerk } from "../local-clerk";
import type { Stack } from "./support";
import { calls, entryOf, handOverFromIn, hostOutput, markerOf, onlyFailure, stackOf, writes } from "./13-support";

let clerk: LocalClerk;
const stacks: Stack[] = [];
beforeAll(async () => {
  clerk = await startLocalClerk({ instanceId: "ins_scenario2" });
});
afterAll(() => clerk.close());
afterEach(async () => {
  for (const s of stacks.splice(0)) await s[Symbol.asyncDispose]();
});

/** One team's `pulumi-clerk` / `qa` stack: its own host process and its own (in-memory) state backend. */
async function team(): Promise<Stack> {
  const s = await stackOf(clerk, "pulumi-clerk", "qa");
  stacks.push(s);
  return s;
}

const qaAdmin =
  (firstName: string, extra: Record<string, unknown> = {}) =>
  () => {
    new ClerkUser("qa-admin", { emailAddresses: ["qa-admin@example.com"], firstName, ...extra });
  };

it("the second backend is refused with the handOverFrom step; the hand-over then takes the user deliberately", async () => {
  const one = await team();
  expect((await one.engine.up(qaAdmin("Team One"))).failures).toEqual([]);
  const first = entryOf(one, "qa-admin");
  const ownerOne = first.outputs["ownerId"] as string;
  const before = clerk.control.getUser(first.id)!;

  // Team two: same project, stack and resource name, another backend (empty state), another host process.
  const two = await team();
  clerk.control.clearRequests();
  const refused = await two.engine.up(qaAdmin("Team Two"));
  const failure = onlyFailure(refused.failures);
  expect(failure).toMatchObject({ name: "qa-admin", op: "create" });
  expect(failure.message).toBe(
    `ClerkUser "qa-admin" (${first.id}): create failed [not_owner]: refusing to touch user ${first.id}: ` +
      "its marker names this resource but carries another ownership id: it was created by a run whose state " +
      "was never saved (a crash mid-create), or by a stack of the same names in another state backend; " +
      `its marker names project "pulumi-clerk", stack "qa", resource "qa-admin" (owner ${ownerOne}, ` +
      "instance ins_scenario2). If that owner is gone or you mean to take the user over, set " +
      `\`handOverFrom: "${ownerOne}"\` on this resource and run \`pulumi up\` again; otherwise change the identifiers`,
  );
  // The create was refused by Clerk (422), the user looked up, nothing written.
  expect(calls(clerk)).toEqual(["GET /v1/instance", "POST /v1/users", "GET /v1/users"]);
  expect(clerk.control.requests()[1]).toMatchObject({ status: 422, errorCode: "form_identifier_exists" });
  expect(clerk.control.getUser(first.id)).toEqual(before);
  expect(clerk.control.users()).toHaveLength(1);
  expect(two.engine.state()).toEqual([]);

  // The explicit step, copied from the refusal, hands the user over.
  const handOverFrom = handOverFromIn(failure.message)!;
  expect(handOverFrom).toBe(ownerOne);
  clerk.control.clearRequests();
  const taken = await two.engine.up(qaAdmin("Team Two", { handOverFrom }));
  expect(taken).toMatchObject({ created: 1, failures: [] });
  const second = entryOf(two, "qa-admin");
  const ownerTwo = second.outputs["ownerId"] as string;
  expect(second.id).toBe(first.id);
  expect(ownerTwo).toMatch(/^own_[a-z2-7]{26}$/);
  expect(ownerTwo).not.toBe(ownerOne);
  expect(second.outputs).toMatchObject({ instanceId: "ins_scenario2", adopted: false, firstName: "Team Two" });
  const after = clerk.control.getUser(first.id)!;
  expect(after.first_name).toBe("Team Two");
  // The user keeps its provenance: team one created it, so it is still "created", now under team two's id.
  expect(markerOf(after)).toEqual({
    v: 2,
    project: "pulumi-clerk",
    stack: "qa",
    name: "qa-admin",
    ownerId: ownerTwo,
    instanceId: "ins_scenario2",
    adopted: false,
  });
  expect(writes(clerk)).toEqual(["POST /v1/users", "PATCH /v1/users/user_X", "PUT /v1/users/user_X/metadata"]);
  const [patch, put] = clerk.control.requests().filter((r) => r.method === "PATCH" || r.method === "PUT");
  expect(patch!.body).toEqual({ first_name: "Team Two" });
  expect(put!.body).toEqual({ private_metadata: { pulumiClerk: markerOf(after) } });
  expect(clerk.control.users()).toHaveLength(1);

  // Team one has let go: its update and its destroy are refused, and the user stays.
  clerk.control.clearRequests();
  const oneUpdate = await one.engine.up(qaAdmin("Team One again"));
  const updateFailure = onlyFailure(oneUpdate.failures);
  expect(updateFailure).toMatchObject({ name: "qa-admin", op: "update" });
  expect(updateFailure.message).toMatch(
    new RegExp(
      `^ClerkUser "qa-admin" \\(${first.id}\\): update failed \\[not_owner\\]: refusing to touch user ${first.id}: .*` +
        `\\(owner ${ownerTwo}, instance ins_scenario2\\)`,
    ),
  );
  const oneDestroy = await one.engine.destroy();
  expect(oneDestroy.deleted).toBe(0);
  expect(onlyFailure(oneDestroy.failures).message).toMatch(
    new RegExp(`^ClerkUser "qa-admin" \\(${first.id}\\): delete failed \\[not_owner\\]: .*\\(owner ${ownerTwo},`),
  );
  expect(writes(clerk)).toEqual([]);
  expect(clerk.control.getUser(first.id)!.first_name).toBe("Team Two");

  // Team two owns it now: its destroy deletes it.
  expect(await two.engine.destroy()).toMatchObject({ deleted: 1, failures: [] });
  expect(clerk.control.users()).toEqual([]);
});

it("the hand-over's warning names exactly the fields it changes, and does not claim undeclared fields stay", async () => {
  // A created user handed over stays "created": the new owner's program is its whole truth, so the lastName
  // team one set and team two does not declare is cleared. The marker is the provider's own bookkeeping (the
  // state's privateMetadata never shows it), so writing it changes no field of the program.
  const one = await team();
  expect((await one.engine.up(qaAdmin("Team One", { lastName: "One" }))).failures).toEqual([]);
  const first = entryOf(one, "qa-admin");
  const two = await team();
  const taken = await two.engine.up(qaAdmin("Team Two", { handOverFrom: first.outputs["ownerId"] }));
  expect(taken).toMatchObject({ created: 1, failures: [] });
  expect(clerk.control.getUser(first.id)).toMatchObject({ first_name: "Team Two", last_name: null });
  const warnings = hostOutput(two)
    .split("\n")
    .filter((l) => l.includes("took over existing user"));
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toContain(
    `ClerkUser "qa-admin": took over existing user ${first.id}; this changes firstName, lastName`,
  );
  expect(warnings[0]).not.toContain("privateMetadata");
  expect(warnings[0]).not.toContain("fields the program does not declare are left as they are");
  await two.engine.destroy();
});
