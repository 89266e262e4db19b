/**
 * Issue 12, host conformance: faults on create, through the real provider host. Clerk answers the first create of an
 * organization, or of a membership, with a 429, a 503, a reset connection, or applies it and drops the connection
 * before answering (commit-then-drop: "did it happen?"). In every case the end state is exact: Clerk holds one
 * organization and one membership (no duplicate, nothing leaked), under the ids state holds, with the marker of this
 * stack, and the next `up` changes nothing. The request sequence of each create is asserted exactly.
 */
import { ClerkOrganization, ClerkOrganizationMembership } from "../../src";
import type { FaultAction } from "../local-clerk";
import { calls, clerkCounts, entryOf, rolesIn, seedUsers, startStack, withMarker, type Stack } from "./12-support";

let s: Stack | undefined;
afterEach(async () => {
  await s?.[Symbol.asyncDispose]();
  s = undefined;
});

const ORG_POST = /^\/v1\/organizations$/;
const MEMBERSHIP_POST = /^\/v1\/organizations\/org_[A-Za-z0-9]+\/memberships$/;

const FAULTS: Array<[string, FaultAction]> = [
  ["429", { kind: "status", status: 429, retryAfterSeconds: 1 }],
  ["503", { kind: "status", status: 503 }],
  ["reset", { kind: "reset" }],
  ["commitThenDrop", { kind: "commitThenDrop" }],
];

const program = (userId: string) => () => {
  const org = new ClerkOrganization("tenant-a", {
    name: "Tenant A",
    slug: "tenant-a",
    privateMetadata: { billingRef: "BR-1" },
  });
  new ClerkOrganizationMembership(
    "tenant-a-ada",
    { organizationId: org.organizationId, userId, role: "org:admin", privateMetadata: { seat: "S-1" } },
    { deletedWith: org },
  );
};

/** One organization and one membership in Clerk, each the one state holds, marked as this stack's. */
function expectExactlyOne(stack: Stack, userId: string): void {
  const { clerk } = stack;
  const org = entryOf(stack, "tenant-a");
  const membership = entryOf(stack, "tenant-a-ada");
  expect(stack.engine.state()).toHaveLength(2);
  expect(clerkCounts(clerk)).toEqual({ organizations: 1, memberships: 1 });
  expect(clerk.control.organizations().map((o) => o.id)).toEqual([org.id]);
  expect(clerk.control.getOrganization(org.id)!.private_metadata).toEqual(
    withMarker(clerk, "tenant-a", { billingRef: "BR-1" }, org.outputs["ownerId"] as string),
  );
  expect(rolesIn(clerk, org.id)).toEqual({ [userId]: "org:admin" });
  const stored = clerk.control.getMembership(org.id, userId)!;
  expect(stored.id).toBe(membership.id);
  expect(stored.private_metadata).toEqual(
    withMarker(clerk, "tenant-a-ada", { seat: "S-1" }, membership.outputs["ownerId"] as string),
  );
  expect(membership.outputs).toMatchObject({
    membershipId: stored.id,
    organizationId: org.id,
    userId,
    role: "org:admin",
  });
}

/** How the local Clerk logs the faulted first attempt: `status:fault` (a commit-then-drop computed 200, never sent). */
const FIRST_ATTEMPT: Record<string, string> = {
  "429": "429:status",
  "503": "503:status",
  reset: "0:reset",
  commitThenDrop: "200:commitThenDrop",
};
const attempts = (stack: Stack, path: RegExp): string[] =>
  stack.clerk.control
    .requests()
    .filter((r) => r.method === "POST" && path.test(r.path))
    .map((r) => `${r.status}${r.fault ? `:${r.fault}` : ""}${r.errorCode && !r.fault ? ` ${r.errorCode}` : ""}`);

describe.each(FAULTS)("first create answered with %s", (label, fault) => {
  it("organization: exactly one organization, the one state holds", async () => {
    s = await startStack();
    const users = seedUsers(s.clerk, "ada");
    s.clerk.control.inject({ match: { method: "POST", path: ORG_POST }, times: 1, ...fault });
    const up = await s.engine.up(program(users.ada));
    expect(up).toMatchObject({ created: 2, failures: [] });
    expectExactlyOne(s, users.ada);
    const orgCalls = calls(s.clerk).filter((c) => /^\w+ \/v1\/organizations(\/tenant-a)?$/.test(c));
    expect(orgCalls).toEqual(
      label === "commitThenDrop"
        ? // the retry meets its own organization as a taken slug, reads it by slug, and takes it (its marker)
          ["POST /v1/organizations", "POST /v1/organizations", "GET /v1/organizations/tenant-a"]
        : ["POST /v1/organizations", "POST /v1/organizations"],
    );
    expect(attempts(s, ORG_POST)).toEqual([
      FIRST_ATTEMPT[label],
      label === "commitThenDrop" ? "422 form_identifier_exists" : "200",
    ]);
    const posts = s.clerk.control.requests().filter((r) => r.method === "POST" && ORG_POST.test(r.path));
    // Both attempts sent the same body: the retry is the same create.
    expect(posts[1]!.body).toEqual(posts[0]!.body);
    s.clerk.control.clearRequests();
    expect(await s.engine.up(program(users.ada))).toMatchObject({ unchanged: 2, failures: [] });
    expect(s.clerk.control.requests()).toEqual([]);
  });

  it("membership: exactly one membership, the one state holds", async () => {
    s = await startStack();
    const users = seedUsers(s.clerk, "ada");
    s.clerk.control.inject({ match: { method: "POST", path: MEMBERSHIP_POST }, times: 1, ...fault });
    const up = await s.engine.up(program(users.ada));
    expect(up).toMatchObject({ created: 2, failures: [] });
    expectExactlyOne(s, users.ada);
    const membershipCalls = calls(s.clerk).filter((c) => c.includes("/memberships"));
    expect(membershipCalls).toEqual(
      label === "commitThenDrop"
        ? // the retry meets 400 already_a_member, reads the membership, and takes it (its marker)
          [
            "POST /v1/organizations/org_X/memberships",
            "POST /v1/organizations/org_X/memberships",
            "GET /v1/organizations/org_X/memberships?user_id=user_X&limit=1",
          ]
        : ["POST /v1/organizations/org_X/memberships", "POST /v1/organizations/org_X/memberships"],
    );
    expect(attempts(s, MEMBERSHIP_POST)).toEqual([
      FIRST_ATTEMPT[label],
      label === "commitThenDrop" ? "400 already_a_member_in_organization" : "200",
    ]);
    const posts = s.clerk.control.requests().filter((r) => r.method === "POST" && MEMBERSHIP_POST.test(r.path));
    expect(posts[1]!.body).toEqual(posts[0]!.body);
    s.clerk.control.clearRequests();
    expect(await s.engine.up(program(users.ada))).toMatchObject({ unchanged: 2, failures: [] });
    expect(s.clerk.control.requests()).toEqual([]);
  });
});

it("destroy after faulted creates leaves Clerk empty", async () => {
  s = await startStack();
  const users = seedUsers(s.clerk, "ada");
  s.clerk.control.inject({ match: { method: "POST", path: ORG_POST }, times: 1, kind: "commitThenDrop" });
  s.clerk.control.inject({ match: { method: "POST", path: MEMBERSHIP_POST }, times: 1, kind: "commitThenDrop" });
  expect(await s.engine.up(program(users.ada))).toMatchObject({ created: 2, failures: [] });
  expectExactlyOne(s, users.ada);
  expect(s.clerk.control.pendingFaults()).toEqual([]);
  expect(await s.engine.destroy()).toMatchObject({ deleted: 2, deletedWith: 1, failures: [] });
  expect(clerkCounts(s.clerk)).toEqual({ organizations: 0, memberships: 0 });
});

it("commit-then-drop on a role change and on deletes: the retry finds the work done, state stays exact", async () => {
  s = await startStack();
  const { engine, clerk } = s;
  const users = seedUsers(clerk, "ada", "bob");
  expect(await engine.up(program(users.ada))).toMatchObject({ created: 2, failures: [] });
  const orgId = entryOf(s, "tenant-a").id;
  const withBob = (role?: string) => () => {
    program(users.ada)();
    if (role === undefined) return;
    // Bob's membership names the organization by id (it exists by then): program() keeps its own shape.
    new ClerkOrganizationMembership("tenant-a-bob", { organizationId: orgId, userId: users.bob, role });
  };
  expect(await engine.up(withBob("org:member"))).toMatchObject({ created: 1, unchanged: 2, failures: [] });

  const MEMBER = /^\/v1\/organizations\/org_[A-Za-z0-9]+\/memberships\/user_[A-Za-z0-9]+$/;
  clerk.control.inject({ match: { method: "PATCH", path: MEMBER }, times: 1, kind: "commitThenDrop" });
  clerk.control.clearRequests();
  expect(await engine.up(withBob("org:admin"))).toMatchObject({ updated: 1, failures: [] });
  expect(rolesIn(clerk, orgId)).toEqual({ [users.ada]: "org:admin", [users.bob]: "org:admin" });
  expect(entryOf(s, "tenant-a-bob").outputs["role"]).toBe("org:admin");

  clerk.control.inject({ match: { method: "DELETE", path: MEMBER }, times: 1, kind: "commitThenDrop" });
  clerk.control.clearRequests();
  expect(await engine.up(withBob())).toMatchObject({ deleted: 1, failures: [] });
  expect(rolesIn(clerk, orgId)).toEqual({ [users.ada]: "org:admin" });
  expect(
    clerk.control
      .requests()
      .filter((r) => r.method === "DELETE")
      .map((r) => r.fault ?? r.status),
  ).toEqual(["commitThenDrop", 404]);

  clerk.control.inject({
    match: { method: "DELETE", path: /^\/v1\/organizations\/org_[A-Za-z0-9]+$/ },
    times: 1,
    kind: "commitThenDrop",
  });
  clerk.control.clearRequests();
  expect(await engine.destroy()).toMatchObject({ deleted: 2, deletedWith: 1, failures: [] });
  expect(
    clerk.control
      .requests()
      .filter((r) => r.method === "DELETE")
      .map((r) => r.fault ?? r.status),
  ).toEqual(["commitThenDrop", 404]);
  expect(clerkCounts(clerk)).toEqual({ organizations: 0, memberships: 0 });
  expect(engine.state()).toEqual([]);
});
