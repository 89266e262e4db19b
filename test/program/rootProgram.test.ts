/**
 * The root program (program/index.ts) under Pulumi's mock monitor: what it registers for a good config (users,
 * organizations, their memberships and options), and that a bad config registers nothing at all (the ConfigError is
 * thrown before the first resource).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { usersProgram } from "../../src/program/usersProgram";
import { capture, captureRegistrations, DYNAMIC_TYPE_PREFIX, type Registration } from "../harness";
import type { ConfigValue } from "../harness";
import rootProgram = require("../../program");

const PROJECT = "pulumi-clerk";
const REPO = path.resolve(__dirname, "..", "..");

function config(users: unknown, extra: Record<string, ConfigValue> = {}): Record<string, ConfigValue> {
  return { [`${PROJECT}:users`]: JSON.stringify(users), ...extra };
}

/** The ClerkUser registrations, by name (registration order depends on when secret inputs resolve). */
function clerkUsers(regs: Registration[]): Registration[] {
  return regs.filter((r) => r.type.startsWith(DYNAMIC_TYPE_PREFIX)).sort((a, b) => a.name.localeCompare(b.name));
}

/** Inputs without the serialized provider and the computed-output placeholders. */
function args(r: Registration): Record<string, unknown> {
  const { __provider, ...rest } = r.inputs;
  void __provider;
  return rest;
}

async function rejection(
  cfg: Record<string, ConfigValue>,
): Promise<{ message: string; registrations: Registration[] }> {
  const registrations: Registration[] = [];
  let message = "";
  try {
    await capture(rootProgram, {
      project: PROJECT,
      stack: "test",
      config: cfg,
      resolve: (reg) => {
        registrations.push(reg);
        return { id: `${reg.name}-id`, state: reg.wireInputs };
      },
    });
  } catch (e) {
    message = e instanceof Error ? e.message : String(e);
  }
  expect(message).not.toBe("");
  return { message, registrations };
}

const GOOD = [
  {
    name: "qa-admin",
    emailAddresses: ["qa-admin@example.com"],
    firstName: "QA",
    publicMetadata: { roles: ["admin"] },
    passwordSecret: "qaAdminPassword",
  },
  { name: "qa-viewer", emailAddresses: ["qa-viewer@example.com"], generatePassword: true },
  {
    name: "support-bot",
    username: "support-bot",
    externalId: "svc-support",
    skipPasswordRequirement: true,
    protect: true,
  },
];
const SECRET = { [`${PROJECT}:qaAdminPassword`]: { secret: "correct-horse-battery" } };

describe("root program: good config", () => {
  test("one ClerkUser per entry, named by the entry, with its args and the password from secret config", async () => {
    const regs = clerkUsers(
      await captureRegistrations(rootProgram, { project: PROJECT, stack: "test", config: config(GOOD, SECRET) }),
    );
    expect(regs.map((r) => r.name)).toEqual(["qa-admin", "qa-viewer", "support-bot"]);
    expect(regs.every((r) => r.type === `${DYNAMIC_TYPE_PREFIX}/clerk:User`)).toBe(true);
    const managedBy = (name: string): unknown => ({ project: PROJECT, stack: "test", name });
    expect(args(regs[0]!)).toEqual({
      emailAddresses: ["qa-admin@example.com"],
      firstName: "QA",
      publicMetadata: { roles: ["admin"] },
      password: "correct-horse-battery",
      managedBy: managedBy("qa-admin"),
    });
    expect(regs[0]!.secretInputs).toContain("password");
    expect(args(regs[1]!)).toEqual({
      emailAddresses: ["qa-viewer@example.com"],
      generatePassword: true,
      managedBy: managedBy("qa-viewer"),
    });
    expect(args(regs[2]!)).toEqual({
      username: "support-bot",
      externalId: "svc-support",
      skipPasswordRequirement: true,
      managedBy: managedBy("support-bot"),
    });
    expect(regs.map((r) => r.protect)).toEqual([false, false, true]);
    // The secret never reaches the serialized provider.
    for (const r of regs) expect(String(r.inputs["__provider"])).not.toContain("correct-horse-battery");
  });

  test("stack outputs: id and primary email per entry; generated passwords as one secret", async () => {
    const { stackOutputs } = await capture(rootProgram, {
      project: PROJECT,
      stack: "test",
      config: config(GOOD, SECRET),
    });
    expect(stackOutputs["users"]).toEqual({
      "qa-admin": { id: "qa-admin-id", primaryEmail: "qa-admin@example.com" },
      "qa-viewer": { id: "qa-viewer-id", primaryEmail: "qa-viewer@example.com" },
      "support-bot": { id: "support-bot-id", primaryEmail: null },
    });
    expect(JSON.stringify(stackOutputs["generatedPasswords"])).toContain("1b47061264138c4ac30d75fd1eb44270"); // secret sig
  });

  test("reordering entries yields the same resource names and inputs", async () => {
    const run = async (users: unknown[]): Promise<[string, unknown][]> =>
      clerkUsers(
        await captureRegistrations(rootProgram, { project: PROJECT, stack: "test", config: config(users, SECRET) }),
      )
        .map((r): [string, unknown] => [r.urn, args(r)])
        .sort(([a], [b]) => a.localeCompare(b));
    expect(await run([...GOOD].reverse())).toEqual(await run(GOOD));
  });

  test("entries from usersFile are merged with the config's (path relative to the project dir)", async () => {
    const regs = clerkUsers(
      await captureRegistrations(rootProgram, {
        project: PROJECT,
        stack: "test",
        config: config([GOOD[1]], { [`${PROJECT}:usersFile`]: "examples/config/users.yaml" }),
      }),
    );
    expect(process.cwd()).toBe(REPO);
    expect(regs.map((r) => r.name)).toEqual(["e2e-alice", "e2e-bob", "qa-viewer"]);
  });

  test("no users configured: nothing registered, empty outputs", async () => {
    const { registrations, stackOutputs } = await capture(rootProgram, { project: PROJECT, stack: "test", config: {} });
    expect(clerkUsers(registrations)).toEqual([]);
    expect(stackOutputs["users"]).toEqual({});
  });
});

describe("root program: a bad config fails before any user is registered", () => {
  test.each([
    [
      "a typo",
      [...GOOD, { name: "qa-ops", emailAdresses: ["ops@example.com"] }],
      'users[3] "qa-ops": field "emailAdresses" is not a known field (did you mean "emailAddresses"?)',
    ],
    [
      "a duplicate name",
      [...GOOD, { name: "qa-viewer", emailAddresses: ["viewer2@example.com"] }],
      'users[3] "qa-viewer": field "name" duplicates users[1] "qa-viewer"',
    ],
    [
      "a duplicate email",
      [...GOOD, { name: "qa-viewer-2", emailAddresses: ["QA-Viewer@example.com"] }],
      'users[3] "qa-viewer-2": field "emailAddresses[0]" is already the email address of users[1] "qa-viewer"',
    ],
    [
      "a bad email",
      [...GOOD, { name: "qa-ops", emailAddresses: ["ops@example"] }],
      'users[3] "qa-ops": field "emailAddresses[0]" is not a valid email address',
    ],
    [
      "a plaintext password",
      [...GOOD, { name: "qa-ops", emailAddresses: ["ops@example.com"], password: "plaintext-pw" }],
      'users[3] "qa-ops": field "password" must not be given in plain config (it would be stored unencrypted): store the password with `pulumi config set --secret qaOpsPassword <password>`',
    ],
    [
      "no identifier",
      [...GOOD, { name: "qa-ops", firstName: "Ops" }],
      'users[3] "qa-ops": has no identifier: set emailAddresses, phoneNumbers, web3Wallets or username',
    ],
  ])("%s", async (_what, users, expected) => {
    const { message, registrations } = await rejection(config(users, SECRET));
    expect(message).toContain("the users config has 1 problem; nothing was created or changed:");
    expect(message).toContain(expected);
    expect(message).not.toContain("plaintext-pw");
    expect(clerkUsers(registrations)).toEqual([]);
  });

  test("a passwordSecret key that is missing or not secret", async () => {
    const missing = await rejection(config(GOOD));
    expect(missing.message).toContain(
      'users[0] "qa-admin": field "passwordSecret" names config key "pulumi-clerk:qaAdminPassword", which is not set: run `pulumi config set --secret qaAdminPassword <password>`',
    );
    expect(clerkUsers(missing.registrations)).toEqual([]);
    const plain = await rejection(config(GOOD, { [`${PROJECT}:qaAdminPassword`]: "correct-horse-battery" }));
    expect(plain.message).toContain(
      "which is not a secret: set it again with `pulumi config set --secret qaAdminPassword <password>`",
    );
    expect(plain.message).not.toContain("correct-horse-battery");
  });

  test("a problem in the users file, and a duplicate across config and file", async () => {
    const { message, registrations } = await rejection(
      config([{ name: "e2e-alice", emailAddresses: ["someone@example.com"] }], {
        [`${PROJECT}:usersFile`]: "examples/config/users.yaml",
      }),
    );
    expect(message).toContain(
      'examples/config/users.yaml[0] "e2e-alice": field "name" duplicates users[0] "e2e-alice"',
    );
    expect(clerkUsers(registrations)).toEqual([]);
    const missing = await rejection(config([], { [`${PROJECT}:usersFile`]: "nope.yaml" }));
    expect(missing.message).toContain('usersFile: cannot read "nope.yaml"');
  });

  test("users that is not structured config", async () => {
    const { message } = await rejection({ [`${PROJECT}:users`]: "qa-admin" });
    expect(message).toContain("users: is not a structured list");
  });
});

describe("root program: organizations and their members", () => {
  const ORGS = [
    {
      name: "tenant-a",
      displayName: "Tenant A",
      slug: "tenant-a",
      maxAllowedMemberships: 10,
      publicMetadata: { plan: "pro" },
      members: [
        { user: "qa-admin", role: "org:admin" },
        { user: "qa-viewer", role: "org:member", publicMetadata: { team: "qa" } },
      ],
    },
    { name: "tenant-b", createdBy: "qa-admin", members: [{ user: "support-bot", role: "org:member" }] },
  ];
  const withOrgs = (orgs: unknown, extra: Record<string, ConfigValue> = SECRET): Record<string, ConfigValue> =>
    config(GOOD, { [`${PROJECT}:organizations`]: JSON.stringify(orgs), ...extra });
  const ofType = (regs: Registration[], type: string): Registration[] =>
    regs.filter((r) => r.type === `${DYNAMIC_TYPE_PREFIX}/clerk:${type}`).sort((a, b) => a.name.localeCompare(b.name));

  test("one ClerkOrganization per entry and one membership per member, deletedWith its organization", async () => {
    const regs = await captureRegistrations(rootProgram, {
      project: PROJECT,
      stack: "test",
      config: withOrgs(ORGS),
    });
    const orgs = ofType(regs, "Organization");
    expect(orgs.map((r) => [r.name, args(r)])).toEqual([
      [
        "tenant-a",
        expect.objectContaining({
          name: "Tenant A",
          slug: "tenant-a",
          maxAllowedMemberships: 10,
          publicMetadata: { plan: "pro" },
        }),
      ],
      // Clerk's name defaults to the entry name; createdBy is the users entry's Clerk id.
      ["tenant-b", expect.objectContaining({ name: "tenant-b", createdBy: "qa-admin-id" })],
    ]);
    const urnOf = Object.fromEntries(orgs.map((r) => [r.name, r.urn]));
    const members = ofType(regs, "OrganizationMembership");
    expect(members.map((r) => [r.name, args(r), r.deletedWith])).toEqual([
      [
        "tenant-a/qa-admin",
        expect.objectContaining({ organizationId: "tenant-a-id", userId: "qa-admin-id", role: "org:admin" }),
        urnOf["tenant-a"],
      ],
      [
        "tenant-a/qa-viewer",
        expect.objectContaining({
          organizationId: "tenant-a-id",
          userId: "qa-viewer-id",
          role: "org:member",
          publicMetadata: { team: "qa" },
        }),
        urnOf["tenant-a"],
      ],
      [
        "tenant-b/support-bot",
        expect.objectContaining({ organizationId: "tenant-b-id", userId: "support-bot-id", role: "org:member" }),
        urnOf["tenant-b"],
      ],
    ]);
    // Each membership depends on its organization and its user, so Pulumi creates them after both.
    const userUrn = (name: string): string => clerkUsers(regs).find((r) => r.name === name)!.urn;
    expect(members[0]!.dependencies).toEqual(expect.arrayContaining([urnOf["tenant-a"], userUrn("qa-admin")]));
  });

  test("stack outputs: id and slug per organization entry", async () => {
    const { stackOutputs } = await capture(rootProgram, {
      project: PROJECT,
      stack: "test",
      config: withOrgs(ORGS),
      // As the provider does: an organization without a slug gets a default one.
      resolve: (reg) => ({
        id: `${reg.name}-id`,
        state: reg.type.endsWith(":Organization")
          ? { slug: `${reg.name}-0a1b2c3d`, ...reg.wireInputs }
          : reg.wireInputs,
      }),
    });
    expect(stackOutputs["organizations"]).toEqual({
      "tenant-a": { id: "tenant-a-id", slug: "tenant-a" },
      "tenant-b": { id: "tenant-b-id", slug: "tenant-b-0a1b2c3d" },
    });
  });

  test("organizations in the usersFile are declared with the config's, naming users of either", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "root-orgs-"));
    try {
      fs.writeFileSync(
        path.join(dir, "people.yaml"),
        [
          "users:",
          "  - name: e2e-carol",
          "    emailAddresses: [carol@example.com]",
          "organizations:",
          "  - name: tenant-c",
          "    members:",
          "      - {user: e2e-carol, role: org:admin}",
          "      - {user: qa-viewer, role: org:member}",
          "",
        ].join("\n"),
      );
      const regs = await captureRegistrations(() => usersProgram({ baseDir: dir }), {
        project: PROJECT,
        stack: "test",
        config: withOrgs([ORGS[1]], { ...SECRET, [`${PROJECT}:usersFile`]: "people.yaml" }),
      });
      expect(ofType(regs, "Organization").map((r) => r.name)).toEqual(["tenant-b", "tenant-c"]);
      expect(ofType(regs, "OrganizationMembership").map((r) => [r.name, args(r)["userId"]])).toEqual([
        ["tenant-b/support-bot", "support-bot-id"],
        ["tenant-c/e2e-carol", "e2e-carol-id"],
        ["tenant-c/qa-viewer", "qa-viewer-id"],
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a bad organization refuses the whole config: no user, organization or membership is registered", async () => {
    const bad = [
      { ...ORGS[0], members: [{ user: "qa-admn", role: "org:admin" }] },
      { name: "tenant-b", createdBy: "qa-admin", members: [{ user: "qa-admin", role: "org:admin" }] },
    ];
    const { message, registrations } = await rejection(withOrgs(bad));
    expect(message).toBe(
      "the users config has 2 problems; nothing was created or changed:\n" +
        '  - organizations[0] "tenant-a": field "members[0].user" names no users entry (did you mean "qa-admin"?): list the user under users (or in the usersFile) first\n' +
        '  - organizations[1] "tenant-b": field "createdBy" names the user of members[0]: Clerk makes the creator an org:admin member itself, so that membership could not be created; remove createdBy and list them under members with role org:admin instead',
    );
    expect(registrations.filter((r) => r.type.startsWith(DYNAMIC_TYPE_PREFIX))).toEqual([]);
  });

  test("organizations that is not structured config", async () => {
    const { message } = await rejection(config(GOOD, { ...SECRET, [`${PROJECT}:organizations`]: "tenant-a" }));
    expect(message).toContain(
      "organizations: is not a structured list: set it with `pulumi config set --path 'organizations[0].name' tenant-a`",
    );
  });
});
