/**
 * Issue 13, scenario 5, through the real dynamic-provider host against the local Clerk: an update V1 → V2 that
 * stops midway hands the engine the state Clerk actually holds, so the next `up` converges Clerk to the program,
 * whichever program that is (V2 again, or V1 reverted).
 *
 * V1 → V2 is four Clerk calls: POST /email_addresses (v2@, primary), PATCH /users/{id} (names, password),
 * PUT /users/{id}/metadata (public metadata), DELETE /email_addresses/{v1@}. Each test makes one of them, or the
 * final read, keep failing, then checks the stored outputs against Clerk's user and the next `up`'s wire bodies.
 */
import { ClerkUser } from "../../src";
import { startLocalClerk, type LocalClerk, type StoredUser } from "../local-clerk";
import type { StateEntry } from "../harness";
import type { Stack } from "./support";
import { emailsOf, entryOf, markerOf, onlyFailure, stackOf, writes } from "./13-support";

let clerk: LocalClerk;
let s: Stack | undefined;
beforeAll(async () => {
  clerk = await startLocalClerk({ instanceId: "ins_scenario5" });
});
afterAll(() => clerk.close());
beforeEach(() => clerk.control.reset());
afterEach(async () => {
  await s?.[Symbol.asyncDispose]();
  s = undefined;
});

const V1 = {
  emailAddresses: ["v1@example.com"],
  firstName: "Vee",
  lastName: "One",
  password: "version-one-password",
  publicMetadata: { plan: "v1" },
  privateMetadata: { tier: "gold" },
};
const V2 = {
  emailAddresses: ["v2@example.com"],
  firstName: "Vee2",
  lastName: "Two",
  password: "version-two-password",
  publicMetadata: { plan: "v2" },
  privateMetadata: { tier: "gold" },
};
const program = (args: Record<string, unknown>) => () => {
  new ClerkUser("vee", args);
};

const METADATA = /^\/v1\/users\/user_\w+\/metadata$/;
const USER = /^\/v1\/users\/user_\w+$/;
const EMAIL = /^\/v1\/email_addresses\/idn_\w+$/;

/** A stack whose retry budget is short, so a persistent 5xx gives up in about 2 s. */
async function startAtV1(args: Record<string, unknown> = V1): Promise<{ stack: Stack; id: string }> {
  s = await stackOf(clerk, "app", "qa", { env: { CLERK_RETRY_TIMEOUT_SECONDS: "2" } });
  expect((await s.engine.up(program(args))).failures).toEqual([]);
  return { stack: s, id: entryOf(s, "vee").id };
}

/** The fields of the stored outputs that Clerk holds, next to Clerk's own values for them. */
function stateAndClerk(entry: StateEntry, user: StoredUser) {
  const { pulumiClerk: _marker, ...privateMetadata } = user.private_metadata;
  return {
    state: {
      emailAddresses: entry.outputs["emailAddresses"],
      primaryEmailAddressId: entry.outputs["primaryEmailAddressId"],
      firstName: entry.outputs["firstName"],
      lastName: entry.outputs["lastName"],
      publicMetadata: entry.outputs["publicMetadata"],
      privateMetadata: entry.outputs["privateMetadata"],
    },
    clerk: {
      emailAddresses: emailsOf(user),
      primaryEmailAddressId: user.primary_email_address_id,
      firstName: user.first_name,
      lastName: user.last_name,
      publicMetadata: user.public_metadata,
      privateMetadata,
    },
  };
}

/** Clerk holds exactly `args` (emails, names, metadata, password) under the resource's marker. */
function expectClerkAt(id: string, args: typeof V1): void {
  const user = clerk.control.getUser(id)!;
  expect(clerk.control.users()).toHaveLength(1);
  expect(emailsOf(user)).toEqual(args.emailAddresses);
  expect([user.first_name, user.last_name, user.password]).toEqual([args.firstName, args.lastName, args.password]);
  expect(user.public_metadata).toEqual(args.publicMetadata);
  expect(user.private_metadata).toEqual({ ...args.privateMetadata, pulumiClerk: markerOf(user) });
  expect(markerOf(user)).toMatchObject({ v: 2, name: "vee", adopted: false });
}

const stoppedMidway =
  /^ClerkUser "vee" \(user_\w+\): update failed \[\w+\]: .*the update stopped midway; the state now records what Clerk holds, so the next `pulumi up` finishes it/;

describe("PUT /metadata keeps failing (a 500 until the retry budget runs out)", () => {
  async function failedAtMetadata() {
    const { stack, id } = await startAtV1();
    const ownerId = entryOf(stack, "vee").outputs["ownerId"];
    clerk.control.inject({ match: { method: "PUT", path: METADATA }, times: 1000, kind: "status", status: 500 });
    const up = await stack.engine.up(program(V2));
    const failure = onlyFailure(up.failures);
    expect(failure).toMatchObject({ name: "vee", op: "update" });
    expect(failure.message).toMatch(stoppedMidway);
    expect(failure.message).toContain("[retry_budget_exhausted]: Clerk 500 internal_clerk_error");
    expect(failure.message).not.toContain("version-");
    clerk.control.clearFaults();

    // Clerk has the new email (primary), the new names and the new password; the metadata and the old email stay.
    const user = clerk.control.getUser(id)!;
    expect(emailsOf(user)).toEqual(["v2@example.com", "v1@example.com"]);
    expect([user.first_name, user.last_name, user.password]).toEqual(["Vee2", "Two", "version-two-password"]);
    expect(user.public_metadata).toEqual({ plan: "v1" });
    // The state says exactly that, the password as sent (its step went through), the ownership unchanged.
    const entry = entryOf(stack, "vee");
    const { state, clerk: held } = stateAndClerk(entry, user);
    expect(state).toEqual(held);
    expect(entry.outputs).toMatchObject({
      password: "version-two-password",
      ownerId,
      instanceId: "ins_scenario5",
      adopted: false,
    });
    expect(entry.outputs["syncRequired"]).toBeUndefined();
    return { stack, id };
  }

  it("the next up (fault gone) converges Clerk to V2, sending only what is still missing", async () => {
    const { stack, id } = await failedAtMetadata();
    clerk.control.clearRequests();
    expect(await stack.engine.up(program(V2))).toMatchObject({ updated: 1, failures: [] });
    expect(writes(clerk)).toEqual(["PUT /v1/users/user_X/metadata", "DELETE /v1/email_addresses/idn_X"]);
    expect(clerk.control.requests().find((r) => r.method === "PUT")!.body).toEqual({
      public_metadata: { plan: "v2" },
    });
    expectClerkAt(id, V2);
    clerk.control.clearRequests();
    expect(await stack.engine.up(program(V2))).toMatchObject({ unchanged: 1, failures: [] });
    expect(clerk.control.requests()).toEqual([]);
  });

  it("reverting the program to V1 converges Clerk back to V1, password included", async () => {
    const { stack, id } = await failedAtMetadata();
    clerk.control.clearRequests();
    expect(await stack.engine.up(program(V1))).toMatchObject({ updated: 1, failures: [] });
    expect(writes(clerk)).toEqual([
      "PATCH /v1/email_addresses/idn_X",
      "PATCH /v1/users/user_X",
      "DELETE /v1/email_addresses/idn_X",
    ]);
    const [primary, patch] = clerk.control.requests().filter((r) => r.method === "PATCH");
    expect(primary!.body).toEqual({ primary: true });
    expect(patch!.body).toEqual({ first_name: "Vee", last_name: "One", password: "version-one-password" });
    expectClerkAt(id, V1);
  });
});

it("PATCH /users (the step carrying the password) keeps failing: the password is left out of state and resent", async () => {
  const { stack, id } = await startAtV1();
  clerk.control.inject({ match: { method: "PATCH", path: USER }, times: 1000, kind: "status", status: 500 });
  const failure = onlyFailure((await stack.engine.up(program(V2))).failures);
  expect(failure.message).toMatch(stoppedMidway);
  expect(failure.message + stack.host.stderr()).not.toContain("version-");
  clerk.control.clearFaults();

  const user = clerk.control.getUser(id)!;
  expect(emailsOf(user)).toEqual(["v2@example.com", "v1@example.com"]);
  expect([user.first_name, user.last_name, user.password]).toEqual(["Vee", "One", "version-one-password"]);
  const entry = entryOf(stack, "vee");
  const { state, clerk: held } = stateAndClerk(entry, user);
  expect(state).toEqual(held);
  // Unknown: the PATCH may or may not have set it, so the state does not claim either password.
  expect(entry.outputs).not.toHaveProperty("password");
  expect(JSON.stringify(entry.outputs)).not.toContain("version-");

  clerk.control.clearRequests();
  expect(await stack.engine.up(program(V2))).toMatchObject({ updated: 1, failures: [] });
  expect(writes(clerk)).toEqual([
    "PATCH /v1/users/user_X",
    "PUT /v1/users/user_X/metadata",
    "DELETE /v1/email_addresses/idn_X",
  ]);
  expect(clerk.control.requests().find((r) => r.method === "PATCH")!.body).toEqual({
    first_name: "Vee2",
    last_name: "Two",
    password: "version-two-password",
  });
  expectClerkAt(id, V2);
  expect(entryOf(stack, "vee").outputs["password"]).toBe("version-two-password");
});

it("DELETE of the old email keeps failing: state holds both emails; the next up deletes it", async () => {
  const { stack, id } = await startAtV1();
  clerk.control.inject({ match: { method: "DELETE", path: EMAIL }, times: 1000, kind: "status", status: 500 });
  const failure = onlyFailure((await stack.engine.up(program(V2))).failures);
  expect(failure.message).toMatch(stoppedMidway);
  clerk.control.clearFaults();

  const user = clerk.control.getUser(id)!;
  const entry = entryOf(stack, "vee");
  const { state, clerk: held } = stateAndClerk(entry, user);
  expect(state).toEqual(held);
  expect(state).toMatchObject({
    emailAddresses: ["v2@example.com", "v1@example.com"],
    firstName: "Vee2",
    lastName: "Two",
    publicMetadata: { plan: "v2" },
  });
  expect(entry.outputs["password"]).toBe("version-two-password");

  clerk.control.clearRequests();
  expect(await stack.engine.up(program(V2))).toMatchObject({ updated: 1, failures: [] });
  expect(writes(clerk)).toEqual(["DELETE /v1/email_addresses/idn_X"]);
  const v1Email = user.email_addresses.find((e) => e.email_address === "v1@example.com")!;
  expect(clerk.control.requests().find((r) => r.method === "DELETE")!.path).toBe(`/v1/email_addresses/${v1Email.id}`);
  expectClerkAt(id, V2);
});

it("the final read fails (Clerk cannot be read back): previous state with syncRequired; reverting still converges", async () => {
  const W1 = { emailAddresses: ["w1@example.com"], firstName: "Wes" };
  const W2 = { emailAddresses: ["w2@example.com"], firstName: "Wes" };
  const { stack, id } = await startAtV1(W1);
  const before = entryOf(stack, "vee");
  // The update's first read goes through; every later GET of the user fails. The email steps answer with the
  // address, not the user, so the update has to read the user back at the end, and cannot.
  clerk.control.inject({ match: { method: "GET", path: USER }, times: 1, kind: "latency", ms: 0 });
  clerk.control.inject({ match: { method: "GET", path: USER }, times: 1000, kind: "status", status: 500 });
  const failure = onlyFailure((await stack.engine.up(program(W2))).failures);
  expect(failure.message).toMatch(stoppedMidway);
  clerk.control.clearFaults();
  expect(emailsOf(clerk.control.getUser(id)!)).toEqual(["w2@example.com"]);

  const entry = entryOf(stack, "vee");
  expect(entry.outputs).toEqual({ ...before.outputs, syncRequired: true });

  // The program goes back to W1, which is what the (stale) state says: syncRequired still forces the update,
  // planned from what Clerk really holds.
  clerk.control.clearRequests();
  expect(await stack.engine.up(program(W1))).toMatchObject({ updated: 1, failures: [] });
  expect(writes(clerk)).toEqual(["POST /v1/email_addresses", "DELETE /v1/email_addresses/idn_X"]);
  expect(clerk.control.requests().find((r) => r.method === "POST")!.body).toMatchObject({
    email_address: "w1@example.com",
    primary: true,
  });
  expect(emailsOf(clerk.control.getUser(id)!)).toEqual(["w1@example.com"]);
  const after = entryOf(stack, "vee");
  expect(after.outputs["syncRequired"]).toBeUndefined();
  expect(after.outputs["emailAddresses"]).toEqual(["w1@example.com"]);
  clerk.control.clearRequests();
  expect(await stack.engine.up(program(W1))).toMatchObject({ unchanged: 1, failures: [] });
  expect(clerk.control.requests()).toEqual([]);
});
