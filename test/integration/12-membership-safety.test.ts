/**
 * ClerkOrganizationMembership's promises, attacked against the local Clerk: an existing membership is never taken
 * silently (createdBy's, one made outside Pulumi, another resource's), a lost answer is recovered only by this
 * resource's ownership id (also into a full organization), "gone" only from the right instance, and no
 * private-metadata value reaches an error. Hooks in-process, real @clerk/backend.
 */
import { resetGateways } from "../../src/clerk/gateway";
import { MARKER_KEY, mintOwnerId } from "../../src/marker/managedByMarker";
import { membership, organization } from "../../src/provider/runtime";
import type { LocalClerk } from "../local-clerk";
import { managedBy, startClerkForHooks } from "./support";

let clerk: LocalClerk;
let orgId: string;
let ada: string;
beforeEach(async () => {
  // The hooks' retry and take-over lines go to pulumi.log, which outside a Pulumi program prints with console.warn:
  // the tests that care assert them through their own log callback; here they would only fill CI's output.
  jest.spyOn(console, "warn").mockImplementation(() => undefined);
  clerk = await startClerkForHooks();
  ada = clerk.control.putUser({ username: "ada" }).id;
  orgId = clerk.control.putOrganization({ name: "Team", slug: "team" }).id;
});
afterEach(async () => {
  jest.restoreAllMocks();
  await clerk.close();
});

type Props = Record<string, unknown>;
const member = (name: string, userId: string, extra: Props = {}): Props => ({
  organizationId: orgId,
  userId,
  role: "org:member",
  managedBy: managedBy(name),
  ...extra,
});
const failure = async (p: Promise<unknown>) =>
  (await p.then(() => undefined).catch((e: unknown) => e)) as Error & Props;
const calls = () => clerk.control.requests().map((r) => `${r.method} ${r.path} ${r.status}`);

async function created(inputs: Props): Promise<{ id: string; state: Props }> {
  const res = await membership.create((await membership.check({}, inputs)).inputs);
  return { id: res.id, state: { ...inputs, ...res.outs } };
}

describe("an existing membership is never taken silently", () => {
  it("createdBy's implicit admin membership: already_member, naming createdBy; nothing written", async () => {
    const creator = clerk.control.putUser({ username: "creator" }).id;
    const o = await organization.create(
      (await organization.check({}, { name: "Made", createdBy: creator, managedBy: managedBy("made") })).inputs,
    );
    clerk.control.clearRequests();
    const err = await failure(
      membership.create(member("creator-member", creator, { organizationId: o.id, role: "org:admin" })),
    );
    expect(err).toMatchObject({
      code: "already_member",
      field: "userId",
      status: 400,
      clerkCode: "already_a_member_in_organization",
    });
    expect(err.message).toContain(`user ${creator} is the createdBy of organization ${o.id}`);
    expect(err.message).toContain("declare this membership with role org:admin instead");
    expect(calls()).toEqual([
      `POST /v1/organizations/${o.id}/memberships 400`,
      `GET /v1/organizations/${o.id}/memberships 200`,
    ]);
    expect(clerk.control.memberships({ organizationId: o.id })).toEqual([
      expect.objectContaining({ user_id: creator, private_metadata: {} }),
    ]);
  });

  it("one made outside Pulumi: already_member; one another resource manages: not_owner, untouched", async () => {
    clerk.control.putMembership({ organization_id: orgId, user_id: ada, role: "org:member" });
    expect(await failure(membership.create(member("dup", ada)))).toMatchObject({ code: "already_member" });
    const bob = clerk.control.putUser({ username: "bob" }).id;
    const theirs = {
      v: 2,
      project: "p",
      stack: "s",
      name: "theirs",
      ownerId: mintOwnerId(),
      instanceId: clerk.control.instance().id,
      adopted: false,
    };
    clerk.control.putMembership({
      organization_id: orgId,
      user_id: bob,
      role: "org:member",
      private_metadata: { [MARKER_KEY]: theirs },
    });
    const err = await failure(membership.create(member("mine", bob)));
    expect(err).toMatchObject({ code: "not_owner" });
    expect(err.message).toContain("refusing to touch membership orgmem_");
    expect(err.message).toContain("Remove it from the program that manages it");
    expect(clerk.control.getMembership(orgId, bob)!.private_metadata).toEqual({ [MARKER_KEY]: theirs });
  });

  it("update and delete refuse a membership another owner's marker holds now", async () => {
    const { id, state } = await created(member("handed", ada));
    const marker = {
      v: 2,
      project: "p",
      stack: "s",
      name: "x",
      ownerId: mintOwnerId(),
      instanceId: clerk.control.instance().id,
      adopted: false,
    };
    clerk.control.patchMembership(orgId, ada, { private_metadata: { [MARKER_KEY]: marker } });
    clerk.control.clearRequests();
    expect(await failure(membership.update(id, state, member("handed", ada, { role: "org:admin" })))).toMatchObject({
      code: "not_owner",
    });
    expect(await failure(membership.remove(id, state))).toMatchObject({ code: "not_owner" });
    expect(calls().every((c) => c.startsWith("GET"))).toBe(true);
    expect(clerk.control.getMembership(orgId, ada)).toMatchObject({ role: "org:member" });
  });
});

describe("a lost answer", () => {
  it("commit-then-drop on POST: the retry meets already_a_member, finds its own ownership id; exactly one", async () => {
    clerk.control.inject({ match: { method: "POST", path: /\/memberships$/ }, times: 1, kind: "commitThenDrop" });
    const { id } = await created(member("dropped", ada));
    expect(clerk.control.memberships({ organizationId: orgId }).map((m) => m.id)).toEqual([id]);
    expect(calls()).toEqual([
      "GET /v1/instance 200",
      `POST /v1/organizations/${orgId}/memberships 200`,
      `POST /v1/organizations/${orgId}/memberships 400`,
      `GET /v1/organizations/${orgId}/memberships 200`,
    ]);
  });

  it("into an organization it filled: the retry meets the limit (403, checked first), still finds its own", async () => {
    clerk.control.patchOrganization(orgId, { max_allowed_memberships: 1 });
    clerk.control.inject({ match: { method: "POST", path: /\/memberships$/ }, times: 1, kind: "commitThenDrop" });
    const { id } = await created(member("full", ada));
    expect(clerk.control.requests()[2]).toMatchObject({
      status: 403,
      errorCode: "organization_membership_quota_exceeded",
    });
    expect(clerk.control.memberships({ organizationId: orgId }).map((m) => m.id)).toEqual([id]);
    const bob = clerk.control.putUser({ username: "bob" }).id;
    expect(await failure(membership.create(member("over", bob)))).toMatchObject({
      code: "clerk_api_error",
      status: 403,
      clerkCode: "organization_membership_quota_exceeded",
    });
  });

  it("an unknown role: Clerk's 404 on the field, nothing created, no lookup", async () => {
    const err = await failure(membership.create(member("badrole", ada, { role: "org:nope" })));
    expect(err).toMatchObject({ status: 404, field: "role" });
    expect(calls()).toEqual(["GET /v1/instance 200", `POST /v1/organizations/${orgId}/memberships 404`]);
  });
});

describe("gone, only from the right instance", () => {
  it("missing under another instance's key: instance_mismatch; a 5xx past the budget: an error, never gone", async () => {
    const { id, state } = await created(member("pinned", ada));
    clerk.control.removeMembership(orgId, ada);
    clerk.control.setInstance({ id: "ins_elsewhere" });
    resetGateways();
    expect(await failure(membership.read(id, state))).toMatchObject({ code: "instance_mismatch" });
    expect(await failure(membership.remove(id, state))).toMatchObject({ code: "instance_mismatch" });
    clerk.control.setInstance({ id: String(state["instanceId"]) });
    resetGateways();
    process.env["CLERK_RETRY_TIMEOUT_SECONDS"] = "1";
    clerk.control.inject({ match: { path: /\/memberships$/ }, times: 1000, kind: "status", status: 503 });
    expect(await failure(membership.read(id, state))).toMatchObject({ code: "retry_budget_exhausted", status: 503 });
  });
});

describe("secrets", () => {
  it("a private-metadata value Clerk echoes never reaches the error of a create or a metadata merge", async () => {
    const SECRET = "membership-s3cr3t-7731";
    clerk.control.setEchoSubmittedValues(true);
    clerk.control.inject({ match: { method: "POST" }, times: 1, kind: "status", status: 422 });
    const onCreate = await failure(membership.create(member("echo", ada, { privateMetadata: { pin: SECRET } })));
    const { id, state } = await created(member("echo", ada, { privateMetadata: { pin: SECRET } }));
    clerk.control.inject({ match: { method: "PATCH" }, times: 1, kind: "status", status: 422 });
    const onUpdate = await failure(
      membership.update(id, state, member("echo", ada, { privateMetadata: { pin: `${SECRET}!` } })),
    );
    expect(clerk.control.requests().filter((r) => r.echoed)).toHaveLength(2);
    for (const e of [onCreate, onUpdate]) {
      const text = `${e.message}\n${e.stack}\n${JSON.stringify(e)}`;
      expect(text).not.toContain("s3cr3t");
      expect(text).toContain("[redacted]");
    }
  });
});
