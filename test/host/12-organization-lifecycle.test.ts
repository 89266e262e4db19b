/**
 * Issue 12, host conformance: ClerkOrganization through Pulumi's real dynamic-provider host, driven like `pulumi up`,
 * against the local Clerk. The integration sequence of lifecycle.test.ts: create → up again (no request at all) →
 * refresh → in-place edits (name, slug, metadata) → out-of-band drift (refresh shows it, up repairs it) → out-of-band
 * delete (refresh drops it, up recreates it) → destroy, then a second delete of the same id (a no-op success).
 * Every write is asserted by its exact wire body and every operation by its exact request sequence.
 */
import { ClerkOrganization } from "../../src";
import { startLocalClerk } from "../local-clerk";
import {
  calls,
  clerkCounts,
  entryOf,
  ORG_ID,
  orgUrn,
  OWNER_ID,
  rolesIn,
  seedUsers,
  startStack,
  withMarker,
  writeBodies,
  writes,
  type Stack,
} from "./12-support";

const NAME = "tenant-a";

let s: Stack | undefined;
afterEach(async () => {
  await s?.[Symbol.asyncDispose]();
  s = undefined;
});

const program = (args: Record<string, unknown>) => () => {
  new ClerkOrganization(NAME, args as never);
};

const base = {
  name: "Tenant A",
  slug: "tenant-a",
  maxAllowedMemberships: 10,
  publicMetadata: { plan: "pro", seats: 5 },
  privateMetadata: { billingRef: "BR-1" },
};

it("create → no-op → in-place edits → drift → out-of-band delete → delete twice", async () => {
  s = await startStack();
  const { engine, clerk } = s;

  // ---- up: one POST /organizations with exactly the declared body plus the managed-by marker ----
  const first = await engine.up(program(base));
  expect(first.failures).toEqual([]);
  expect(first.created).toBe(1);
  expect(calls(clerk)).toEqual(["GET /v1/instance", "POST /v1/organizations"]); // the instance once per host
  expect(writeBodies(clerk)).toEqual([
    [
      "POST /v1/organizations",
      {
        name: "Tenant A",
        slug: "tenant-a",
        max_allowed_memberships: 10,
        public_metadata: { plan: "pro", seats: 5 },
        private_metadata: withMarker(clerk, NAME, { billingRef: "BR-1" }),
      },
    ],
  ]);
  const entry = entryOf(s, NAME);
  const id = entry.id;
  expect(id).toMatch(ORG_ID);
  const ownerId = entry.outputs["ownerId"] as string;
  expect(ownerId).toMatch(OWNER_ID);
  expect(entry.outputs).toMatchObject({
    organizationId: id,
    name: "Tenant A",
    slug: "tenant-a",
    maxAllowedMemberships: 10,
    publicMetadata: { plan: "pro", seats: 5 },
    privateMetadata: { billingRef: "BR-1" }, // the marker is not an output
    instanceId: clerk.instanceId,
    adopted: false,
  });
  const stored = clerk.control.getOrganization(id)!;
  expect(stored).toMatchObject({
    name: "Tenant A",
    slug: "tenant-a",
    max_allowed_memberships: 10,
    public_metadata: { plan: "pro", seats: 5 },
    private_metadata: withMarker(clerk, NAME, { billingRef: "BR-1" }, ownerId),
  });
  expect(entry.outputs["createdAt"]).toBe(new Date(stored.created_at).toISOString());
  expect(clerk.control.memberships({ organizationId: id })).toEqual([]); // no createdBy: nobody was added

  // ---- up again: no change, no request at all ----
  clerk.control.clearRequests();
  expect(await engine.up(program(base))).toMatchObject({ unchanged: 1, updated: 0, failures: [] });
  expect(clerk.control.requests()).toEqual([]);

  // ---- refresh: no drift, one read ----
  const refreshed = await engine.refresh();
  expect(refreshed).toEqual({ updated: 0, deleted: 0, unchanged: 1, failures: [] });
  expect(calls(clerk)).toEqual(["GET /v1/organizations/org_X"]);
  clerk.control.clearRequests();
  expect(await engine.up(program(base))).toMatchObject({ unchanged: 1, failures: [] });
  expect(clerk.control.requests()).toEqual([]);

  // ---- in place: name and slug, one PATCH with exactly the changed fields ----
  const renamed = { ...base, name: "Tenant A (renamed)", slug: "tenant-a-renamed" };
  const upd = await engine.up(program(renamed));
  expect(upd).toMatchObject({ updated: 1, replaced: 0, created: 0, failures: [] });
  expect(entryOf(s, NAME).id).toBe(id);
  expect(calls(clerk)).toEqual(["GET /v1/organizations/org_X", "PATCH /v1/organizations/org_X"]);
  expect(writeBodies(clerk)).toEqual([
    ["PATCH /v1/organizations/org_X", { name: "Tenant A (renamed)", slug: "tenant-a-renamed" }],
  ]);
  expect(clerk.control.getOrganization(id)).toMatchObject({ name: "Tenant A (renamed)", slug: "tenant-a-renamed" });
  expect(entryOf(s, NAME).outputs).toMatchObject({ name: "Tenant A (renamed)", slug: "tenant-a-renamed" });

  // ---- in place: public metadata replaced (a removed key is gone, not merged); private untouched ----
  clerk.control.clearRequests();
  const meta = { ...renamed, publicMetadata: { plan: "enterprise" } };
  expect(await engine.up(program(meta))).toMatchObject({ updated: 1, failures: [] });
  expect(calls(clerk)).toEqual(["GET /v1/organizations/org_X", "PUT /v1/organizations/org_X/metadata"]);
  expect(writeBodies(clerk)).toEqual([
    ["PUT /v1/organizations/org_X/metadata", { public_metadata: { plan: "enterprise" } }],
  ]);
  expect(clerk.control.getOrganization(id)).toMatchObject({
    public_metadata: { plan: "enterprise" },
    private_metadata: withMarker(clerk, NAME, { billingRef: "BR-1" }, ownerId),
  });

  // ---- in place: private metadata replaced, the marker kept beside it ----
  clerk.control.clearRequests();
  const meta2 = { ...meta, privateMetadata: { billingRef: "BR-2", tier: "gold" } };
  expect(await engine.up(program(meta2))).toMatchObject({ updated: 1, failures: [] });
  expect(calls(clerk)).toEqual(["GET /v1/organizations/org_X", "PUT /v1/organizations/org_X/metadata"]);
  expect(writeBodies(clerk)).toEqual([
    [
      "PUT /v1/organizations/org_X/metadata",
      { private_metadata: withMarker(clerk, NAME, { billingRef: "BR-2", tier: "gold" }, ownerId) },
    ],
  ]);
  expect(clerk.control.getOrganization(id)!.private_metadata).toEqual(
    withMarker(clerk, NAME, { billingRef: "BR-2", tier: "gold" }, ownerId),
  );
  clerk.control.clearRequests();
  expect(await engine.up(program(meta2))).toMatchObject({ unchanged: 1, failures: [] });
  expect(clerk.control.requests()).toEqual([]);

  // ---- out-of-band drift: the Dashboard renames it and edits its metadata; refresh shows it, up repairs it ----
  clerk.control.patchOrganization(id, {
    name: "Renamed in the Dashboard",
    public_metadata: { plan: "free", note: "dashboard" },
  });
  clerk.control.clearRequests();
  const drift = await engine.refresh();
  expect(drift).toEqual({ updated: 1, deleted: 0, unchanged: 0, failures: [] });
  expect(calls(clerk)).toEqual(["GET /v1/organizations/org_X"]);
  expect(entryOf(s, NAME).inputs).toMatchObject({
    name: "Renamed in the Dashboard",
    publicMetadata: { plan: "free", note: "dashboard" },
  });
  clerk.control.clearRequests();
  const repair = await engine.up(program(meta2));
  expect(repair).toMatchObject({ updated: 1, failures: [] });
  expect(calls(clerk)).toEqual([
    "GET /v1/organizations/org_X",
    "PATCH /v1/organizations/org_X",
    "PUT /v1/organizations/org_X/metadata",
  ]);
  expect(writeBodies(clerk)).toEqual([
    ["PATCH /v1/organizations/org_X", { name: "Tenant A (renamed)" }],
    ["PUT /v1/organizations/org_X/metadata", { public_metadata: { plan: "enterprise" } }],
  ]);
  expect(clerk.control.getOrganization(id)).toMatchObject({
    name: "Tenant A (renamed)",
    slug: "tenant-a-renamed",
    public_metadata: { plan: "enterprise" },
  });
  clerk.control.clearRequests();
  expect(await engine.up(program(meta2))).toMatchObject({ unchanged: 1, failures: [] });
  expect(clerk.control.requests()).toEqual([]);

  // ---- out-of-band delete: refresh drops it (404 after the instance check); up creates it again ----
  clerk.control.removeOrganization(id);
  clerk.control.clearRequests();
  const gone = await engine.refresh();
  expect(gone).toEqual({ updated: 0, deleted: 1, unchanged: 0, failures: [] });
  expect(engine.state()).toEqual([]);
  expect(calls(clerk)).toEqual(["GET /v1/organizations/org_X"]);
  clerk.control.clearRequests();
  const again = await engine.up(program(meta2));
  expect(again).toMatchObject({ created: 1, failures: [] });
  expect(calls(clerk)).toEqual(["POST /v1/organizations"]);
  const recreated = entryOf(s, NAME);
  expect(recreated.id).not.toBe(id);
  expect(clerk.control.organizations().map((o) => [o.id, o.slug])).toEqual([[recreated.id, "tenant-a-renamed"]]);

  // ---- destroy; then a second delete of the same id is a success (404 = already gone) ----
  clerk.control.clearRequests();
  const destroyed = await engine.destroy();
  expect(destroyed).toMatchObject({ deleted: 1, failures: [] });
  // Read first: a marker of another owner would refuse the delete.
  expect(calls(clerk)).toEqual(["GET /v1/organizations/org_X", "DELETE /v1/organizations/org_X"]);
  expect(clerk.control.organizations()).toEqual([]);
  expect(engine.state()).toEqual([]);
  clerk.control.clearRequests();
  await expect(s.host.delete(recreated.id, orgUrn(NAME), recreated.outputs)).resolves.toBeUndefined();
  // The read meets the 404: gone (the instance identity is known), nothing to delete.
  expect(clerk.control.requests().map((r) => [`${r.method} ${r.path}`, r.status])).toEqual([
    [`GET /v1/organizations/${recreated.id}`, 404],
  ]);
  expect(clerk.control.organizations()).toEqual([]);
});

it("without a slug, the default one is derived from the resource name and the ownership id, and stays", async () => {
  s = await startStack();
  const { engine, clerk } = s;
  const args = { name: "Tenant B" };
  expect((await engine.up(program(args))).failures).toEqual([]);
  const entry = entryOf(s, NAME);
  const ownerId = entry.outputs["ownerId"] as string;
  const slug = entry.outputs["slug"] as string;
  // `<resource name>-<8 characters of the ownership id>`: two stacks of one program never collide.
  expect(slug).toMatch(new RegExp(`^${NAME}-[a-z2-7]{8}$`));
  expect(ownerId).toContain(slug.slice(NAME.length + 1));
  expect(writeBodies(clerk)).toEqual([
    [
      "POST /v1/organizations",
      {
        name: "Tenant B",
        slug,
        private_metadata: withMarker(clerk, NAME, {}, ownerId),
      },
    ],
  ]);
  expect(clerk.control.getOrganization(entry.id)!.slug).toBe(slug);
  // No drift: the slug the program left out is not "changed back" to anything.
  clerk.control.clearRequests();
  expect(await engine.up(program(args))).toMatchObject({ unchanged: 1, failures: [] });
  expect(await engine.refresh()).toEqual({ updated: 0, deleted: 0, unchanged: 1, failures: [] });
  clerk.control.clearRequests();
  expect(await engine.up(program(args))).toMatchObject({ unchanged: 1, failures: [] });
  expect(clerk.control.requests()).toEqual([]);
  expect((await engine.destroy()).failures).toEqual([]);
  expect(clerk.control.organizations()).toEqual([]);
});

it("undeclared settings are not managed, createdBy is create-only, and dropping privateMetadata keeps the marker", async () => {
  s = await startStack();
  const { engine, clerk } = s;
  const founder = seedUsers(clerk, "founder", "other");
  const args = {
    name: "Tenant C",
    slug: "tenant-c",
    createdBy: founder.founder,
    privateMetadata: { billingRef: "BR-9" },
  };
  expect((await engine.up(program(args))).failures).toEqual([]);
  const entry = entryOf(s, NAME);
  const ownerId = entry.outputs["ownerId"] as string;
  expect(rolesIn(clerk, entry.id)).toEqual({ [founder.founder]: "org:admin" });

  // The Dashboard sets a membership limit the program never declared: refresh records it, up leaves it.
  clerk.control.patchOrganization(entry.id, { max_allowed_memberships: 7 });
  expect(await engine.refresh()).toMatchObject({ failures: [] });
  clerk.control.clearRequests();
  expect(await engine.up(program(args))).toMatchObject({ updated: 0, replaced: 0, failures: [] });
  expect(writes(clerk)).toEqual([]);
  expect(clerk.control.getOrganization(entry.id)!.max_allowed_memberships).toBe(7);

  // createdBy changes nothing after create: no request, no replacement.
  clerk.control.clearRequests();
  const otherCreator = { ...args, createdBy: founder.other };
  expect(await engine.up(program(otherCreator))).toMatchObject({ replaced: 0, failures: [] });
  expect(writes(clerk)).toEqual([]);
  expect(entryOf(s, NAME).id).toBe(entry.id);
  expect(rolesIn(clerk, entry.id)).toEqual({ [founder.founder]: "org:admin" });

  // privateMetadata dropped from the program: Clerk keeps only the marker.
  clerk.control.clearRequests();
  const { privateMetadata: _dropped, ...noPrivate } = otherCreator;
  expect(await engine.up(program(noPrivate))).toMatchObject({ updated: 1, failures: [] });
  expect(writeBodies(clerk)).toEqual([
    ["PUT /v1/organizations/org_X/metadata", { private_metadata: withMarker(clerk, NAME, {}, ownerId) }],
  ]);
  expect(clerk.control.getOrganization(entry.id)!.private_metadata).toEqual(withMarker(clerk, NAME, {}, ownerId));
  clerk.control.clearRequests();
  expect(await engine.up(program(noPrivate))).toMatchObject({ unchanged: 1, failures: [] });
  expect(clerk.control.requests()).toEqual([]);

  expect((await engine.destroy()).failures).toEqual([]);
  expect(clerkCounts(clerk)).toEqual({ organizations: 0, memberships: 0 });
});

it("two stacks of one program, without a slug, never collide: each gets its own default slug", async () => {
  const clerk = await startLocalClerk();
  const stacks: Stack[] = [];
  try {
    for (const name of ["pr-1", "pr-2"]) stacks.push(await startStack({ clerk, stack: name }));
    for (const st of stacks)
      expect(await st.engine.up(program({ name: "Tenant" }))).toMatchObject({ created: 1, failures: [] });
    const slugs = stacks.map((st) => entryOf(st, NAME).outputs["slug"] as string);
    expect(new Set(slugs).size).toBe(2);
    for (const slug of slugs) expect(slug).toMatch(new RegExp(`^${NAME}-[a-z2-7]{8}$`));
    expect(
      clerk.control
        .organizations()
        .map((o) => o.slug)
        .sort(),
    ).toEqual([...slugs].sort());
    expect(clerk.control.count({ method: "POST", path: "/v1/organizations" })).toBe(2); // no retry, no conflict
    for (const st of stacks) expect((await st.engine.destroy()).failures).toEqual([]);
    expect(clerk.control.organizations()).toEqual([]);
  } finally {
    for (const st of stacks) await st[Symbol.asyncDispose]();
    await clerk.close();
  }
});
