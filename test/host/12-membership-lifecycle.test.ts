/**
 * Issue 12, host conformance: ClerkOrganizationMembership through Pulumi's real dynamic-provider host, against the
 * local Clerk. create → up again (no request at all) → refresh → in-place edits (role, metadata) → out-of-band drift
 * (refresh shows it, up repairs it) → out-of-band delete (refresh drops it, up recreates it) → delete, then a second
 * delete of the same membership (a no-op success) → destroy with `deletedWith: org`.
 *
 * The organization is a ClerkOrganization of the same program, its id flowing into the memberships (as with the real
 * engine); the users are seeded out of band, so the request log holds only organization requests.
 */
import { ClerkOrganization, ClerkOrganizationMembership } from "../../src";
import {
  calls,
  clerkCounts,
  entryOf,
  lookedUp,
  MEMBERSHIP_ID,
  membershipUrn,
  OWNER_ID,
  rolesIn,
  seedUsers,
  startStack,
  stateOf,
  withMarker,
  writeBodies,
  type Stack,
} from "./12-support";

let s: Stack | undefined;
afterEach(async () => {
  await s?.[Symbol.asyncDispose]();
  s = undefined;
});

const ADA = "tenant-a-ada";
const BOB = "tenant-a-bob";

/** Tenant A with Ada as its admin and, when given, Bob with `bob`'s args; both go with the organization. */
const program = (users: { ada: string; bob: string }, bob?: Record<string, unknown>) => () => {
  const org = new ClerkOrganization("tenant-a", { name: "Tenant A", slug: "tenant-a" });
  const organizationId = org.organizationId;
  new ClerkOrganizationMembership(ADA, { organizationId, userId: users.ada, role: "org:admin" }, { deletedWith: org });
  if (bob)
    new ClerkOrganizationMembership(BOB, { organizationId, userId: users.bob, ...bob } as never, { deletedWith: org });
};

const bobArgs = {
  role: "org:member",
  publicMetadata: { team: "qa", level: 2 },
  privateMetadata: { seat: "S-1" },
};

it("create → no-op → in-place edits → drift → out-of-band delete → delete twice → destroy", async () => {
  s = await startStack();
  const { engine, clerk } = s;
  const users = seedUsers(clerk, "ada", "bob");

  // ---- up: the organization, then one POST per membership with exactly the declared body plus the marker ----
  const first = await engine.up(program(users, bobArgs));
  expect(first.failures).toEqual([]);
  expect(first.created).toBe(3);
  const orgId = entryOf(s, "tenant-a").id;
  expect(calls(clerk)).toEqual([
    "GET /v1/instance",
    "POST /v1/organizations",
    "POST /v1/organizations/org_X/memberships",
    "POST /v1/organizations/org_X/memberships",
  ]);
  const bodies = writeBodies(clerk);
  expect(bodies[0]![0]).toBe("POST /v1/organizations");
  expect(bodies.slice(1).sort(([, a], [, b]) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual(
    [
      [
        "POST /v1/organizations/org_X/memberships",
        { user_id: users.ada, role: "org:admin", private_metadata: withMarker(clerk, ADA) },
      ],
      [
        "POST /v1/organizations/org_X/memberships",
        {
          user_id: users.bob,
          role: "org:member",
          public_metadata: { team: "qa", level: 2 },
          private_metadata: withMarker(clerk, BOB, { seat: "S-1" }),
        },
      ],
    ].sort(([, a], [, b]) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
  );
  expect(
    clerk.control
      .requests()
      .filter((r) => r.method === "POST")
      .map((r) => r.path),
  ).toEqual(["/v1/organizations", `/v1/organizations/${orgId}/memberships`, `/v1/organizations/${orgId}/memberships`]);
  const bob = entryOf(s, BOB);
  expect(bob.id).toMatch(MEMBERSHIP_ID);
  const bobOwner = bob.outputs["ownerId"] as string;
  expect(bobOwner).toMatch(OWNER_ID);
  expect(bob.outputs).toMatchObject({
    membershipId: bob.id,
    organizationId: orgId,
    userId: users.bob,
    role: "org:member",
    publicMetadata: { team: "qa", level: 2 },
    privateMetadata: { seat: "S-1" }, // the marker is not an output
    instanceId: clerk.instanceId,
  });
  expect(bob.deletedWith).toBe("urn:pulumi:test::pulumi-clerk::pulumi-nodejs:dynamic/clerk:Organization::tenant-a");
  expect(rolesIn(clerk, orgId)).toEqual({ [users.ada]: "org:admin", [users.bob]: "org:member" });
  expect(clerk.control.getMembership(orgId, users.bob)).toMatchObject({
    id: bob.id,
    public_metadata: { team: "qa", level: 2 },
    private_metadata: withMarker(clerk, BOB, { seat: "S-1" }, bobOwner),
  });

  // ---- up again: no change, no request at all; refresh: no drift ----
  clerk.control.clearRequests();
  expect(await engine.up(program(users, bobArgs))).toMatchObject({ unchanged: 3, failures: [] });
  expect(clerk.control.requests()).toEqual([]);
  expect(await engine.refresh()).toEqual({ updated: 0, deleted: 0, unchanged: 3, failures: [] });
  // The organization's read, and one lookup of each member (together in one request, or not: timing).
  expect(calls(clerk).filter((c) => !c.includes("/memberships"))).toEqual(["GET /v1/organizations/org_X"]);
  expect(lookedUp(clerk)).toEqual([users.ada, users.bob].sort());
  clerk.control.clearRequests();
  expect(await engine.up(program(users, bobArgs))).toMatchObject({ unchanged: 3, failures: [] });
  expect(clerk.control.requests()).toEqual([]);

  // ---- in place: the role, one PATCH ----
  const promoted = { ...bobArgs, role: "org:admin" };
  const upd = await engine.up(program(users, promoted));
  expect(upd).toMatchObject({ updated: 1, unchanged: 2, replaced: 0, created: 0, failures: [] });
  expect(entryOf(s, BOB).id).toBe(bob.id);
  // The lookup (the membership must still be this one, with this stack's marker), then the write.
  expect(calls(clerk)).toEqual([
    "GET /v1/organizations/org_X/memberships?user_id=user_X&limit=1",
    "PATCH /v1/organizations/org_X/memberships/user_X",
  ]);
  expect(writeBodies(clerk)).toEqual([["PATCH /v1/organizations/org_X/memberships/user_X", { role: "org:admin" }]]);
  expect(rolesIn(clerk, orgId)).toEqual({ [users.ada]: "org:admin", [users.bob]: "org:admin" });
  expect(entryOf(s, BOB).outputs["role"]).toBe("org:admin");

  // ---- in place: metadata, declaratively through Clerk's merge (a removed key is sent as null) ----
  clerk.control.clearRequests();
  const edited = { ...promoted, publicMetadata: { team: "ops" }, privateMetadata: { seat: "S-2" } };
  expect(await engine.up(program(users, edited))).toMatchObject({ updated: 1, failures: [] });
  expect(calls(clerk)).toEqual([
    "GET /v1/organizations/org_X/memberships?user_id=user_X&limit=1",
    "PATCH /v1/organizations/org_X/memberships/user_X/metadata",
  ]);
  expect(writeBodies(clerk)).toEqual([
    [
      "PATCH /v1/organizations/org_X/memberships/user_X/metadata",
      { public_metadata: { team: "ops", level: null }, private_metadata: { seat: "S-2" } },
    ],
  ]);
  expect(clerk.control.getMembership(orgId, users.bob)).toMatchObject({
    public_metadata: { team: "ops" },
    private_metadata: withMarker(clerk, BOB, { seat: "S-2" }, bobOwner),
  });
  clerk.control.clearRequests();
  expect(await engine.up(program(users, edited))).toMatchObject({ unchanged: 3, failures: [] });
  expect(clerk.control.requests()).toEqual([]);

  // ---- out-of-band drift: the Dashboard demotes Bob and adds a key; refresh shows it, up repairs both ----
  clerk.control.patchMembership(orgId, users.bob, {
    role: "org:member",
    public_metadata: { team: "ops", addedBy: "dashboard" },
  });
  clerk.control.clearRequests();
  expect(await engine.refresh()).toEqual({ updated: 1, deleted: 0, unchanged: 2, failures: [] });
  expect(entryOf(s, BOB).inputs).toMatchObject({
    role: "org:member",
    publicMetadata: { team: "ops", addedBy: "dashboard" },
  });
  expect(entryOf(s, BOB).outputs["role"]).toBe("org:member");
  clerk.control.clearRequests();
  expect(await engine.up(program(users, edited))).toMatchObject({ updated: 1, unchanged: 2, failures: [] });
  expect(calls(clerk)).toEqual([
    "GET /v1/organizations/org_X/memberships?user_id=user_X&limit=1",
    "PATCH /v1/organizations/org_X/memberships/user_X",
    "PATCH /v1/organizations/org_X/memberships/user_X/metadata",
  ]);
  expect(writeBodies(clerk)).toEqual([
    ["PATCH /v1/organizations/org_X/memberships/user_X", { role: "org:admin" }],
    // a merge patch: what differs from Clerk's, a removed key as null
    ["PATCH /v1/organizations/org_X/memberships/user_X/metadata", { public_metadata: { addedBy: null } }],
  ]);
  expect(clerk.control.getMembership(orgId, users.bob)).toMatchObject({
    role: "org:admin",
    public_metadata: { team: "ops" },
  });
  clerk.control.clearRequests();
  expect(await engine.up(program(users, edited))).toMatchObject({ unchanged: 3, failures: [] });
  expect(clerk.control.requests()).toEqual([]);

  // ---- out-of-band delete: refresh drops only that membership; up adds it again ----
  clerk.control.removeMembership(orgId, users.bob);
  clerk.control.clearRequests();
  expect(await engine.refresh()).toEqual({ updated: 0, deleted: 1, unchanged: 2, failures: [] });
  expect(stateOf(s, BOB)).toBeUndefined();
  clerk.control.clearRequests();
  expect(await engine.up(program(users, edited))).toMatchObject({ created: 1, unchanged: 2, failures: [] });
  expect(calls(clerk)).toEqual(["POST /v1/organizations/org_X/memberships"]);
  expect(writeBodies(clerk)).toEqual([
    [
      "POST /v1/organizations/org_X/memberships",
      {
        user_id: users.bob,
        role: "org:admin",
        public_metadata: { team: "ops" },
        private_metadata: withMarker(clerk, BOB, { seat: "S-2" }),
      },
    ],
  ]);
  const bob2 = entryOf(s, BOB);
  expect(bob2.id).not.toBe(bob.id);
  expect(clerk.control.getMembership(orgId, users.bob)!.id).toBe(bob2.id);

  // ---- delete (the organization stays: a real DELETE), then the same delete again is a success ----
  clerk.control.clearRequests();
  expect(await engine.up(program(users))).toMatchObject({ deleted: 1, deletedWith: 0, unchanged: 2, failures: [] });
  expect(calls(clerk)).toEqual([
    "GET /v1/organizations/org_X/memberships?user_id=user_X&limit=1",
    "DELETE /v1/organizations/org_X/memberships/user_X",
  ]);
  expect(rolesIn(clerk, orgId)).toEqual({ [users.ada]: "org:admin" });
  clerk.control.clearRequests();
  await expect(s.host.delete(bob2.id, membershipUrn(BOB), bob2.outputs)).resolves.toBeUndefined();
  // The lookup finds no membership of Bob: gone (the instance identity is known), nothing to delete.
  expect(calls(clerk)).toEqual(["GET /v1/organizations/org_X/memberships?user_id=user_X&limit=1"]);
  expect(clerk.control.requests().map((r) => [r.status, r.query])).toEqual([
    [200, { user_id: [users.bob], limit: "1" }],
  ]);
  expect(rolesIn(clerk, orgId)).toEqual({ [users.ada]: "org:admin" });

  // ---- destroy: the organization goes, and its last admin's membership with it (deletedWith) ----
  clerk.control.clearRequests();
  expect(await engine.destroy()).toMatchObject({ deleted: 2, deletedWith: 1, failures: [] });
  expect(calls(clerk)).toEqual(["GET /v1/organizations/org_X", "DELETE /v1/organizations/org_X"]);
  expect(clerkCounts(clerk)).toEqual({ organizations: 0, memberships: 0 });
  expect(engine.state()).toEqual([]);
  expect(clerk.control.users()).toHaveLength(2); // seeded outside the stack: untouched
});

it("metadata dropped from the program is removed key by key through Clerk's merge; the marker stays", async () => {
  s = await startStack();
  const { engine, clerk } = s;
  const users = seedUsers(clerk, "ada", "bob");
  expect((await engine.up(program(users, bobArgs))).failures).toEqual([]);
  const orgId = entryOf(s, "tenant-a").id;
  const ownerId = entryOf(s, BOB).outputs["ownerId"] as string;

  clerk.control.clearRequests();
  expect(await engine.up(program(users, { role: "org:member" }))).toMatchObject({ updated: 1, failures: [] });
  expect(writeBodies(clerk)).toEqual([
    [
      "PATCH /v1/organizations/org_X/memberships/user_X/metadata",
      { public_metadata: { team: null, level: null }, private_metadata: { seat: null } },
    ],
  ]);
  expect(clerk.control.getMembership(orgId, users.bob)).toMatchObject({
    public_metadata: {},
    private_metadata: withMarker(clerk, BOB, {}, ownerId),
  });
  clerk.control.clearRequests();
  expect(await engine.up(program(users, { role: "org:member" }))).toMatchObject({ unchanged: 3, failures: [] });
  expect(clerk.control.requests()).toEqual([]);
  expect(await engine.refresh()).toMatchObject({ updated: 0, failures: [] });
  expect((await engine.destroy()).failures).toEqual([]);
  expect(clerkCounts(clerk)).toEqual({ organizations: 0, memberships: 0 });
});
