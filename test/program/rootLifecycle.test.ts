/**
 * The root program's whole lifecycle through the real dynamic-provider host (the Engine) against the local Clerk,
 * with the example stack config examples/config/Pulumi.demo.yaml (+ its users.yaml): its users, its organization
 * and the organization's members. After each step, exactly what Clerk holds.
 */
import * as path from "node:path";
import { readMarker } from "../../src/marker/managedByMarker";
import { readStackConfig, structured } from "../../scripts/lib/stackConfig";
import { startLocalStack, type LocalStack } from "../../scripts/lib/localStack";
import { Engine, type ConfigValue } from "../harness";
import type { StoredMembership, StoredOrganization, StoredUser } from "../local-clerk";
import rootProgram = require("../../program");

const REPO = path.resolve(__dirname, "..", "..");
const PROJECT = "pulumi-clerk";
const ADMIN_PASSWORD = "demo-Passw0rd-for-qa-admin";
const CONFIG = readStackConfig(path.join(REPO, "examples", "config", "Pulumi.demo.yaml"), {
  [`${PROJECT}:qaAdminPassword`]: ADMIN_PASSWORD,
});
type Entry = Record<string, unknown> & { name: string };
const USERS = structured<Entry[]>(CONFIG, `${PROJECT}:users`);
type Member = { user: string; role: string };
type Organization = Entry & { members: Member[] };
const ORGANIZATIONS = structured<Organization[]>(CONFIG, `${PROJECT}:organizations`);

function withUsers(users: Entry[]): Record<string, ConfigValue> {
  return { ...CONFIG, [`${PROJECT}:users`]: JSON.stringify(users) };
}

/** The example's organizations with one member's role (or membership, when `role` is undefined) changed. */
function withMember(user: string, role: string | undefined): Organization[] {
  return ORGANIZATIONS.map((o) => ({
    ...o,
    members: o.members.flatMap((m) => (m.user !== user ? [m] : role === undefined ? [] : [{ ...m, role }])),
  }));
}

let stack: LocalStack;
let engine: Engine;
beforeAll(async () => {
  stack = await startLocalStack({ project: PROJECT, stack: "lifecycle", projectDir: REPO, config: CONFIG });
  engine = stack.engine;
});

/** The same stack (state, host) with edited config, as after `pulumi config set --path ...`. */
function reconfigure(users: Entry[], organizations: Organization[] = ORGANIZATIONS): void {
  engine = new Engine({
    host: stack.host,
    project: PROJECT,
    stack: "lifecycle",
    config: {
      ...stack.config,
      [`${PROJECT}:users`]: JSON.stringify(users),
      [`${PROJECT}:organizations`]: JSON.stringify(organizations),
    },
    state: engine.toJSON(),
  });
}
afterAll(async () => {
  await stack?.close();
});

/** Clerk's store, by the resource name recorded in the provider's marker. */
function byName(): Record<string, StoredUser> {
  const out: Record<string, StoredUser> = {};
  for (const u of stack.clerk.control.users()) {
    const marker = readMarker(u.private_metadata);
    out[marker?.name ?? `unmarked:${u.id}`] = u;
  }
  return out;
}

const emails = (u: StoredUser | undefined): string[] => (u?.email_addresses ?? []).map((e) => e.email_address);
const writes = (): number => stack.clerk.control.requests().filter((r) => r.method !== "GET").length;

/** Clerk's organizations, by the resource name in their marker. */
function organizationsByName(): Record<string, StoredOrganization> {
  const out: Record<string, StoredOrganization> = {};
  for (const o of stack.clerk.control.organizations())
    out[readMarker(o.private_metadata)?.name ?? `unmarked:${o.id}`] = o;
  return out;
}

/** Every membership Clerk holds, as `<organization resource>/<user resource> role`, sorted. */
function memberships(): string[] {
  const userName = new Map(Object.entries(byName()).map(([n, u]) => [u.id, n]));
  const orgName = new Map(Object.entries(organizationsByName()).map(([n, o]) => [o.id, n]));
  return stack.clerk.control
    .memberships()
    .map(
      (m) => `${orgName.get(m.organization_id) ?? m.organization_id}/${userName.get(m.user_id) ?? m.user_id} ${m.role}`,
    )
    .sort();
}

const membershipOf = (user: string): StoredMembership | undefined =>
  stack.clerk.control.memberships({ userId: byName()[user]?.id ?? "" })[0];

/** The users after the in-place edit of qa-admin (kept by every later step). */
const ADMIN_CHANGED = USERS.map((u) =>
  u.name === "qa-admin" ? { ...u, firstName: "Quality", publicMetadata: { roles: ["admin", "billing"] } } : u,
);

describe("root program lifecycle against the local Clerk", () => {
  const ids: Record<string, string> = {};

  test("a config with a typo creates nothing and sends nothing to Clerk", async () => {
    const typo = [...USERS, { name: "qa-ops", emailAdresses: ["ops@example.com"] }];
    const bad = await startLocalStack({
      project: PROJECT,
      stack: "bad",
      projectDir: REPO,
      config: withUsers(typo),
      clerk: stack.clerk,
    });
    try {
      await expect(bad.engine.up(rootProgram)).rejects.toThrow(
        'users[4] "qa-ops": field "emailAdresses" is not a known field (did you mean "emailAddresses"?)',
      );
      expect(stack.clerk.control.users()).toEqual([]);
      expect(stack.clerk.control.requests()).toEqual([]);
      expect(bad.engine.state()).toEqual([]);
    } finally {
      await bad.close();
    }
  });

  test("a config whose organization names an unknown user creates nothing and sends nothing to Clerk", async () => {
    const orgs = [{ ...ORGANIZATIONS[0]!, members: [{ user: "qa-admn", role: "org:admin" }] }];
    const bad = await startLocalStack({
      project: PROJECT,
      stack: "bad-org",
      projectDir: REPO,
      config: { ...CONFIG, [`${PROJECT}:organizations`]: JSON.stringify(orgs) },
      clerk: stack.clerk,
    });
    try {
      await expect(bad.engine.up(rootProgram)).rejects.toThrow(
        'organizations[0] "tenant-a": field "members[0].user" names no users entry (did you mean "qa-admin"?)',
      );
      expect(stack.clerk.control.users()).toEqual([]);
      expect(stack.clerk.control.organizations()).toEqual([]);
      expect(stack.clerk.control.requests()).toEqual([]);
      expect(bad.engine.state()).toEqual([]);
    } finally {
      await bad.close();
    }
  });

  test("up creates exactly the configured users (config list + users file) with their fields", async () => {
    const r = await engine.up(rootProgram);
    expect(r.failures).toEqual([]);
    expect(r.created).toBe(9);
    const users = byName();
    expect(Object.keys(users).sort()).toEqual([
      "e2e-alice",
      "e2e-bob",
      "qa-admin",
      "qa-billing",
      "qa-viewer",
      "support-bot",
    ]);
    for (const [name, u] of Object.entries(users)) {
      ids[name] = u.id;
      expect(readMarker(u.private_metadata)).toMatchObject({ project: PROJECT, stack: "lifecycle", name });
    }

    const admin = users["qa-admin"]!;
    expect(emails(admin)).toEqual(["qa-admin@example.com"]);
    expect([admin.first_name, admin.last_name]).toEqual(["QA", "Admin"]);
    expect(admin.public_metadata).toEqual({ roles: ["admin"] });
    expect(admin.password).toBe(ADMIN_PASSWORD); // from secret config

    const viewer = users["qa-viewer"]!;
    expect(emails(viewer)).toEqual(["qa-viewer@example.com"]);
    expect(viewer.public_metadata).toEqual({ roles: ["viewer"] });
    expect(typeof viewer.password).toBe("string"); // generated by the provider
    expect((viewer.password ?? "").length).toBeGreaterThanOrEqual(16);

    const billing = users["qa-billing"]!;
    expect(billing.phone_numbers.map((p) => p.phone_number)).toEqual(["+15555550123"]);
    expect(billing.private_metadata).toMatchObject({ costCenter: "qa" });

    const bot = users["support-bot"]!;
    expect([bot.username, bot.external_id, bot.password]).toEqual(["support-bot", "svc-support-bot", null]);
    expect(emails(bot)).toEqual([]);

    expect(emails(users["e2e-bob"])).toEqual(["bob@example.com", "bob.builder@example.com"]);
    expect(users["e2e-bob"]!.public_metadata).toEqual({ roles: ["member"], plan: "pro" });
    expect(users["e2e-bob"]!.unsafe_metadata).toEqual({ onboarded: true });
    expect(users["e2e-alice"]!.first_name).toBe("Alice");

    // The generated password is a secret output in state; the configured one is a secret input.
    const viewerState = engine.state().find((s) => s.name === "qa-viewer")!;
    expect(viewerState.secretOutputs).toContain("generatedPassword");
    expect(viewerState.outputs["generatedPassword"]).toBe(viewer.password);
    const adminState = engine.state().find((s) => s.name === "qa-admin")!;
    expect(adminState.secretInputs).toContain("password");
  });

  test("the same up creates the organization and its two members, each with its role and marker", async () => {
    const orgs = organizationsByName();
    expect(Object.keys(orgs)).toEqual(["tenant-a"]);
    const org = orgs["tenant-a"]!;
    ids["tenant-a"] = org.id;
    expect(org).toMatchObject({
      name: "Tenant A",
      slug: "tenant-a",
      max_allowed_memberships: 10,
      public_metadata: { plan: "pro" },
      created_by: null,
    });
    expect(readMarker(org.private_metadata)).toMatchObject({ project: PROJECT, stack: "lifecycle", name: "tenant-a" });
    expect(memberships()).toEqual(["tenant-a/qa-admin org:admin", "tenant-a/qa-viewer org:member"]);
    for (const user of ["qa-admin", "qa-viewer"]) {
      const m = membershipOf(user)!;
      ids[`tenant-a/${user}`] = m.id;
      expect(m.organization_id).toBe(org.id);
      expect(readMarker(m.private_metadata)).toMatchObject({ stack: "lifecycle", name: `tenant-a/${user}` });
    }
  });

  test("up again: no changes, no writes to Clerk", async () => {
    stack.clerk.control.clearRequests();
    const r = await engine.up(rootProgram);
    expect(r).toMatchObject({ created: 0, updated: 0, replaced: 0, deleted: 0, unchanged: 9, failures: [] });
    expect(writes()).toBe(0);
  });

  test("reordering the entries changes nothing", async () => {
    stack.clerk.control.clearRequests();
    reconfigure(
      [...USERS].reverse(),
      ORGANIZATIONS.map((o) => ({ ...o, members: [...o.members].reverse() })),
    );
    const r = await engine.up(rootProgram);
    expect(r).toMatchObject({ created: 0, updated: 0, replaced: 0, deleted: 0, unchanged: 9 });
    expect(writes()).toBe(0);
  });

  test("changing an entry's firstName and role is an in-place update (same Clerk user id)", async () => {
    const changed = USERS.map((u) =>
      u.name === "qa-admin" ? { ...u, firstName: "Quality", publicMetadata: { roles: ["admin", "billing"] } } : u,
    );
    reconfigure(changed);
    const r = await engine.up(rootProgram);
    expect(r).toMatchObject({ created: 0, updated: 1, replaced: 0, deleted: 0, unchanged: 8, failures: [] });
    const admin = byName()["qa-admin"]!;
    expect(admin.id).toBe(ids["qa-admin"]);
    expect(admin.first_name).toBe("Quality");
    expect(admin.public_metadata).toEqual({ roles: ["admin", "billing"] });
    expect(admin.password).toBe(ADMIN_PASSWORD);
    const userIds = Object.fromEntries(Object.entries(ids).filter(([n]) => !n.startsWith("tenant-a")));
    expect(Object.fromEntries(Object.entries(byName()).map(([n, u]) => [n, u.id]))).toEqual(userIds);
  });

  test("changing a member's role is an in-place update of that membership (same membership id)", async () => {
    stack.clerk.control.clearRequests();
    reconfigure(ADMIN_CHANGED, withMember("qa-viewer", "org:admin"));
    const r = await engine.up(rootProgram);
    expect(r).toMatchObject({ created: 0, updated: 1, replaced: 0, deleted: 0, unchanged: 8, failures: [] });
    expect(memberships()).toEqual(["tenant-a/qa-admin org:admin", "tenant-a/qa-viewer org:admin"]);
    expect(membershipOf("qa-viewer")!.id).toBe(ids["tenant-a/qa-viewer"]);
    expect(organizationsByName()["tenant-a"]!.id).toBe(ids["tenant-a"]);
    const orgId = ids["tenant-a"]!;
    const viewerId = byName()["qa-viewer"]!.id;
    expect(
      stack.clerk.control
        .requests()
        .filter((q) => q.method !== "GET")
        .map((q) => `${q.method} ${q.path}`),
    ).toEqual([`PATCH /v1/organizations/${orgId}/memberships/${viewerId}`]);
  });

  test("refresh finds no drift", async () => {
    const r = await engine.refresh();
    expect(r).toMatchObject({ deleted: 0, failures: [] });
    const again = await engine.up(rootProgram);
    expect(again).toMatchObject({ created: 0, updated: 0, replaced: 0, deleted: 0, unchanged: 9 });
  });

  test("removing a member deletes that membership only: the user and the organization stay", async () => {
    reconfigure(ADMIN_CHANGED, withMember("qa-viewer", undefined));
    const r = await engine.up(rootProgram);
    expect(r).toMatchObject({ created: 0, updated: 0, deleted: 1, unchanged: 8, failures: [] });
    expect(memberships()).toEqual(["tenant-a/qa-admin org:admin"]);
    expect(byName()["qa-viewer"]!.id).toBe(ids["qa-viewer"]);
    expect(organizationsByName()["tenant-a"]!.id).toBe(ids["tenant-a"]);
  });

  test("removing an entry deletes that user only", async () => {
    const fewer = ADMIN_CHANGED.filter((u) => u.name !== "qa-billing");
    reconfigure(fewer, withMember("qa-viewer", undefined));
    const r = await engine.up(rootProgram);
    expect(r).toMatchObject({ created: 0, updated: 0, deleted: 1, unchanged: 7, failures: [] });
    expect(Object.keys(byName()).sort()).toEqual(["e2e-alice", "e2e-bob", "qa-admin", "qa-viewer", "support-bot"]);
    expect(memberships()).toEqual(["tenant-a/qa-admin org:admin"]);
  });

  test("destroy leaves Clerk with 0 users and 0 organizations; the last admin's membership goes with its organization", async () => {
    stack.clerk.control.clearRequests();
    const r = await engine.destroy();
    // 5 users, the organization, and its membership (deletedWith: dropped from state, no provider delete).
    expect(r).toMatchObject({ deleted: 7, deletedWith: 1, retained: 0, failures: [] });
    expect(stack.clerk.control.users()).toEqual([]);
    expect(stack.clerk.control.organizations()).toEqual([]);
    expect(stack.clerk.control.memberships()).toEqual([]);
    expect(engine.state()).toEqual([]);
    const deletes = stack.clerk.control
      .requests()
      .filter((q) => q.method === "DELETE")
      .map((q) => `${q.method} ${q.path}`.replace(/(user|org)_\w+/g, "$1_…"))
      .sort();
    expect(deletes).toEqual(["DELETE /v1/organizations/org_…", ...Array(5).fill("DELETE /v1/users/user_…")]);
  });
});
