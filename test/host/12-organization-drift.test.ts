/**
 * Issue 12, host conformance: what happens to memberships when what they belong to changes. Through the real provider
 * host, against the local Clerk:
 * - the organization deleted out of band: refresh drops it and its memberships (404 = gone, decision 5), and the
 *   next up creates all three again;
 * - a member's user deleted out of band: refresh drops that membership only, the organization stays;
 * - a membership moved to another organization is replaced (create the new one, then delete the old one);
 * - Clerk's refusals on membership create (unknown role, full organization) are errors naming the field, and change
 *   nothing.
 */
import { ClerkOrganization, ClerkOrganizationMembership } from "../../src";
import {
  calls,
  clerkCounts,
  entryOf,
  exact,
  lookedUp,
  onlyFailure,
  rolesIn,
  seedUsers,
  startStack,
  stateOf,
  type Stack,
} from "./12-support";

let s: Stack | undefined;
afterEach(async () => {
  await s?.[Symbol.asyncDispose]();
  s = undefined;
});

const tenant =
  (users: { ada: string; bob: string }, bobRole = "org:member") =>
  () => {
    const org = new ClerkOrganization("tenant-a", { name: "Tenant A", slug: "tenant-a" });
    new ClerkOrganizationMembership(
      "tenant-a-ada",
      { organizationId: org.organizationId, userId: users.ada, role: "org:admin" },
      { deletedWith: org },
    );
    new ClerkOrganizationMembership(
      "tenant-a-bob",
      { organizationId: org.organizationId, userId: users.bob, role: bobRole },
      { deletedWith: org },
    );
  };

it("the organization deleted out of band: refresh drops it with its memberships; up creates all again", async () => {
  s = await startStack();
  const { engine, clerk } = s;
  const users = seedUsers(clerk, "ada", "bob");
  expect(await engine.up(tenant(users))).toMatchObject({ created: 3, failures: [] });
  const orgId = entryOf(s, "tenant-a").id;
  clerk.control.removeOrganization(orgId);
  expect(clerkCounts(clerk)).toEqual({ organizations: 0, memberships: 0 });

  clerk.control.clearRequests();
  expect(await engine.refresh()).toEqual({ updated: 0, deleted: 3, unchanged: 0, failures: [] });
  expect(engine.state()).toEqual([]);
  // Each read meets a 404: the organization's, and the lookup of each member (its organization is gone).
  expect(
    clerk.control
      .requests()
      .filter((r) => !r.path.endsWith("/memberships"))
      .map((r) => [r.method, r.status]),
  ).toEqual([["GET", 404]]);
  expect(lookedUp(clerk, 404)).toEqual([users.ada, users.bob].sort());

  clerk.control.clearRequests();
  expect(await engine.up(tenant(users))).toMatchObject({ created: 3, failures: [] });
  const newOrgId = entryOf(s, "tenant-a").id;
  expect(newOrgId).not.toBe(orgId);
  expect(rolesIn(clerk, newOrgId)).toEqual({ [users.ada]: "org:admin", [users.bob]: "org:member" });
  expect(entryOf(s, "tenant-a-bob").outputs["organizationId"]).toBe(newOrgId);
  expect(calls(clerk)).toEqual([
    "POST /v1/organizations",
    "POST /v1/organizations/org_X/memberships",
    "POST /v1/organizations/org_X/memberships",
  ]);
  expect(await engine.destroy()).toMatchObject({ deleted: 3, deletedWith: 2, failures: [] });
  expect(clerkCounts(clerk)).toEqual({ organizations: 0, memberships: 0 });
});

it("a member's user deleted out of band: refresh drops that membership only", async () => {
  s = await startStack();
  const { engine, clerk } = s;
  const users = seedUsers(clerk, "ada", "bob");
  expect(await engine.up(tenant(users))).toMatchObject({ created: 3, failures: [] });
  const orgId = entryOf(s, "tenant-a").id;
  clerk.control.removeUser(users.bob); // Clerk deletes the user's memberships with it
  expect(rolesIn(clerk, orgId)).toEqual({ [users.ada]: "org:admin" });

  expect(await engine.refresh()).toEqual({ updated: 0, deleted: 1, unchanged: 2, failures: [] });
  expect(stateOf(s, "tenant-a-bob")).toBeUndefined();
  expect(
    engine
      .state()
      .map((e) => e.name)
      .sort(),
  ).toEqual(["tenant-a", "tenant-a-ada"]);
  expect(await engine.destroy()).toMatchObject({ deleted: 2, deletedWith: 1, failures: [] });
  expect(clerkCounts(clerk)).toEqual({ organizations: 0, memberships: 0 });
});

it("a membership moved to another organization is replaced: the new one first, then the old one goes", async () => {
  s = await startStack();
  const { engine, clerk } = s;
  const users = seedUsers(clerk, "ada", "bob");
  const program = (bobIn: "a" | "b") => () => {
    const orgs = {
      a: new ClerkOrganization("tenant-a", { name: "Tenant A", slug: "tenant-a" }),
      b: new ClerkOrganization("tenant-b", { name: "Tenant B", slug: "tenant-b" }),
    };
    for (const [key, org] of Object.entries(orgs))
      new ClerkOrganizationMembership(
        `tenant-${key}-ada`,
        { organizationId: org.organizationId, userId: users.ada, role: "org:admin" },
        { deletedWith: org },
      );
    new ClerkOrganizationMembership(
      "bob",
      { organizationId: orgs[bobIn].organizationId, userId: users.bob, role: "org:member" },
      { deletedWith: orgs[bobIn] },
    );
  };
  expect(await engine.up(program("a"))).toMatchObject({ created: 5, failures: [] });
  const a = entryOf(s, "tenant-a").id;
  const b = entryOf(s, "tenant-b").id;
  const before = entryOf(s, "bob").id;

  clerk.control.clearRequests();
  expect(await engine.up(program("b"))).toMatchObject({ replaced: 1, unchanged: 4, failures: [] });
  const after = entryOf(s, "bob");
  expect(after.id).not.toBe(before);
  expect(after.outputs["organizationId"]).toBe(b);
  expect(after.deletedWith).toBe(entryOf(s, "tenant-b").urn);
  expect(rolesIn(clerk, a)).toEqual({ [users.ada]: "org:admin" });
  expect(rolesIn(clerk, b)).toEqual({ [users.ada]: "org:admin", [users.bob]: "org:member" });
  expect(calls(clerk)).toEqual([
    "POST /v1/organizations/org_X/memberships",
    "GET /v1/organizations/org_X/memberships?user_id=user_X&limit=1",
    "DELETE /v1/organizations/org_X/memberships/user_X",
  ]);
  expect(clerk.control.requests().map((r) => r.organizationId)).toEqual([b, a, a]);
  expect(await engine.destroy()).toMatchObject({ deleted: 5, deletedWith: 3, failures: [] });
  expect(clerkCounts(clerk)).toEqual({ organizations: 0, memberships: 0 });
});

it("Clerk's refusals on membership create are errors that name the field and change nothing", async () => {
  s = await startStack();
  const { engine, clerk } = s;
  const users = seedUsers(clerk, "ada", "bob", "cy");
  const program = (extra?: { user: string; role: string }) => () => {
    const org = new ClerkOrganization("tenant-a", { name: "Tenant A", slug: "tenant-a", maxAllowedMemberships: 2 });
    for (const [name, userId, role] of [
      ["tenant-a-ada", users.ada, "org:admin"],
      ["tenant-a-bob", users.bob, "org:member"],
      ...(extra ? [["tenant-a-extra", extra.user, extra.role]] : []),
    ] as const)
      new ClerkOrganizationMembership(name, { organizationId: org.organizationId, userId, role }, { deletedWith: org });
  };
  expect(await engine.up(program())).toMatchObject({ created: 3, failures: [] });
  const orgId = entryOf(s, "tenant-a").id;

  // A role the instance does not have.
  const unknownRole = await engine.up(program({ user: users.cy, role: "org:owner" }));
  expect(onlyFailure(unknownRole.failures).message).toMatch(
    exact(
      'ClerkOrganizationMembership "tenant-a-extra": create failed [clerk_api_error]: Clerk 404 resource_not_found: ' +
        'field "role": Organization role not found: TRACE',
    ),
  );
  // The organization is full (maxAllowedMemberships: 2).
  const full = await engine.up(program({ user: users.cy, role: "org:member" }));
  expect(onlyFailure(full.failures).message).toMatch(
    exact(
      'ClerkOrganizationMembership "tenant-a-extra": create failed [clerk_api_error]: Clerk 403 ' +
        "organization_membership_quota_exceeded: You have reached your limit of 2 organization memberships, " +
        "including outstanding invitations.: TRACE",
    ),
  );
  expect(stateOf(s, "tenant-a-extra")).toBeUndefined();
  expect(rolesIn(clerk, orgId)).toEqual({ [users.ada]: "org:admin", [users.bob]: "org:member" });
  expect(await engine.destroy()).toMatchObject({ failures: [] });
  expect(clerkCounts(clerk)).toEqual({ organizations: 0, memberships: 0 });
});
