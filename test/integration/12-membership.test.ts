/**
 * ClerkOrganizationMembership's hooks in-process → @clerk/backend → the local Clerk: exact wire bodies, the
 * membership Clerk holds afterwards, request counts; the role in place, drift, last admin, 404s. Ownership,
 * `already_member`, recovery and secrets: 12-membership-safety.test.ts. Not through the host (test/host/12-*).
 */
import { MARKER_KEY } from "../../src/marker/managedByMarker";
import { membership } from "../../src/provider/runtime";
import type { LocalClerk } from "../local-clerk";
import { managedBy, startClerkForHooks } from "./support";

let clerk: LocalClerk;
let orgId: string;
let ada: string;
let bob: string;
beforeEach(async () => {
  clerk = await startClerkForHooks();
  ada = clerk.control.putUser({ username: "ada" }).id;
  bob = clerk.control.putUser({ username: "bob" }).id;
  orgId = clerk.control.putOrganization({ name: "Team", slug: "team" }).id;
});
afterEach(async () => clerk.close());

type Props = Record<string, unknown>;
const member = (name: string, userId: string, extra: Props = {}): Props => ({
  organizationId: orgId,
  userId,
  role: "org:member",
  managedBy: managedBy(name),
  ...extra,
});
const wire = () =>
  clerk.control.requests().map((r) => {
    const query = Object.keys(r.query).length ? `?${new URLSearchParams(r.query as Record<string, string>)}` : "";
    return r.body === undefined ? `${r.method} ${r.path}${query}` : [`${r.method} ${r.path}`, r.body];
  });
const failure = async (p: Promise<unknown>) =>
  (await p.then(() => undefined).catch((e: unknown) => e)) as Error & Props;

async function created(inputs: Props): Promise<{ id: string; state: Props }> {
  const { inputs: checked, failures } = await membership.check({}, inputs);
  expect(failures).toEqual([]);
  const res = await membership.create(checked);
  return { id: res.id, state: { ...checked, ...res.outs } };
}

it("create: one POST with user, role, metadata and the marker; the state names the membership", async () => {
  const { id, state } = await created(member("ada-member", ada, { publicMetadata: { team: "qa" } }));
  const [stored] = clerk.control.memberships({ organizationId: orgId });
  expect(stored).toMatchObject({ id, user_id: ada, role: "org:member", public_metadata: { team: "qa" } });
  expect(wire()).toEqual([
    "GET /v1/instance",
    [
      `POST /v1/organizations/${orgId}/memberships`,
      {
        user_id: ada,
        role: "org:member",
        public_metadata: { team: "qa" },
        private_metadata: {
          [MARKER_KEY]: {
            v: 2,
            ...managedBy("ada-member"),
            ownerId: state["ownerId"],
            instanceId: clerk.control.instance().id,
            adopted: false,
          },
        },
      },
    ],
  ]);
  expect(state).toMatchObject({ membershipId: id, organizationId: orgId, userId: ada, role: "org:member" });
  expect(state).not.toHaveProperty("privateMetadata");
  expect(state).not.toHaveProperty("adopted");
  expect(await membership.diff(id, state, member("ada-member", ada, { publicMetadata: { team: "qa" } }))).toEqual({
    changes: false,
    replaces: [],
    deleteBeforeReplace: false,
  });
});

it("refresh: one filtered list; a role changed out of band shows as drift and the next update changes it back", async () => {
  const inputs = member("drift", ada, { role: "org:admin" });
  const { id, state } = await created(inputs);
  clerk.control.putMembership({ organization_id: orgId, user_id: bob, role: "org:admin" });
  clerk.control.clearRequests();
  expect((await membership.read(id, state)).inputs).toEqual(inputs);
  expect(wire()).toEqual([`GET /v1/organizations/${orgId}/memberships?user_id=${ada}&limit=1`]);
  clerk.control.patchMembership(orgId, ada, { role: "org:member" });
  const drifted = await membership.read(id, state);
  expect(drifted.inputs).toEqual({ ...inputs, role: "org:member" });
  expect(await membership.diff(id, drifted.props!, inputs)).toMatchObject({ changes: true, replaces: [] });
  clerk.control.clearRequests();
  await membership.update(id, drifted.props!, inputs);
  expect(wire()).toEqual([
    `GET /v1/organizations/${orgId}/memberships?user_id=${ada}&limit=1`,
    [`PATCH /v1/organizations/${orgId}/memberships/${ada}`, { role: "org:admin" }],
  ]);
  expect(clerk.control.getMembership(orgId, ada)!.role).toBe("org:admin");
});

it("update: the role in place (same id); metadata through the merge, removed keys sent as null, the marker kept", async () => {
  const inputs = member("edit", ada, { publicMetadata: { a: 1, b: { c: 2, d: 3 } }, privateMetadata: { s: 1 } });
  const { id, state } = await created(inputs);
  clerk.control.clearRequests();
  const next = { ...inputs, role: "org:admin", publicMetadata: { b: { c: 2 } }, privateMetadata: {} };
  const res = await membership.update(id, state, next);
  expect(wire()).toEqual([
    `GET /v1/organizations/${orgId}/memberships?user_id=${ada}&limit=1`,
    [`PATCH /v1/organizations/${orgId}/memberships/${ada}`, { role: "org:admin" }],
    [
      `PATCH /v1/organizations/${orgId}/memberships/${ada}/metadata`,
      { public_metadata: { a: null, b: { d: null } }, private_metadata: { s: null } },
    ],
  ]);
  const stored = clerk.control.getMembership(orgId, ada)!;
  expect(stored).toMatchObject({ id, role: "org:admin", public_metadata: { b: { c: 2 } } });
  expect(Object.keys(stored.private_metadata)).toEqual([MARKER_KEY]);
  expect(res.outs).toMatchObject({ membershipId: id, role: "org:admin", publicMetadata: { b: { c: 2 } } });
  clerk.control.clearRequests();
  await membership.update(id, { ...state, ...res.outs }, next);
  expect(wire()).toEqual([`GET /v1/organizations/${orgId}/memberships?user_id=${ada}&limit=1`]);
});

it("last admin: a demotion is last_admin on role, a delete is last_admin naming deletedWith; Clerk keeps the admin", async () => {
  const inputs = member("admin", ada, { role: "org:admin" });
  const { id, state } = await created(inputs);
  const demote = await failure(membership.update(id, state, { ...inputs, role: "org:member" }));
  expect(demote).toMatchObject({ code: "last_admin", field: "role", status: 400 });
  expect(demote.message).toMatch(
    /^ClerkOrganizationMembership "admin" \(orgmem_\w+\): update failed \[last_admin\]: Clerk 400 organization_minimum_permissions_needed: field "role"/,
  );
  expect(demote["properties"]).toBeUndefined();
  const remove = await failure(membership.remove(id, state));
  expect(remove).toMatchObject({ code: "last_admin" });
  expect(remove.message).toContain("deletedWith");
  expect(clerk.control.getMembership(orgId, ada)).toMatchObject({ id, role: "org:admin" });
});

it("delete: the lookup and one DELETE; twice, or after the organization or the user went, is gone", async () => {
  clerk.control.putMembership({ organization_id: orgId, user_id: bob, role: "org:admin" });
  const { id, state } = await created(member("leaver", ada));
  clerk.control.clearRequests();
  await membership.remove(id, state);
  expect(wire()).toEqual([
    `GET /v1/organizations/${orgId}/memberships?user_id=${ada}&limit=1`,
    `DELETE /v1/organizations/${orgId}/memberships/${ada}`,
  ]);
  expect(clerk.control.getMembership(orgId, ada)).toBeUndefined();
  await membership.remove(id, state);
  expect(await membership.read(id, state)).toEqual({ id: "", props: {} });

  const again = await created(member("again", ada));
  clerk.control.removeUser(ada);
  expect(await membership.read(again.id, again.state)).toEqual({ id: "", props: {} });
  const third = await created(member("third", clerk.control.putUser({ username: "cy" }).id));
  clerk.control.removeOrganization(orgId);
  clerk.control.clearRequests();
  await membership.remove(third.id, third.state);
  expect(wire()).toEqual([`GET /v1/organizations/${orgId}/memberships?user_id=${third.state["userId"]}&limit=1`]);
});

it("a membership re-made outside Pulumi (another id) is not this resource's: gone, and never deleted", async () => {
  const { id, state } = await created(member("remade", ada));
  clerk.control.removeMembership(orgId, ada);
  clerk.control.putMembership({ organization_id: orgId, user_id: ada, role: "org:member" });
  clerk.control.clearRequests();
  expect(await membership.read(id, state)).toEqual({ id: "", props: {} });
  await membership.remove(id, state);
  expect(wire().filter((c) => typeof c !== "string" || !c.startsWith("GET"))).toEqual([]);
  expect(clerk.control.getMembership(orgId, ada)).toBeDefined();
});

it("a failed metadata merge after the role changed: the state records the new role and the old metadata", async () => {
  clerk.control.putMembership({ organization_id: orgId, user_id: bob, role: "org:admin" });
  const inputs = member("midway", ada, { publicMetadata: { v: 1 } });
  const { id, state } = await created(inputs);
  const wanted = { ...inputs, role: "org:admin", publicMetadata: { v: 2 } };
  clerk.control.inject({ match: { method: "PATCH", path: /\/metadata$/ }, times: 1, kind: "status", status: 422 });
  const err = await failure(membership.update(id, state, wanted));
  expect(err["properties"]).toMatchObject({ role: "org:admin", publicMetadata: { v: 1 }, membershipId: id });
  expect(clerk.control.getMembership(orgId, ada)).toMatchObject({ role: "org:admin", public_metadata: { v: 1 } });
  const next = { ...state, ...(err["properties"] as Props) };
  expect(await membership.diff(id, next, wanted)).toMatchObject({ changes: true });
  await membership.update(id, next, wanted);
  expect(clerk.control.getMembership(orgId, ada)).toMatchObject({ public_metadata: { v: 2 } });
});

it("lookups that arrive together cost one request per organization; a deleted organization's answer is gone", async () => {
  const other = clerk.control.putOrganization({ name: "Other", slug: "other" }).id;
  const users = Array.from({ length: 30 }, (_, i) => clerk.control.putUser({ username: `u${i}` }).id);
  const made = await Promise.all(
    users.map((u, i) => created(member(`m${i}`, u, { organizationId: i < 25 ? orgId : other }))),
  );
  clerk.control.removeOrganization(other);
  clerk.control.clearRequests();
  const reads = await Promise.all(made.map(({ id, state }) => membership.read(id, state)));
  expect(reads.map((r) => r.id)).toEqual(made.map(({ id }, i) => (i < 25 ? id : "")));
  const lists = clerk.control.requests().filter((r) => r.path.endsWith("/memberships"));
  expect(lists.map((r) => [r.path, (r.query["user_id"] as string[]).length, r.query["limit"]]).sort()).toEqual(
    [
      [`/v1/organizations/${orgId}/memberships`, 25, "25"],
      [`/v1/organizations/${other}/memberships`, 5, "5"],
    ].sort(),
  );
});
