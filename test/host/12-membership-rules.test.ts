/**
 * Issue 12, host conformance: the Clerk rules decision 0015 designs around, through the real provider host.
 * - Destroy of an organization with an admin and a member declared `deletedWith: org` (users, organization and
 *   memberships all resources of the stack) leaves Clerk with 0 users, 0 organizations and 0 memberships, with no
 *   membership DELETE (Clerk would refuse the last admin's).
 * - A membership for the organization's `createdBy` user fails its create with `already_member`, naming `createdBy`,
 *   and changes nothing in Clerk.
 * - Deleting the last admin's membership without `deletedWith` fails with `last_admin` (never a false success): state
 *   keeps the membership, Clerk keeps it; declaring `deletedWith` then lets the destroy through.
 */
import { ClerkOrganization, ClerkOrganizationMembership, ClerkUser } from "../../src";
import {
  calls,
  clerkCounts,
  entryOf,
  exact,
  membershipUrn,
  onlyFailure,
  orgUrn,
  rolesIn,
  seedUsers,
  startStack,
  stateOf,
  writes,
  type Stack,
} from "./12-support";

let s: Stack | undefined;
afterEach(async () => {
  await s?.[Symbol.asyncDispose]();
  s = undefined;
});

it("destroy with deletedWith: org leaves 0 users, 0 organizations and 0 memberships, deleting no membership", async () => {
  s = await startStack();
  const { engine, clerk } = s;
  const program = () => {
    const admin = new ClerkUser("qa-admin", { emailAddresses: ["qa-admin@example.com"] });
    const member = new ClerkUser("qa-member", { emailAddresses: ["qa-member@example.com"] });
    const org = new ClerkOrganization("tenant-a", { name: "Tenant A", slug: "tenant-a" });
    new ClerkOrganizationMembership(
      "tenant-a-admin",
      { organizationId: org.organizationId, userId: admin.userId, role: "org:admin" },
      { deletedWith: org },
    );
    new ClerkOrganizationMembership(
      "tenant-a-member",
      { organizationId: org.organizationId, userId: member.userId, role: "org:member" },
      { deletedWith: org },
    );
  };
  const up = await engine.up(program);
  expect(up).toMatchObject({ created: 5, failures: [] });
  const orgId = entryOf(s, "tenant-a").id;
  const ids = { admin: entryOf(s, "qa-admin").id, member: entryOf(s, "qa-member").id };
  expect(rolesIn(clerk, orgId)).toEqual({ [ids.admin]: "org:admin", [ids.member]: "org:member" });
  expect(entryOf(s, "tenant-a-admin").outputs).toMatchObject({ organizationId: orgId, userId: ids.admin });
  clerk.control.clearRequests();
  expect(await engine.up(program)).toMatchObject({ unchanged: 5, failures: [] });
  expect(clerk.control.requests()).toEqual([]);

  const destroyed = await engine.destroy();
  expect(destroyed).toMatchObject({ deleted: 5, deletedWith: 2, failures: [] });
  // The organization: read, delete. No membership request at all. The users: one DELETE each (their reads may be
  // batched, depending on timing, so only the writes are counted).
  expect(calls(clerk).filter((c) => c.includes("/organizations"))).toEqual([
    "GET /v1/organizations/org_X",
    "DELETE /v1/organizations/org_X",
  ]);
  expect(writes(clerk)).toEqual(
    expect.arrayContaining(["DELETE /v1/organizations/org_X", "DELETE /v1/users/user_X", "DELETE /v1/users/user_X"]),
  );
  expect(writes(clerk)).toHaveLength(3);
  expect(clerk.control.users()).toEqual([]);
  expect(clerkCounts(clerk)).toEqual({ organizations: 0, memberships: 0 });
  expect(engine.state()).toEqual([]);
});

it("a membership for the organization's createdBy user fails with already_member, naming createdBy", async () => {
  s = await startStack();
  const { engine, clerk } = s;
  const users = seedUsers(clerk, "founder");
  const up = await engine.up(() => {
    const org = new ClerkOrganization("tenant-a", { name: "Tenant A", slug: "tenant-a", createdBy: users.founder });
    new ClerkOrganizationMembership(
      "tenant-a-founder",
      { organizationId: org.organizationId, userId: users.founder, role: "org:admin" },
      { deletedWith: org },
    );
  });
  const failure = onlyFailure(up.failures);
  expect(failure).toMatchObject({ name: "tenant-a-founder", op: "create" });
  expect(failure.message).toMatch(
    exact(
      'ClerkOrganizationMembership "tenant-a-founder": create failed [already_member]: ' +
        'Clerk 400 already_a_member_in_organization: field "userId": ' +
        `user ${users.founder} is the createdBy of organization ORG_ID, which made them an org:admin member that ` +
        "belongs to the organization. Drop this membership resource, or drop createdBy and declare this membership " +
        "with role org:admin instead: TRACE",
    ),
  );
  expect(up.created).toBe(1);
  const org = entryOf(s, "tenant-a");
  expect(org.outputs["createdBy"]).toBe(users.founder);
  expect(stateOf(s, "tenant-a-founder")).toBeUndefined();
  // Clerk holds the one membership createdBy made, untouched (no marker written onto it).
  const memberships = clerk.control.memberships({ organizationId: org.id });
  expect(memberships.map((m) => [m.user_id, m.role, m.private_metadata])).toEqual([[users.founder, "org:admin", {}]]);
  // Clerk's 400 is met by a lookup: the member is there without this stack's marker, so it is not taken.
  expect(calls(clerk)).toEqual([
    "GET /v1/instance",
    "POST /v1/organizations",
    "POST /v1/organizations/org_X/memberships",
    "GET /v1/organizations/org_X/memberships?user_id=user_X&limit=1",
  ]);

  // The implicit membership goes with the organization.
  expect(await engine.destroy()).toMatchObject({ deleted: 1, failures: [] });
  expect(clerkCounts(clerk)).toEqual({ organizations: 0, memberships: 0 });
  expect(clerk.control.users()).toHaveLength(1); // seeded outside the stack
});

it("deleting the last admin's membership without deletedWith fails with last_admin and state keeps it", async () => {
  s = await startStack();
  const { engine, clerk } = s;
  const users = seedUsers(clerk, "ada");
  const program =
    (withAdmin: boolean, opts: { deletedWith?: boolean } = {}) =>
    () => {
      const org = new ClerkOrganization("tenant-a", { name: "Tenant A", slug: "tenant-a" });
      if (withAdmin)
        new ClerkOrganizationMembership(
          "tenant-a-ada",
          { organizationId: org.organizationId, userId: users.ada, role: "org:admin" },
          opts.deletedWith ? { deletedWith: org } : {},
        );
    };
  expect((await engine.up(program(true))).failures).toEqual([]);
  const orgId = entryOf(s, "tenant-a").id;
  const ada = entryOf(s, "tenant-a-ada");
  expect(ada.deletedWith).toBe("");

  // The program drops the membership but keeps the organization: Clerk refuses, the provider says why.
  clerk.control.clearRequests();
  const removed = await engine.up(program(false));
  const failure = onlyFailure(removed.failures);
  expect(failure).toMatchObject({ name: "tenant-a-ada", op: "delete", urn: membershipUrn("tenant-a-ada") });
  const LAST_ADMIN = exact(
    'ClerkOrganizationMembership "tenant-a-ada" (MEMBERSHIP_ID): delete failed [last_admin]: ' +
      "Clerk 400 organization_minimum_permissions_needed: There has to be at least one organization " +
      "member with the minimum required permissions: the membership is still there: Clerk never removes an " +
      "organization's last admin. Give this membership the option `deletedWith: <its organization>` so a destroy " +
      "deletes the organization (and its memberships) instead, or delete the organization in the same update: TRACE",
  );
  expect(failure.message).toMatch(LAST_ADMIN);
  expect(removed.deleted).toBe(0);
  expect(writes(clerk)).toEqual(["DELETE /v1/organizations/org_X/memberships/user_X"]);
  expect(
    clerk.control
      .requests()
      .filter((r) => r.method === "DELETE")
      .map((r) => [r.status, r.errorCode]),
  ).toEqual([[400, "organization_minimum_permissions_needed"]]);
  expect(entryOf(s, "tenant-a-ada")).toEqual(ada); // state still holds it, unchanged
  expect(rolesIn(clerk, orgId)).toEqual({ [users.ada]: "org:admin" });

  // A destroy without deletedWith meets the same answer; the organization's delete waits for it, so nothing goes.
  clerk.control.clearRequests();
  const blocked = await engine.destroy();
  expect(onlyFailure(blocked.failures).message).toMatch(LAST_ADMIN);
  expect(writes(clerk)).toEqual(["DELETE /v1/organizations/org_X/memberships/user_X"]);
  expect(
    engine
      .state()
      .map((e) => e.urn)
      .sort(),
  ).toEqual([membershipUrn("tenant-a-ada"), orgUrn("tenant-a")].sort());
  expect(clerkCounts(clerk)).toEqual({ organizations: 1, memberships: 1 });

  // The fix the message names: declare deletedWith (an option-only change, no request), then destroy.
  clerk.control.clearRequests();
  expect(await engine.up(program(true, { deletedWith: true }))).toMatchObject({ unchanged: 2, failures: [] });
  expect(clerk.control.requests()).toEqual([]);
  expect(entryOf(s, "tenant-a-ada").deletedWith).toBe(orgUrn("tenant-a"));
  expect(await engine.destroy()).toMatchObject({ deleted: 2, deletedWith: 1, failures: [] });
  expect(writes(clerk)).toEqual(["DELETE /v1/organizations/org_X"]);
  expect(clerkCounts(clerk)).toEqual({ organizations: 0, memberships: 0 });
  expect(engine.state()).toEqual([]);
});

it("demoting the last admin fails with last_admin on role, and state keeps the role Clerk holds", async () => {
  s = await startStack();
  const { engine, clerk } = s;
  const users = seedUsers(clerk, "ada");
  const program = (role: string) => () => {
    const org = new ClerkOrganization("tenant-a", { name: "Tenant A", slug: "tenant-a" });
    new ClerkOrganizationMembership(
      "tenant-a-ada",
      { organizationId: org.organizationId, userId: users.ada, role },
      { deletedWith: org },
    );
  };
  expect((await engine.up(program("org:admin"))).failures).toEqual([]);
  const orgId = entryOf(s, "tenant-a").id;
  clerk.control.clearRequests();
  const demoted = await engine.up(program("org:member"));
  const failure = onlyFailure(demoted.failures);
  expect(failure).toMatchObject({ name: "tenant-a-ada", op: "update" });
  expect(failure.message).toMatch(
    /^ClerkOrganizationMembership "tenant-a-ada" \(orgmem_\w+\): update failed \[last_admin\]: /,
  );
  expect(failure.message).toContain('field "role"');
  expect(calls(clerk)).toEqual([
    "GET /v1/organizations/org_X/memberships?user_id=user_X&limit=1",
    "PATCH /v1/organizations/org_X/memberships/user_X",
  ]);
  expect(rolesIn(clerk, orgId)).toEqual({ [users.ada]: "org:admin" });
  expect(entryOf(s, "tenant-a-ada").outputs["role"]).toBe("org:admin"); // what Clerk holds, not what was asked
  // Asked again, it is attempted again (the state did not pretend it worked), and refused again.
  expect(onlyFailure((await engine.up(program("org:member"))).failures).message).toContain("[last_admin]");
  expect(await engine.destroy()).toMatchObject({ failures: [] });
  expect(clerkCounts(clerk)).toEqual({ organizations: 0, memberships: 0 });
});

it("the only admin's membership moves to another user: the new admin first, then the old one goes", async () => {
  s = await startStack();
  const { engine, clerk } = s;
  const users = seedUsers(clerk, "ada", "bob");
  const program = (admin: string) => () => {
    const org = new ClerkOrganization("tenant-a", { name: "Tenant A", slug: "tenant-a" });
    new ClerkOrganizationMembership(
      "tenant-a-admin",
      { organizationId: org.organizationId, userId: admin, role: "org:admin" },
      { deletedWith: org },
    );
  };
  expect((await engine.up(program(users.ada))).failures).toEqual([]);
  const orgId = entryOf(s, "tenant-a").id;
  clerk.control.clearRequests();
  expect(await engine.up(program(users.bob))).toMatchObject({ replaced: 1, failures: [] });
  expect(calls(clerk)).toEqual([
    "POST /v1/organizations/org_X/memberships",
    "GET /v1/organizations/org_X/memberships?user_id=user_X&limit=1",
    "DELETE /v1/organizations/org_X/memberships/user_X",
  ]);
  const [post, lookup, del] = clerk.control.requests();
  expect((post!.body as { user_id: string }).user_id).toBe(users.bob);
  expect(lookup!.query["user_id"]).toEqual([users.ada]);
  expect(del!.path).toBe(`/v1/organizations/${orgId}/memberships/${users.ada}`);
  expect(rolesIn(clerk, orgId)).toEqual({ [users.bob]: "org:admin" });
  expect(entryOf(s, "tenant-a-admin").outputs["userId"]).toBe(users.bob);
  expect(await engine.destroy()).toMatchObject({ deleted: 2, deletedWith: 1, failures: [] });
  expect(clerkCounts(clerk)).toEqual({ organizations: 0, memberships: 0 });
});
