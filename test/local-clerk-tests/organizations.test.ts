import { CLOCK_START, clerkError, raw, startHarness, type ClerkClient, type Harness } from "./helpers";

/**
 * Organizations and memberships through the real @clerk/backend 3.25 client (`clerkClient.organizations.*`):
 * the exact wire body the SDK sends, the state the local Clerk then holds, and Clerk's error codes. Findings about
 * what the SDK sends are written up in docs/organizations-groundwork.md.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.server.close();
});
beforeEach(() => h.server.control.reset());

const ORG = /^org_[0-9A-Za-z]{27}$/;
const ORGMEM = /^orgmem_[0-9A-Za-z]{27}$/;
const ADMIN_PERMISSIONS = [
  "org:sys_profile:manage",
  "org:sys_profile:delete",
  "org:sys_memberships:read",
  "org:sys_memberships:manage",
  "org:sys_domains:read",
  "org:sys_domains:manage",
];

type Orgs = ClerkClient["organizations"];
/** The SDK's param types lack spec fields (createdAt, roleSetKey, membership metadata); it forwards them anyway. */
const untyped = <T>(p: Record<string, unknown>): T => p as T;
const createOrg = (p: Record<string, unknown>) =>
  h.client.organizations.createOrganization(untyped<Parameters<Orgs["createOrganization"]>[0]>(p));
const addMember = (p: Record<string, unknown>) =>
  h.client.organizations.createOrganizationMembership(untyped<Parameters<Orgs["createOrganizationMembership"]>[0]>(p));

/** The body of the last logged request with this method and path. */
function lastBody(method: string, path: string | RegExp): unknown {
  const hits = h.server.control
    .requests()
    .filter((e) => e.method === method && (typeof path === "string" ? e.path === path : path.test(e.path)));
  return hits[hits.length - 1]?.body;
}

async function user(username: string, extra: Record<string, unknown> = {}) {
  return h.client.users.createUser({ username, ...extra });
}

describe("createOrganization", () => {
  it("sends every spec field snake-cased, extras included; created_by becomes an admin member", async () => {
    const ada = await user("ada");
    const org = await createOrg({
      name: "Acme Corp",
      slug: "acme",
      createdBy: ada.id,
      maxAllowedMemberships: 5,
      publicMetadata: { plan: "pro", nestedKey: { camelCase: 1 } },
      privateMetadata: { billingId: "b-1" },
      createdAt: new Date("2020-01-02T03:04:05.678Z"),
      roleSetKey: "role_set:default",
    });
    expect(lastBody("POST", "/v1/organizations")).toEqual({
      name: "Acme Corp",
      slug: "acme",
      created_by: ada.id,
      max_allowed_memberships: 5,
      // only top-level keys are snake-cased: metadata content arrives as written
      public_metadata: { plan: "pro", nestedKey: { camelCase: 1 } },
      private_metadata: { billingId: "b-1" },
      created_at: "2020-01-02T03:04:05.678Z",
      role_set_key: "role_set:default",
    });
    expect(org.id).toMatch(ORG);
    expect(org).toMatchObject({
      name: "Acme Corp",
      slug: "acme",
      createdBy: ada.id,
      maxAllowedMemberships: 5,
      adminDeleteEnabled: true,
      hasImage: false,
      publicMetadata: { plan: "pro", nestedKey: { camelCase: 1 } },
      privateMetadata: { billingId: "b-1" },
      createdAt: Date.parse("2020-01-02T03:04:05.678Z"),
    });
    expect(org.raw).toMatchObject({ object: "organization", role_set_key: "role_set:default" });
    expect(org.imageUrl).toMatch(/^https:\/\/img\.clerk\.com\//);
    const [creator] = h.server.control.memberships({ organizationId: org.id });
    expect(creator).toMatchObject({ user_id: ada.id, role: "org:admin", public_metadata: {}, private_metadata: {} });
    expect(creator!.id).toMatch(ORGMEM);
    expect(h.server.control.requests()[1]).toMatchObject({ status: 200, organizationId: org.id });
  });

  it("a name alone: a slug made of the name and the creation second, no member, Clerk's defaults", async () => {
    const org = await h.client.organizations.createOrganization({ name: "  Über Straße & Co  " });
    expect(lastBody("POST", "/v1/organizations")).toEqual({ name: "  Über Straße & Co  " });
    expect(org.name).toBe("Über Straße & Co");
    expect(org.slug).toBe(`uber-stra-e-co-${Math.floor(org.createdAt / 1000)}`);
    expect(org.createdAt).toBeGreaterThan(CLOCK_START);
    expect(org.createdBy).toBeUndefined();
    expect(org.raw).toMatchObject({ max_allowed_memberships: 0, role_set_key: null, private_metadata: {} });
    expect(org.raw).not.toHaveProperty("created_by");
    expect(h.server.control.memberships()).toEqual([]);
  });

  it("two organizations with one name and no slug within one second: the second's generated slug is taken", async () => {
    await h.client.organizations.createOrganization({ name: "Twin" });
    const err = await clerkError(h.client.organizations.createOrganization({ name: "Twin" }));
    expect([err.status, err.errors[0]!.code, err.errors[0]!.meta?.paramName]).toEqual([
      422,
      "form_identifier_exists",
      "slug",
    ]);
    expect(h.server.control.organizations()).toHaveLength(1);
  });

  it("a taken slug: 422 form_identifier_exists on slug, and nothing is stored", async () => {
    await h.client.organizations.createOrganization({ name: "One", slug: "shared" });
    const err = await clerkError(h.client.organizations.createOrganization({ name: "Two", slug: "shared" }));
    expect(err.status).toBe(422);
    expect(err.errors).toEqual([
      expect.objectContaining({
        code: "form_identifier_exists",
        message: "That slug is taken. Please try another.",
        meta: expect.objectContaining({ paramName: "slug" }),
      }),
    ]);
    expect(h.server.control.organizations().map((o) => o.name)).toEqual(["One"]);
  });

  it.each([
    ["a slug with spaces and capitals", { name: "Bad", slug: "Not A Slug" }, 422, "form_param_format_invalid", "slug"],
    ["an empty name", { name: "" }, 422, "form_param_value_invalid", "name"],
    ["a name over 256 characters", { name: "x".repeat(257) }, 422, "form_param_value_invalid", "name"],
    ["HTML in the name", { name: "<b>bold</b>" }, 422, "form_param_value_invalid", "name"],
    ["no name", { slug: "no-name" }, 422, "form_param_missing", "name"],
    [
      "a negative limit",
      { name: "N", maxAllowedMemberships: -1 },
      422,
      "form_param_value_invalid",
      "max_allowed_memberships",
    ],
    ["a created_at not RFC 3339", { name: "N", createdAt: "yesterday" }, 422, "form_param_invalid_time", "created_at"],
    [
      "metadata over 8 KB",
      { name: "N", publicMetadata: { big: "x".repeat(9000) } },
      422,
      "form_param_exceeds_allowed_size",
      "public_metadata",
    ],
    [
      "an unknown created_by",
      { name: "N", createdBy: "user_missing" },
      400,
      "organization_creator_not_found",
      undefined,
    ],
  ])("%s", async (_label, params, status, code, param) => {
    const err = await clerkError(createOrg(params));
    expect([err.status, err.errors[0]!.code, err.errors[0]!.meta?.paramName]).toEqual([status, code, param]);
    expect(h.server.control.organizations()).toEqual([]);
  });

  it("with organizations disabled on the instance every organization route answers 403", async () => {
    h.server.control.setOrganizationSettings({ enabled: false });
    const err = await clerkError(h.client.organizations.createOrganization({ name: "Off" }));
    expect([err.status, err.errors[0]!.code]).toEqual([403, "organization_not_enabled_in_instance"]);
    const list = await clerkError(h.client.organizations.getOrganizationList());
    expect(list.status).toBe(403);
    h.server.control.reset();
    expect(h.server.control.organizationSettings().enabled).toBe(true);
  });
});

describe("getOrganization and getOrganizationList", () => {
  it("by id or slug; includeMembersCount adds the members count", async () => {
    const ada = await user("ada");
    const org = await h.client.organizations.createOrganization({ name: "Get", slug: "get-me", createdBy: ada.id });
    expect((await h.client.organizations.getOrganization({ organizationId: org.id })).slug).toBe("get-me");
    const bySlug = await h.client.organizations.getOrganization({ slug: "get-me", includeMembersCount: true });
    expect([bySlug.id, bySlug.membersCount]).toEqual([org.id, 1]);
    expect(h.server.control.requests().pop()).toMatchObject({
      path: "/v1/organizations/get-me",
      query: { include_members_count: "true" },
      organizationId: org.id,
    });
    const err = await clerkError(h.client.organizations.getOrganization({ organizationId: "org_missing" }));
    expect([err.status, err.errors[0]!.code]).toEqual([404, "resource_not_found"]);
  });

  it("lists newest first with query, membership, order and paging filters, and the total", async () => {
    const ada = await user("ada");
    const bob = await user("bob");
    const a = await h.client.organizations.createOrganization({ name: "Alpha", slug: "alpha", createdBy: ada.id });
    const b = await h.client.organizations.createOrganization({ name: "Beta", slug: "beta", createdBy: bob.id });
    const c = await h.client.organizations.createOrganization({ name: "Gamma Alpha", slug: "gamma" });
    const all = await h.client.organizations.getOrganizationList();
    expect([all.data.map((o) => o.id), all.totalCount]).toEqual([[c.id, b.id, a.id], 3]);
    const q = await h.client.organizations.getOrganizationList({ query: "ALPHA" });
    expect(q.data.map((o) => o.id)).toEqual([c.id, a.id]);
    expect((await h.client.organizations.getOrganizationList({ query: b.id })).data.map((o) => o.id)).toEqual([b.id]);
    const page = await h.client.organizations.getOrganizationList({ orderBy: "+name", limit: 1, offset: 1 });
    expect([page.data.map((o) => o.name), page.totalCount]).toEqual([["Beta"], 3]);
    const withCounts = await h.client.organizations.getOrganizationList({
      includeMembersCount: true,
      orderBy: "-members_count",
      organizationId: [a.id, c.id],
    });
    expect(withCounts.data.map((o) => [o.id, o.membersCount])).toEqual([
      [a.id, 1],
      [c.id, 0],
    ]);
    const byUser = await raw(h.server, "GET", `/v1/organizations?user_id=${bob.id}`);
    expect((byUser.json as { data: Array<{ id: string }> }).data.map((o) => o.id)).toEqual([b.id]);
    const excluded = await raw(h.server, "GET", `/v1/organizations?organization_id=-${a.id}`);
    expect((excluded.json as { total_count: number }).total_count).toBe(2);
    const bad = await clerkError(h.client.organizations.getOrganizationList(untyped({ orderBy: "slug" })));
    expect([bad.status, bad.errors[0]!.code, bad.errors[0]!.meta?.paramName]).toEqual([
      422,
      "form_param_value_invalid",
      "order_by",
    ]);
  });
});

describe("updateOrganization", () => {
  it("a slug change is an in-place PATCH: the old slug is freed at once and the id stays", async () => {
    const org = await h.client.organizations.createOrganization({ name: "Slugged", slug: "old-slug" });
    const updated = await h.client.organizations.updateOrganization(org.id, { slug: "new-slug" });
    expect(lastBody("PATCH", `/v1/organizations/${org.id}`)).toEqual({ slug: "new-slug" });
    expect([updated.id, updated.slug]).toEqual([org.id, "new-slug"]);
    expect(updated.updatedAt).toBeGreaterThan(org.updatedAt);
    const gone = await clerkError(h.client.organizations.getOrganization({ slug: "old-slug" }));
    expect(gone.status).toBe(404);
    expect((await h.client.organizations.getOrganization({ slug: "new-slug" })).id).toBe(org.id);
    // the freed slug can be taken by another organization
    const other = await h.client.organizations.createOrganization({ name: "Other", slug: "old-slug" });
    expect(other.slug).toBe("old-slug");
    const clash = await clerkError(h.client.organizations.updateOrganization(org.id, { slug: "old-slug" }));
    expect([clash.status, clash.errors[0]!.code, clash.errors[0]!.meta?.paramName]).toEqual([
      422,
      "form_identifier_exists",
      "slug",
    ]);
    // its own slug again is no clash
    expect((await h.client.organizations.updateOrganization(org.id, { slug: "new-slug" })).slug).toBe("new-slug");
  });

  it("name, limits and flags; createdAt and roleSetKey (not in the SDK's type) are forwarded; null keeps", async () => {
    const org = await h.client.organizations.createOrganization({ name: "Before", slug: "upd" });
    const updated = await h.client.organizations.updateOrganization(
      org.id,
      untyped({
        name: "After",
        maxAllowedMemberships: 3,
        adminDeleteEnabled: false,
        createdAt: new Date("2019-05-06T07:08:09Z"),
        roleSetKey: "role_set:custom",
      }),
    );
    expect(lastBody("PATCH", `/v1/organizations/${org.id}`)).toEqual({
      name: "After",
      max_allowed_memberships: 3,
      admin_delete_enabled: false,
      created_at: "2019-05-06T07:08:09.000Z",
      role_set_key: "role_set:custom",
    });
    expect(updated).toMatchObject({
      name: "After",
      slug: "upd",
      maxAllowedMemberships: 3,
      adminDeleteEnabled: false,
      createdAt: Date.parse("2019-05-06T07:08:09Z"),
    });
    expect(updated.raw).toMatchObject({ role_set_key: "role_set:custom" });
    const kept = await raw(h.server, "PATCH", `/v1/organizations/${org.id}`, { body: { name: null, slug: null } });
    expect(kept.json).toMatchObject({ name: "After", slug: "upd" });
  });

  it("with metadata the SDK sends PATCH (the other fields, even none) and then PUT /metadata: a replace", async () => {
    const org = await h.client.organizations.createOrganization({
      name: "Meta",
      slug: "meta",
      publicMetadata: { keep: 1, drop: 2 },
    });
    h.server.control.clearRequests();
    // an undefined field still counts as "other fields" for the SDK (a caller building params from optional inputs)
    const updated = await h.client.organizations.updateOrganization(
      org.id,
      untyped({ name: undefined, publicMetadata: { keep: 1 } }),
    );
    expect(h.server.control.requests().map((e) => [e.method, e.path, e.body])).toEqual([
      ["PATCH", `/v1/organizations/${org.id}`, {}],
      ["PUT", `/v1/organizations/${org.id}/metadata`, { public_metadata: { keep: 1 } }],
    ]);
    expect(updated.publicMetadata).toEqual({ keep: 1 });
    h.server.control.clearRequests();
    await h.client.organizations.updateOrganization(org.id, { privateMetadata: { p: 1 } });
    expect(h.server.control.requests().map((e) => e.method)).toEqual(["PUT"]);
  });

  it("unknown organization: 404; the body is spec-validated (unknown keys refused)", async () => {
    const missing = await clerkError(h.client.organizations.updateOrganization("org_missing", { name: "X" }));
    expect([missing.status, missing.errors[0]!.code]).toEqual([404, "resource_not_found"]);
    const org = await h.client.organizations.createOrganization({ name: "Strict", slug: "strict" });
    const unknown = await clerkError(h.client.organizations.updateOrganization(org.id, untyped({ bogus: 1 })));
    expect([unknown.status, unknown.errors[0]!.code, unknown.errors[0]!.meta?.paramName]).toEqual([
      422,
      "form_param_unknown",
      "bogus",
    ]);
  });
});

describe("organization metadata", () => {
  it("PATCH deep-merges (null deletes), PUT replaces only the fields sent, both capped at 8 KB", async () => {
    const org = await h.client.organizations.createOrganization({
      name: "M",
      slug: "m",
      publicMetadata: { a: 1, nested: { x: 1, y: 2 } },
      privateMetadata: { secret: "s" },
    });
    const merged = await h.client.organizations.updateOrganizationMetadata(org.id, {
      publicMetadata: { a: null, nested: { y: 3, z: 4 } } as never,
    });
    expect(lastBody("PATCH", `/v1/organizations/${org.id}/metadata`)).toEqual({
      public_metadata: { a: null, nested: { y: 3, z: 4 } },
    });
    expect([merged.publicMetadata, merged.privateMetadata]).toEqual([
      { nested: { x: 1, y: 3, z: 4 } },
      { secret: "s" },
    ]);
    const replaced = await h.client.organizations.replaceOrganizationMetadata(org.id, { privateMetadata: {} });
    expect([replaced.publicMetadata, replaced.privateMetadata]).toEqual([{ nested: { x: 1, y: 3, z: 4 } }, {}]);
    const big = await clerkError(
      h.client.organizations.updateOrganizationMetadata(org.id, { publicMetadata: { big: "x".repeat(9000) } }),
    );
    expect([big.status, big.errors[0]!.code]).toEqual([422, "form_param_exceeds_allowed_size"]);
    const missing = await clerkError(
      h.client.organizations.replaceOrganizationMetadata("org_missing", { publicMetadata: {} }),
    );
    expect(missing.status).toBe(404);
    // with nothing to write the SDK sends no body at all, and the spec requires one
    const empty = await clerkError(h.client.organizations.replaceOrganizationMetadata(org.id, {}));
    expect([empty.status, empty.errors[0]!.code]).toEqual([400, "request_body_invalid"]);
    expect(h.server.control.requests().pop()).toMatchObject({ method: "PUT", body: undefined });
  });
});

describe("deleteOrganization", () => {
  it("answers the DeletedObject, deletes the memberships, keeps the users; a second delete is a 404", async () => {
    const ada = await user("ada");
    const bob = await user("bob");
    const org = await h.client.organizations.createOrganization({ name: "Doomed", slug: "doomed", createdBy: ada.id });
    await h.client.organizations.createOrganizationMembership({
      organizationId: org.id,
      userId: bob.id,
      role: "org:member",
    });
    const deleted = await h.client.organizations.deleteOrganization(org.id);
    expect(deleted).toMatchObject({ object: "organization", id: org.id, deleted: true });
    expect(h.server.control.organizations()).toEqual([]);
    expect(h.server.control.memberships()).toEqual([]);
    expect(h.server.control.users()).toHaveLength(2);
    const again = await clerkError(h.client.organizations.deleteOrganization(org.id));
    expect([again.status, again.errors[0]!.code]).toEqual([404, "resource_not_found"]);
    // the slug is free again
    expect((await h.client.organizations.createOrganization({ name: "Reborn", slug: "doomed" })).slug).toBe("doomed");
  });
});

describe("createOrganizationMembership", () => {
  it("sends {user_id, role}; metadata keys outside the SDK's type are forwarded snake-cased and stored", async () => {
    const ada = await user("ada", { firstName: "Ada", emailAddress: ["ada@example.com"] });
    const org = await h.client.organizations.createOrganization({ name: "Team", slug: "team" });
    const plain = await h.client.organizations.createOrganizationMembership({
      organizationId: org.id,
      userId: ada.id,
      role: "org:admin",
    });
    expect(lastBody("POST", `/v1/organizations/${org.id}/memberships`)).toEqual({ user_id: ada.id, role: "org:admin" });
    expect(plain.id).toMatch(ORGMEM);
    expect(plain).toMatchObject({
      role: "org:admin",
      permissions: ADMIN_PERMISSIONS,
      publicMetadata: {},
      privateMetadata: {},
      organization: expect.objectContaining({ id: org.id, slug: "team" }),
      publicUserData: expect.objectContaining({ userId: ada.id, firstName: "Ada", identifier: "ada@example.com" }),
    });
    expect(plain.raw).toMatchObject({ object: "organization_membership", role_name: "Admin" });

    const bob = await user("bob");
    const withMetadata = await addMember({
      organizationId: org.id,
      userId: bob.id,
      role: "org:member",
      publicMetadata: { team: "qa", camelKey: { innerKey: 1 } },
      privateMetadata: { badge: 7 },
    });
    expect(lastBody("POST", `/v1/organizations/${org.id}/memberships`)).toEqual({
      user_id: bob.id,
      role: "org:member",
      public_metadata: { team: "qa", camelKey: { innerKey: 1 } },
      private_metadata: { badge: 7 },
    });
    expect([withMetadata.publicMetadata, withMetadata.privateMetadata]).toEqual([
      { team: "qa", camelKey: { innerKey: 1 } },
      { badge: 7 },
    ]);
    expect(h.server.control.getMembership(org.id, bob.id)).toMatchObject({
      role: "org:member",
      public_metadata: { team: "qa", camelKey: { innerKey: 1 } },
      private_metadata: { badge: 7 },
    });
    expect(h.server.control.requests().pop()).toMatchObject({ userId: bob.id, organizationId: org.id });
  });

  it("errors: unknown organization, user or role 404; an existing member 400; a full organization 403", async () => {
    const ada = await user("ada");
    const bob = await user("bob");
    const cy = await user("cy");
    const org = await h.client.organizations.createOrganization({
      name: "Small",
      slug: "small",
      createdBy: ada.id,
      maxAllowedMemberships: 2,
    });
    const add = (organizationId: string, userId: string, role = "org:member") =>
      h.client.organizations.createOrganizationMembership({ organizationId, userId, role });
    const noOrg = await clerkError(add("org_missing", bob.id));
    expect([noOrg.status, noOrg.errors[0]!.code]).toEqual([404, "resource_not_found"]);
    const noUser = await clerkError(add(org.id, "user_missing"));
    expect([noUser.status, noUser.errors[0]!.code, noUser.errors[0]!.longMessage]).toEqual([
      404,
      "resource_not_found",
      "No user was found with id user_missing",
    ]);
    const noRole = await clerkError(add(org.id, bob.id, "org:owner"));
    expect([noRole.status, noRole.errors[0]!.code, noRole.errors[0]!.meta?.paramName]).toEqual([
      404,
      "resource_not_found",
      "role",
    ]);
    const dup = await clerkError(add(org.id, ada.id));
    expect([dup.status, dup.errors[0]!.code, dup.errors[0]!.longMessage]).toEqual([
      400,
      "already_a_member_in_organization",
      `User ${ada.id} is already a member of the organization.`,
    ]);
    await add(org.id, bob.id); // the creator holds one of the two places
    const full = await clerkError(add(org.id, cy.id));
    expect([full.status, full.errors[0]!.code, full.errors[0]!.longMessage]).toEqual([
      403,
      "organization_membership_quota_exceeded",
      "You have reached your limit of 2 organization memberships, including outstanding invitations.",
    ]);
    // the limit is checked before membership: a full organization answers 403 even for an existing member
    const fullDup = await clerkError(add(org.id, bob.id));
    expect(fullDup.status).toBe(403);
    // 0 means unlimited
    await h.client.organizations.updateOrganization(org.id, { maxAllowedMemberships: 0 });
    await add(org.id, cy.id);
    expect(h.server.control.memberships({ organizationId: org.id })).toHaveLength(3);
  });
});

describe("updateOrganizationMembership (role) and its metadata", () => {
  it("changes the role in place; the last member who can run the organization cannot be demoted", async () => {
    const ada = await user("ada");
    const bob = await user("bob");
    const org = await h.client.organizations.createOrganization({ name: "Roles", slug: "roles", createdBy: ada.id });
    await h.client.organizations.createOrganizationMembership({
      organizationId: org.id,
      userId: bob.id,
      role: "org:member",
    });
    const before = h.server.control.getMembership(org.id, bob.id)!;
    const promoted = await h.client.organizations.updateOrganizationMembership({
      organizationId: org.id,
      userId: bob.id,
      role: "org:admin",
    });
    expect(lastBody("PATCH", `/v1/organizations/${org.id}/memberships/${bob.id}`)).toEqual({ role: "org:admin" });
    expect([promoted.id, promoted.role, promoted.permissions]).toEqual([before.id, "org:admin", ADMIN_PERMISSIONS]);
    expect(promoted.updatedAt).toBeGreaterThan(before.updated_at);
    await h.client.organizations.updateOrganizationMembership({
      organizationId: org.id,
      userId: ada.id,
      role: "org:member",
    });
    const last = await clerkError(
      h.client.organizations.updateOrganizationMembership({
        organizationId: org.id,
        userId: bob.id,
        role: "org:member",
      }),
    );
    expect([last.status, last.errors[0]!.code]).toEqual([400, "organization_minimum_permissions_needed"]);
    // the same role again is no change, so no refusal
    await h.client.organizations.updateOrganizationMembership({
      organizationId: org.id,
      userId: bob.id,
      role: "org:admin",
    });
    const notMember = await clerkError(
      h.client.organizations.updateOrganizationMembership({
        organizationId: org.id,
        userId: "user_x",
        role: "org:admin",
      }),
    );
    expect([notMember.status, notMember.errors[0]!.code]).toEqual([404, "resource_not_found"]);
  });

  it("membership metadata merges deeply; a missing membership is a 404", async () => {
    const ada = await user("ada");
    const org = await h.client.organizations.createOrganization({ name: "MM", slug: "mm", createdBy: ada.id });
    await h.client.organizations.updateOrganizationMembershipMetadata({
      organizationId: org.id,
      userId: ada.id,
      publicMetadata: { a: 1, n: { x: 1 } },
    });
    const merged = await h.client.organizations.updateOrganizationMembershipMetadata({
      organizationId: org.id,
      userId: ada.id,
      publicMetadata: { a: null, n: { y: 2 } } as never,
      privateMetadata: { p: true },
    });
    expect(lastBody("PATCH", `/v1/organizations/${org.id}/memberships/${ada.id}/metadata`)).toEqual({
      public_metadata: { a: null, n: { y: 2 } },
      private_metadata: { p: true },
    });
    expect([merged.publicMetadata, merged.privateMetadata]).toEqual([{ n: { x: 1, y: 2 } }, { p: true }]);
    const missing = await clerkError(
      h.client.organizations.updateOrganizationMembershipMetadata({ organizationId: org.id, userId: "user_x" }),
    );
    expect(missing.status).toBe(404);
  });
});

describe("deleteOrganizationMembership", () => {
  it("answers the removed membership; a second delete is a 404; the last admin cannot leave", async () => {
    const ada = await user("ada");
    const bob = await user("bob");
    const org = await h.client.organizations.createOrganization({ name: "Leave", slug: "leave", createdBy: ada.id });
    await h.client.organizations.createOrganizationMembership({
      organizationId: org.id,
      userId: bob.id,
      role: "org:member",
    });
    const removed = await h.client.organizations.deleteOrganizationMembership({
      organizationId: org.id,
      userId: bob.id,
    });
    expect([removed.role, removed.publicUserData?.userId, removed.organization.id]).toEqual([
      "org:member",
      bob.id,
      org.id,
    ]);
    const again = await clerkError(
      h.client.organizations.deleteOrganizationMembership({ organizationId: org.id, userId: bob.id }),
    );
    expect([again.status, again.errors[0]!.code]).toEqual([404, "resource_not_found"]);
    const lastAdmin = await clerkError(
      h.client.organizations.deleteOrganizationMembership({ organizationId: org.id, userId: ada.id }),
    );
    expect([lastAdmin.status, lastAdmin.errors[0]!.code]).toEqual([400, "organization_minimum_permissions_needed"]);
    expect(h.server.control.memberships({ organizationId: org.id }).map((m) => m.user_id)).toEqual([ada.id]);
    // deleting the organization is the way out
    await h.client.organizations.deleteOrganization(org.id);
    const noOrg = await clerkError(
      h.client.organizations.deleteOrganizationMembership({ organizationId: org.id, userId: ada.id }),
    );
    expect([noOrg.status, noOrg.errors[0]!.code]).toEqual([404, "resource_not_found"]);
  });

  it("removing the last member (none of them an admin) deletes the organization, as Clerk does", async () => {
    const bob = await user("bob");
    const org = await h.client.organizations.createOrganization({ name: "Adminless", slug: "adminless" });
    await h.client.organizations.createOrganizationMembership({
      organizationId: org.id,
      userId: bob.id,
      role: "org:member",
    });
    await h.client.organizations.deleteOrganizationMembership({ organizationId: org.id, userId: bob.id });
    expect(h.server.control.organizations()).toEqual([]);
  });
});

describe("membership lists", () => {
  it("per organization (filters, order, paging), per instance and per user", async () => {
    const ada = await user("ada", { emailAddress: ["ada@example.com"] });
    const bob = await user("bob", { emailAddress: ["bob@example.com"] });
    const cy = await user("cy");
    const org = await h.client.organizations.createOrganization({ name: "L", slug: "l", createdBy: ada.id });
    const other = await h.client.organizations.createOrganization({ name: "O", slug: "o", createdBy: bob.id });
    for (const u of [bob, cy])
      await h.client.organizations.createOrganizationMembership({
        organizationId: org.id,
        userId: u.id,
        role: "org:member",
      });
    const all = await h.client.organizations.getOrganizationMembershipList({ organizationId: org.id });
    expect([all.data.map((m) => m.publicUserData?.userId), all.totalCount]).toEqual([[cy.id, bob.id, ada.id], 3]);
    const members = await h.client.organizations.getOrganizationMembershipList({
      organizationId: org.id,
      role: ["org:member"],
      orderBy: "+created_at",
      limit: 1,
    });
    expect([members.data.map((m) => m.publicUserData?.userId), members.totalCount]).toEqual([[bob.id], 2]);
    const byEmail = await h.client.organizations.getOrganizationMembershipList({
      organizationId: org.id,
      emailAddressQuery: "ADA@",
    });
    expect(byEmail.data.map((m) => m.publicUserData?.userId)).toEqual([ada.id]);
    const noOrg = await clerkError(h.client.organizations.getOrganizationMembershipList({ organizationId: "org_x" }));
    expect(noOrg.status).toBe(404);
    const instance = await h.client.organizations.getInstanceOrganizationMembershipList({ limit: 10 });
    expect(instance.totalCount).toBe(4);
    const bobs = await h.client.users.getOrganizationMembershipList({ userId: bob.id });
    expect(bobs.data.map((m) => m.organization.id).sort()).toEqual([org.id, other.id].sort());
    const users = await h.client.users.getUserList({ organizationId: [other.id] });
    expect(users.data.map((u) => u.id)).toEqual([bob.id]);
  });
});

describe("cascades", () => {
  it("deleting a user deletes their memberships; the organization stays", async () => {
    const ada = await user("ada");
    const bob = await user("bob");
    const org = await h.client.organizations.createOrganization({ name: "C", slug: "c", createdBy: ada.id });
    await h.client.organizations.createOrganizationMembership({
      organizationId: org.id,
      userId: bob.id,
      role: "org:member",
    });
    await h.client.users.deleteUser(ada.id);
    expect(h.server.control.memberships().map((m) => m.user_id)).toEqual([bob.id]);
    const after = await h.client.organizations.getOrganization({ organizationId: org.id, includeMembersCount: true });
    expect(after.membersCount).toBe(1);
    const gone = await clerkError(
      h.client.organizations.deleteOrganizationMembership({ organizationId: org.id, userId: ada.id }),
    );
    expect([gone.status, gone.errors[0]!.code]).toEqual([404, "resource_not_found"]);
    // an out-of-band user removal cascades the same way
    h.server.control.removeUser(bob.id);
    expect(h.server.control.memberships()).toEqual([]);
    expect(h.server.control.organizations()).toHaveLength(1);
  });
});

describe("faults, rate limits and echo on the new routes", () => {
  it("status faults are not applied; commitThenDrop applies, so a retry meets the slug or the membership", async () => {
    const ada = await user("ada");
    h.server.control.inject({ match: { method: "POST", path: "/v1/organizations" }, kind: "status", status: 503 });
    const unavailable = await clerkError(h.client.organizations.createOrganization({ name: "F", slug: "f" }));
    expect(unavailable.status).toBe(503);
    expect(h.server.control.organizations()).toEqual([]);

    h.server.control.inject({ match: { method: "POST", path: "/v1/organizations" }, kind: "commitThenDrop" });
    const dropped = await clerkError(h.client.organizations.createOrganization({ name: "F", slug: "f" }));
    expect(dropped.status).toBeUndefined();
    const [stored] = h.server.control.organizations();
    expect(stored).toMatchObject({ slug: "f" });
    expect(h.server.control.requests().pop()).toMatchObject({
      status: 200,
      fault: "commitThenDrop",
      organizationId: stored!.id,
    });
    const retry = await clerkError(h.client.organizations.createOrganization({ name: "F", slug: "f" }));
    expect([retry.errors[0]!.code, retry.errors[0]!.meta?.paramName]).toEqual(["form_identifier_exists", "slug"]);

    h.server.control.inject({ match: { method: "POST", path: /\/memberships$/ }, kind: "commitThenDrop" });
    const add = () =>
      h.client.organizations.createOrganizationMembership({
        organizationId: stored!.id,
        userId: ada.id,
        role: "org:admin",
      });
    expect((await clerkError(add())).status).toBeUndefined();
    expect((await clerkError(add())).errors[0]!.code).toBe("already_a_member_in_organization");
  });

  it("per-organization and per-membership write budgets, apart from each other and from reads", async () => {
    let clock = 1_800_000_000_000;
    const hc = await startHarness({
      now: () => clock,
      rateLimit: { requestsPer10s: 100, perOrganizationWritesPer10s: 2, perMembershipWritesPer10s: 1 },
    });
    try {
      const orgs = hc.client.organizations;
      const ada = await hc.client.users.createUser({ username: "ada" });
      const a = await orgs.createOrganization({ name: "A", slug: "a", createdBy: ada.id });
      const b = await orgs.createOrganization({ name: "B", slug: "b" });
      await orgs.updateOrganization(a.id, { name: "A1" });
      clock += 2_000;
      await orgs.updateOrganizationMetadata(a.id, { publicMetadata: { x: 1 } });
      const limited = await clerkError(orgs.replaceOrganizationMetadata(a.id, { publicMetadata: {} }));
      expect([limited.status, limited.retryAfter]).toEqual([429, 8]);
      expect(hc.server.control.getOrganization(a.id)!.public_metadata).toEqual({ x: 1 });
      await orgs.updateOrganization(b.id, { name: "B1" }); // another organization
      await orgs.getOrganization({ organizationId: a.id }); // reads
      await orgs.updateOrganizationMembership({ organizationId: a.id, userId: ada.id, role: "org:admin" });
      const member = await clerkError(
        orgs.updateOrganizationMembershipMetadata({ organizationId: a.id, userId: ada.id, publicMetadata: {} }),
      );
      expect([member.status, member.retryAfter]).toEqual([429, 10]);
    } finally {
      await hc.server.close();
    }
  });

  it("the instance window and the echo fault cover the organization routes too", async () => {
    h.server.control.setEchoSubmittedValues(true);
    const err = await clerkError(h.client.organizations.createOrganization({ name: "Echo", slug: "Bad Slug" }));
    expect(err.status).toBe(422);
    expect(err.errors[0]!.message).toContain("Bad Slug");
    h.server.control.setEchoSubmittedValues(false);
    h.server.control.setRateLimit({ requestsPer10s: 1 });
    await h.client.organizations.getOrganizationList();
    expect((await clerkError(h.client.organizations.createOrganization({ name: "R" }))).status).toBe(429);
    expect(h.server.control.organizations()).toEqual([]);
  });
});

describe("control", () => {
  it("put/patch/remove organizations and memberships in-process; reset clears them", async () => {
    const ada = h.server.control.putUser({ username: "ada" });
    const org = h.server.control.putOrganization({ name: "Seeded", slug: "seeded" });
    expect(org).toMatchObject({ max_allowed_memberships: 0, admin_delete_enabled: true, created_by: null });
    expect(org.id).toMatch(ORG);
    expect(() => h.server.control.putOrganization({ name: "Clash", slug: "seeded" })).toThrow(/already belongs/);
    const m = h.server.control.putMembership({ organization_id: org.id, user_id: ada.id, role: "org:admin" });
    expect(m.id).toMatch(ORGMEM);
    expect(() => h.server.control.putMembership({ organization_id: org.id, user_id: "user_x" })).toThrow(/no user/);
    expect(() => h.server.control.putMembership({ organization_id: "org_x", user_id: ada.id })).toThrow(
      /unknown organization/,
    );
    // a role changed out of band (e.g. in the Dashboard) is what the SDK reads next
    h.server.control.patchMembership(org.id, ada.id, { role: "org:member" });
    const [read] = (await h.client.organizations.getOrganizationMembershipList({ organizationId: org.id })).data;
    expect(read!.role).toBe("org:member");
    h.server.control.patchOrganization(org.id, { name: "Renamed" });
    expect((await h.client.organizations.getOrganization({ slug: "seeded" })).name).toBe("Renamed");
    expect(h.server.control.removeMembership(org.id, ada.id)).toBe(true);
    expect(h.server.control.organizations()).toHaveLength(1); // out of band, an empty organization stays
    h.server.control.putMembership({ organization_id: org.id, user_id: ada.id });
    expect(h.server.control.removeOrganization(org.id)).toBe(true);
    expect([h.server.control.organizations(), h.server.control.memberships()]).toEqual([[], []]);
    h.server.control.putOrganization({ name: "Again", slug: "again" });
    h.server.control.setOrganizationSettings({ maxAllowedMemberships: 5, creatorRole: "org:member" });
    h.server.control.reset();
    expect([h.server.control.organizations(), h.server.control.organizationSettings().maxAllowedMemberships]).toEqual([
      [],
      0,
    ]);
  });

  it("settings: the default limit and creator role of new organizations, custom roles", async () => {
    h.server.control.setOrganizationSettings({
      maxAllowedMemberships: 5,
      creatorRole: "org:owner",
      roles: {
        "org:owner": { name: "Owner", permissions: ["org:sys_memberships:manage", "org:sys_profile:manage"] },
        "org:viewer": { name: "Viewer", permissions: [] },
        "org:coowner": { name: "Co-owner", permissions: ["org:sys_memberships:manage", "org:sys_profile:manage"] },
      },
    });
    const ada = await user("ada");
    const org = await h.client.organizations.createOrganization({ name: "Custom", slug: "custom", createdBy: ada.id });
    expect(org.maxAllowedMemberships).toBe(5);
    expect(h.server.control.getMembership(org.id, ada.id)!.role).toBe("org:owner");
    const bob = await user("bob");
    const viewer = await h.client.organizations.createOrganizationMembership({
      organizationId: org.id,
      userId: bob.id,
      role: "org:viewer",
    });
    expect([viewer.role, viewer.permissions, (viewer.raw as unknown as { role_name: string }).role_name]).toEqual([
      "org:viewer",
      [],
      "Viewer",
    ]);
    // Clerk refuses any role change of the only member who can run the organization, even to another such role
    const sideways = await clerkError(
      h.client.organizations.updateOrganizationMembership({
        organizationId: org.id,
        userId: ada.id,
        role: "org:coowner",
      }),
    );
    expect([sideways.status, sideways.errors[0]!.code]).toEqual([400, "organization_minimum_permissions_needed"]);
  });

  it("over HTTP, without the Clerk key", async () => {
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${h.server.url}/__control${path}`, {
        method,
        ...(body !== undefined ? { body: JSON.stringify(body), headers: { "Content-Type": "application/json" } } : {}),
      });
      return { status: res.status, json: (await res.json()) as Record<string, unknown> & unknown[] };
    };
    const ada = (await call("POST", "/users", { username: "ada" })).json as unknown as { id: string };
    const org = (await call("POST", "/organizations", { name: "Http", slug: "http" })).json as unknown as {
      id: string;
    };
    expect((await call("POST", "/organizations", { name: "Clash", slug: "http" })).status).toBe(409);
    expect((await call("GET", `/organizations/${org.id}`)).json).toMatchObject({ slug: "http" });
    expect((await call("PATCH", `/organizations/${org.id}`, { name: "Http2" })).json).toMatchObject({ name: "Http2" });
    const put = await call("PUT", `/organizations/${org.id}/memberships/${ada.id}`, { role: "org:admin" });
    expect(put.json).toMatchObject({ organization_id: org.id, user_id: ada.id, role: "org:admin" });
    expect((await call("GET", `/memberships?organizationId=${org.id}`)).json).toHaveLength(1);
    expect((await call("GET", `/memberships?userId=user_x`)).json).toHaveLength(0);
    const patched = await call("PATCH", `/organizations/${org.id}/memberships/${ada.id}`, { role: "org:member" });
    expect(patched.json).toMatchObject({ role: "org:member" });
    expect((await call("GET", `/organizations/${org.id}/memberships/${ada.id}`)).status).toBe(200);
    expect((await call("DELETE", `/organizations/${org.id}/memberships/${ada.id}`)).json).toEqual({ removed: true });
    expect((await call("GET", `/organizations/${org.id}/memberships/${ada.id}`)).status).toBe(404);
    expect((await call("PATCH", "/organization-settings", { enabled: false })).json).toMatchObject({ enabled: false });
    expect((await call("GET", "/organization-settings")).json).toMatchObject({
      enabled: false,
      creatorRole: "org:admin",
    });
    expect((await call("DELETE", `/organizations/${org.id}`)).json).toEqual({ removed: true });
    expect((await call("GET", "/organizations")).json).toEqual([]);
    expect((await call("GET", `/organizations/${org.id}`)).status).toBe(404);
  });
});
