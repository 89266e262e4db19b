/**
 * ClerkOrganization's hooks in-process → @clerk/backend → the local Clerk on a real port: the exact wire bodies,
 * the organization Clerk holds afterwards, and the requests each operation costs. Ownership, "gone" and secrets are
 * in 12-organization-safety.test.ts. Does not prove the host's handling of the answers (test/host/12-*).
 */
import { gatewayFor } from "../../src/clerk/gateway";
import { resolveSettings } from "../../src/clerk/settings";
import { MARKER_KEY } from "../../src/marker/managedByMarker";
import { organization } from "../../src/provider/runtime";
import type { LocalClerk } from "../local-clerk";
import { managedBy, startClerkForHooks } from "./support";

let clerk: LocalClerk;
beforeEach(async () => {
  clerk = await startClerkForHooks();
});
afterEach(async () => clerk.close());

type Props = Record<string, unknown>;
const OWNER = /^own_[a-z2-7]{26}$/;
const marker = (name: string, extra: Props = {}) => ({
  v: 2,
  ...managedBy(name),
  ownerId: expect.stringMatching(OWNER),
  instanceId: clerk.control.instance().id,
  adopted: false,
  ...extra,
});
/** The requests since the last clear, as "METHOD /path" with the bodies of writes. */
const wire = () =>
  clerk.control
    .requests()
    .map((r) => (r.body === undefined ? `${r.method} ${r.path}` : [`${r.method} ${r.path}`, r.body]));
const org = (name: string, extra: Props = {}): Props => ({ name: `Org ${name}`, managedBy: managedBy(name), ...extra });

/** create → the state the engine would store (outs + the checked inputs the engine keeps). */
async function created(inputs: Props): Promise<{ id: string; state: Props }> {
  const { inputs: checked } = await organization.check({}, inputs);
  const res = await organization.create(checked);
  return { id: res.id, state: { ...checked, ...res.outs } };
}

it("create: one POST with the name, a default slug from the resource name and ownership id, and the marker", async () => {
  const { id, state } = await created(org("tenant-a"));
  const [stored] = clerk.control.organizations();
  expect(stored!.id).toBe(id);
  const slug = `tenant-a-${String(state["ownerId"]).slice(4, 12)}`;
  expect(wire()).toEqual([
    "GET /v1/instance",
    ["POST /v1/organizations", { name: "Org tenant-a", slug, private_metadata: { [MARKER_KEY]: marker("tenant-a") } }],
  ]);
  expect(stored).toMatchObject({ name: "Org tenant-a", slug, public_metadata: {}, max_allowed_memberships: 0 });
  expect(state).toMatchObject({
    organizationId: id,
    name: "Org tenant-a",
    slug,
    maxAllowedMemberships: 0,
    instanceId: clerk.control.instance().id,
    adopted: false,
    declaredInputs: ["managedBy", "name"],
  });
  expect(state).not.toHaveProperty("privateMetadata");
  expect(await organization.diff(id, state, org("tenant-a"))).toEqual({
    changes: false,
    replaces: [],
    deleteBeforeReplace: false,
  });
});

it("create with every field: sent snake-cased in one POST; createdBy becomes an org:admin member", async () => {
  const ada = clerk.control.putUser({ username: "ada" });
  const inputs = org("full", {
    slug: "full",
    maxAllowedMemberships: 10,
    createdBy: ada.id,
    createdAt: "2020-01-02T03:04:05.678Z",
    roleSetKey: "role_set:default",
    publicMetadata: { plan: "pro" },
    privateMetadata: { billing: "b-1" },
  });
  const { id, state } = await created(inputs);
  expect(clerk.control.requests()[1]!.body).toEqual({
    name: "Org full",
    max_allowed_memberships: 10,
    created_by: ada.id,
    created_at: "2020-01-02T03:04:05.678Z",
    role_set_key: "role_set:default",
    public_metadata: { plan: "pro" },
    slug: "full",
    private_metadata: { billing: "b-1", [MARKER_KEY]: marker("full") },
  });
  expect(clerk.control.memberships({ organizationId: id })).toEqual([
    expect.objectContaining({ user_id: ada.id, role: "org:admin" }),
  ]);
  expect(state).toMatchObject({
    createdBy: ada.id,
    createdAt: "2020-01-02T03:04:05.678Z",
    roleSetKey: "role_set:default",
  });
  expect(state["privateMetadata"]).toEqual({ billing: "b-1" });
  expect((await organization.diff(id, state, inputs)).changes).toBe(false);
});

it("refresh: no drift reproduces the inputs with one GET; an out-of-band rename and metadata key show", async () => {
  const inputs = org("drift", { slug: "drift", publicMetadata: { a: 1 } });
  const { id, state } = await created(inputs);
  clerk.control.clearRequests();
  const same = await organization.read(id, state);
  expect(same.id).toBe(id);
  expect(same.inputs).toEqual(inputs);
  expect(wire()).toEqual([`GET /v1/organizations/${id}`]);
  clerk.control.patchOrganization(id, { name: "Renamed", public_metadata: { a: 1, b: 2 } });
  const drifted = await organization.read(id, same.props!);
  expect(drifted.inputs).toEqual({ ...inputs, name: "Renamed", publicMetadata: { a: 1, b: 2 } });
  expect((await organization.diff(id, drifted.props!, inputs)).changes).toBe(true);
});

it("update in place: one PATCH for name, slug and limit; one PUT only for the metadata that changed; the id stays", async () => {
  const inputs = org("edit", { slug: "edit", publicMetadata: { plan: "free" }, privateMetadata: { s: 1 } });
  const { id, state } = await created(inputs);
  clerk.control.clearRequests();
  const renamed = { ...inputs, name: "Org edited", slug: "edited", maxAllowedMemberships: 5 };
  const one = await organization.update(id, state, renamed);
  expect(wire()).toEqual([
    `GET /v1/organizations/${id}`,
    [`PATCH /v1/organizations/${id}`, { name: "Org edited", slug: "edited", max_allowed_memberships: 5 }],
  ]);
  clerk.control.clearRequests();
  const plan = { ...renamed, publicMetadata: { plan: "pro" } };
  const two = await organization.update(id, { ...state, ...one.outs }, plan);
  expect(wire()).toEqual([
    `GET /v1/organizations/${id}`,
    [`PUT /v1/organizations/${id}/metadata`, { public_metadata: { plan: "pro" } }],
  ]);
  clerk.control.clearRequests();
  await organization.update(id, { ...state, ...two.outs }, plan);
  expect(wire()).toEqual([`GET /v1/organizations/${id}`]);
  expect(clerk.control.getOrganization(id)).toMatchObject({
    name: "Org edited",
    slug: "edited",
    max_allowed_memberships: 5,
    public_metadata: { plan: "pro" },
    private_metadata: { s: 1, [MARKER_KEY]: marker("edit") },
  });
  expect(two.outs).toMatchObject({
    organizationId: id,
    slug: "edited",
    publicMetadata: { plan: "pro" },
    privateMetadata: { s: 1 },
  });
});

it("update: roleSetKey and createdAt change in place through the PATCH; createdBy never does", async () => {
  const ada = clerk.control.putUser({ username: "ada" });
  const inputs = org("keys", {
    slug: "keys",
    createdBy: ada.id,
    roleSetKey: "role_set:a",
    createdAt: "2020-01-01T00:00:00Z",
  });
  const { id, state } = await created(inputs);
  clerk.control.clearRequests();
  const bob = clerk.control.putUser({ username: "bob" });
  const next = { ...inputs, createdBy: bob.id, roleSetKey: "role_set:b", createdAt: "2021-01-01T00:00:00.000Z" };
  const res = await organization.update(id, state, next);
  expect(wire()).toEqual([
    `GET /v1/organizations/${id}`,
    [`PATCH /v1/organizations/${id}`, { created_at: "2021-01-01T00:00:00.000Z", role_set_key: "role_set:b" }],
  ]);
  expect(res.outs).toMatchObject({
    createdBy: ada.id,
    roleSetKey: "role_set:b",
    createdAt: "2021-01-01T00:00:00.000Z",
  });
  expect((await organization.diff(id, { ...state, ...res.outs }, next)).changes).toBe(false);
});

it("a failed update midway records what Clerk holds; unreadable afterwards, the old state with syncRequired", async () => {
  const inputs = org("midway", { slug: "midway", publicMetadata: { v: 1 } });
  const { id, state } = await created(inputs);
  const wanted = { ...inputs, name: "Org new", publicMetadata: { v: 2 } };
  clerk.control.inject({ match: { method: "PUT" }, times: 1, kind: "status", status: 422 });
  const err = (await organization.update(id, state, wanted).catch((e: unknown) => e)) as Props & Error;
  expect(err.message).toMatch(/^ClerkOrganization "midway" \(org_\w+\): update failed \[clerk_api_error\]: Clerk 422/);
  expect(err["properties"]).toMatchObject({ name: "Org new", publicMetadata: { v: 1 } });
  expect(clerk.control.getOrganization(id)).toMatchObject({ name: "Org new", public_metadata: { v: 1 } });
  const next = { ...state, ...(err["properties"] as Props) };
  expect((await organization.diff(id, next, wanted)).changes).toBe(true);

  // The PUT fails again, and so does the read-back (the first GET passes a no-op fault, the second gets 401).
  const path = `/v1/organizations/${id}`;
  clerk.control.inject({ match: { method: "GET", path }, times: 1, kind: "latency", ms: 0 });
  clerk.control.inject({ match: { method: "PUT" }, times: 1, kind: "status", status: 422 });
  clerk.control.inject({ match: { method: "GET", path }, times: 1, kind: "status", status: 401 });
  const blind = (await organization
    .update(id, next, { ...wanted, name: "Org third" })
    .catch((e: unknown) => e)) as Props;
  expect(blind["properties"]).toEqual({ ...next, syncRequired: true });
  expect(clerk.control.getOrganization(id)).toMatchObject({ name: "Org third", public_metadata: { v: 1 } });
  expect((await organization.diff(id, blind["properties"] as Props, { ...wanted, name: "Org third" })).changes).toBe(
    true,
  );
});

it("delete: one GET and one DELETE; deleting twice is success (a 404 from the instance the state records)", async () => {
  const { id, state } = await created(org("bye"));
  clerk.control.clearRequests();
  await organization.remove(id, state);
  expect(wire()).toEqual([`GET /v1/organizations/${id}`, `DELETE /v1/organizations/${id}`]);
  expect(clerk.control.organizations()).toEqual([]);
  clerk.control.clearRequests();
  await organization.remove(id, state);
  expect(wire()).toEqual([`GET /v1/organizations/${id}`]);
  const gone = await organization.read(id, state);
  expect(gone).toEqual({ id: "", props: {} });
});

it("the gateway lists the instance's organizations a page at a time, oldest first, marker included (for the sweeper)", async () => {
  const a = await created(org("first", { slug: "first" }));
  const b = await created(org("second", { slug: "second" }));
  clerk.control.clearRequests();
  const gw = gatewayFor(resolveSettings("read"));
  const page = await gw.listOrganizations({ limit: 1 });
  const next = await gw.listOrganizations({ limit: 1, offset: 1 });
  expect([...page, ...next].map((o) => o.id)).toEqual([a.id, b.id]);
  expect(page[0]!.private_metadata).toMatchObject({ [MARKER_KEY]: marker("first") });
  expect(clerk.control.requests().map((r) => [r.path, r.query])).toEqual([
    ["/v1/organizations", { limit: "1", order_by: "+created_at" }],
    ["/v1/organizations", { limit: "1", offset: "1", order_by: "+created_at" }],
  ]);
});
