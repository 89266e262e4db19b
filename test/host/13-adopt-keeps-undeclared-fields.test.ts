/**
 * Issue 13, scenario 6, through the real dynamic-provider host against the local Clerk: adoption leaves what the
 * program does not declare (decision 0011), logs one warning naming the fields it changes, and never resets a
 * real person's password.
 *
 * The rule: every field Clerk holds is managed only when the program declares it; a declared field is made to
 * match, so a declared `emailAddresses` list is the full list. The private metadata keeps its keys beside the
 * marker.
 */
import { ClerkUser } from "../../src";
import { CheckFailedError } from "../harness";
import { startLocalClerk, type LocalClerk, type StoredUser } from "../local-clerk";
import type { Stack } from "./support";
import { emailsOf, entryOf, hostOutput, markerOf, seedUser, stackOf, writes } from "./13-support";

let clerk: LocalClerk;
let s: Stack | undefined;
beforeAll(async () => {
  clerk = await startLocalClerk({ instanceId: "ins_scenario6" });
});
afterAll(() => clerk.close());
beforeEach(() => clerk.control.reset());
afterEach(async () => {
  await s?.[Symbol.asyncDispose]();
  s = undefined;
});

/** Alice as a person made her: two emails, names, username, externalId, her app's metadata, her own password. */
function seedAlice(): StoredUser {
  return seedUser(clerk, {
    emails: ["alice@example.com", "alice.alt@example.com"],
    firstName: "Alice",
    lastName: "Liddell",
    username: "alice",
    externalId: "ext-alice",
    publicMetadata: { plan: "pro" },
    privateMetadata: { stripeCustomerId: "cus_123" },
    password: "her-own-password",
    ageMs: 90 * 86_400_000,
  });
}

/** Every field of Alice except those listed, as Clerk holds them. */
function untouched(user: StoredUser) {
  const { pulumiClerk: _marker, ...privateMetadata } = user.private_metadata;
  return {
    first_name: user.first_name,
    last_name: user.last_name,
    username: user.username,
    external_id: user.external_id,
    public_metadata: user.public_metadata,
    privateMetadata,
    password: user.password,
  };
}

const warningsOf = (stack: Stack): string[] =>
  hostOutput(stack)
    .split("\n")
    .filter((l) => l.includes("took over existing user"))
    .map((l) => l.replace(/^.*?(ClerkUser ")/, "$1"));

const adoptProgram = (args: Record<string, unknown>) => () => {
  new ClerkUser("alice", { ...args, adopt: true });
};

it("adopting with only an email keeps names, username, externalId and metadata; the warning names what changes", async () => {
  const alice = seedAlice();
  s = await stackOf(clerk, "app", "prod");
  clerk.control.clearRequests();
  const program = adoptProgram({ emailAddresses: ["alice@example.com"] });
  expect(await s.engine.up(program)).toMatchObject({ created: 1, failures: [] });
  const entry = entryOf(s, "alice");
  expect(entry.id).toBe(alice.id);
  expect(entry.outputs).toMatchObject({ adopted: true, instanceId: "ins_scenario6" });

  const after = clerk.control.getUser(alice.id)!;
  expect(untouched(after)).toEqual(untouched(alice));
  // On an adopted user a declared list is additive (decision 0011): the second address stays.
  expect(emailsOf(after)).toEqual(["alice@example.com", "alice.alt@example.com"]);
  expect(markerOf(after)).toEqual({
    v: 2,
    project: "app",
    stack: "prod",
    name: "alice",
    ownerId: entry.outputs["ownerId"],
    instanceId: "ins_scenario6",
    adopted: true,
  });
  // Only the marker (beside stripeCustomerId) was written: no PATCH, no identification call.
  expect(writes(clerk)).toEqual(["PUT /v1/users/user_X/metadata"]);
  expect(clerk.control.requests().find((r) => r.method === "PUT")!.body).toEqual({
    private_metadata: { stripeCustomerId: "cus_123", pulumiClerk: markerOf(after) },
  });
  const warnings = warningsOf(s);

  // A later refresh shows no drift, and the next up changes nothing.
  clerk.control.clearRequests();
  expect(await s.engine.refresh()).toMatchObject({ updated: 0, unchanged: 1, deleted: 0, failures: [] });
  expect(await s.engine.up(program)).toMatchObject({ unchanged: 1, failures: [] });
  expect(writes(clerk)).toEqual([]);
  // A dashboard edit of an undeclared field is not the program's business: up leaves it.
  clerk.control.patchUser(alice.id, { last_name: "Pleasance" });
  expect(await s.engine.up(program)).toMatchObject({ unchanged: 1, failures: [] });
  expect(clerk.control.getUser(alice.id)!.last_name).toBe("Pleasance");
  expect(writes(clerk)).toEqual([]);
  // One warning at the take-over. The marker is the provider's own bookkeeping (the state's privateMetadata never
  // shows it), so it is not a changed field: nothing of the person's account changed.
  expect(warnings).toEqual([`ClerkUser "alice": took over existing user ${alice.id}; no field changed`]);
});

it("adopting by externalId, declaring only a first name: both emails and every other field stay", async () => {
  const alice = seedAlice();
  s = await stackOf(clerk, "app", "prod");
  clerk.control.clearRequests();
  const program = adoptProgram({ externalId: "ext-alice", username: "alice", firstName: "Alicia" });
  expect(await s.engine.up(program)).toMatchObject({ created: 1, failures: [] });
  expect(clerk.control.requests()[1]!.query).toMatchObject({ external_id: ["ext-alice"] });
  const after = clerk.control.getUser(alice.id)!;
  expect(untouched(after)).toEqual({ ...untouched(alice), first_name: "Alicia" });
  expect(emailsOf(after)).toEqual(["alice@example.com", "alice.alt@example.com"]);
  expect(writes(clerk)).toEqual(["PATCH /v1/users/user_X", "PUT /v1/users/user_X/metadata"]);
  expect(clerk.control.requests().find((r) => r.method === "PATCH")!.body).toEqual({ first_name: "Alicia" });
  const warnings = warningsOf(s);
  clerk.control.clearRequests();
  expect(await s.engine.refresh()).toMatchObject({ updated: 0, unchanged: 1, failures: [] });
  // The undeclared emails are not the program's: no change to plan, not even a no-op update.
  expect(await s.engine.up(program)).toMatchObject({ unchanged: 1, updated: 0, failures: [] });
  expect(writes(clerk)).toEqual([]);
  expect(warnings).toEqual([
    `ClerkUser "alice": took over existing user ${alice.id}; this changes firstName ` +
      "(fields the program does not declare are left as they are)",
  ]);
});

it("an adopted user's undeclared phone and web3 wallet are never a change: no update, never a replace", async () => {
  // A web3 wallet change replaces the user (delete, then create): on an adopted user that nobody declared, a
  // diff reporting it would delete a real person's account on the next up.
  const bob = seedUser(clerk, {
    emails: ["bob@example.com"],
    phones: ["+15555550100"],
    web3Wallets: ["0x52908400098527886e0f7030069857d2e4169ee7"],
    firstName: "Bob",
  });
  s = await stackOf(clerk, "app", "prod");
  const program = adoptProgram({ emailAddresses: ["bob@example.com"] });
  expect(await s.engine.up(program)).toMatchObject({ created: 1, failures: [] });
  clerk.control.clearRequests();
  expect(await s.engine.refresh()).toMatchObject({ updated: 0, unchanged: 1, failures: [] });
  const again = await s.engine.up(program);
  // (With identifier lists compared on adopted users, this up sent DELETE /v1/users/{bob} and created a new user.)
  expect(writes(clerk)).toEqual([]);
  expect(again).toMatchObject({ unchanged: 1, updated: 0, replaced: 0, created: 0, failures: [] });
  const held = clerk.control.getUser(bob.id)!;
  expect(held.phone_numbers.map((p) => p.phone_number)).toEqual(["+15555550100"]);
  expect(held.web3_wallets.map((w) => w.web3_wallet)).toEqual(["0x52908400098527886e0f7030069857d2e4169ee7"]);
  expect(clerk.control.users()).toHaveLength(1);
  expect(entryOf(s, "alice").id).toBe(bob.id);
});

it("generatePassword with adopt is a check failure on that field; Clerk is never asked", async () => {
  const alice = seedAlice();
  s = await stackOf(clerk, "app", "prod");
  clerk.control.clearRequests();
  const err = await s.engine
    .up(adoptProgram({ emailAddresses: ["alice@example.com"], generatePassword: true }))
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(CheckFailedError);
  expect((err as CheckFailedError).failures).toEqual([
    {
      urn: "urn:pulumi:prod::app::pulumi-nodejs:dynamic/clerk:User::alice",
      name: "alice",
      property: "generatePassword",
      reason:
        "conflicts with adopt: adopting must never reset the password of a user who already exists; " +
        "set a password explicitly if you mean to",
    },
  ]);
  expect(clerk.control.requests()).toEqual([]);
  expect(s.engine.state()).toEqual([]);
  expect(clerk.control.getUser(alice.id)).toEqual(alice);
});
