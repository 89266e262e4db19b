/**
 * The root program's `organizations` config, validated with the users before any resource exists: the entries it
 * accepts, exactly, and for each problem its line (entry, field, message) and its rule code. No value of the
 * config is ever quoted, only entry names that passed validation.
 */
import { ConfigError, type ConfigProblem } from "../../src/program/ConfigError";
import {
  collectOrganizationSources,
  type OrganizationEntry,
  type OrganizationsSource,
} from "../../src/program/parseOrganizationsConfig";
import { parseRootConfig } from "../../src/program/parseRootConfig";
import { formatProblem } from "../../src/program/ConfigError";

const USERS = [
  { name: "qa-admin", emailAddresses: ["qa-admin@example.com"] },
  { name: "qa-viewer", emailAddresses: ["qa-viewer@example.com"] },
  { name: "qa-billing", emailAddresses: ["qa-billing@example.com"] },
];
const USER_REFS = USERS.map((u, i) => ({ name: u.name, label: `users[${i}] "${u.name}"` }));

const source = (raw: unknown, name = "organizations"): OrganizationsSource => ({ raw, source: name });

/** Every problem, as [line, rule]. */
function problemsOf(...sources: OrganizationsSource[]): [string, string | undefined][] {
  return collectOrganizationSources(sources, USER_REFS).problems.map((p: ConfigProblem) => [formatProblem(p), p.rule]);
}
const entriesOf = (...sources: OrganizationsSource[]): OrganizationEntry[] => {
  const { entries, problems } = collectOrganizationSources(sources, USER_REFS);
  expect(problems).toEqual([]);
  return entries;
};
/** The problems of one list of entries under `organizations`. */
const parse = (raw: unknown): [string, string | undefined][] => problemsOf(source(raw));

const tenant = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  name: "tenant-a",
  members: [
    { user: "qa-admin", role: "org:admin" },
    { user: "qa-viewer", role: "org:member" },
  ],
  ...extra,
});

describe("organizations: accepted configs", () => {
  test("an entry with every kind of field, its members and createdBy", () => {
    expect(
      entriesOf(
        source([
          {
            name: "tenant-a",
            displayName: "Tenant A",
            slug: "tenant-a",
            maxAllowedMemberships: 10,
            publicMetadata: { plan: "pro" },
            privateMetadata: { billingId: "b-1" },
            createdBy: "qa-billing",
            members: [
              { user: "qa-admin", role: "org:admin" },
              { user: "qa-viewer", role: "org:member", publicMetadata: { team: "qa" } },
            ],
          },
        ]),
      ),
    ).toEqual<OrganizationEntry[]>([
      {
        name: "tenant-a",
        label: 'organizations[0] "tenant-a"',
        args: {
          name: "Tenant A",
          slug: "tenant-a",
          maxAllowedMemberships: 10,
          publicMetadata: { plan: "pro" },
          privateMetadata: { billingId: "b-1" },
        },
        userRefs: { createdBy: "qa-billing" },
        members: [
          { user: "qa-admin", field: "members[0]", args: { role: "org:admin" } },
          { user: "qa-viewer", field: "members[1]", args: { role: "org:member", publicMetadata: { team: "qa" } } },
        ],
      },
    ]);
  });

  test("Clerk's name defaults to the entry name; no members is an empty list; order is kept", () => {
    const entries = entriesOf(source([{ name: "tenant-b", members: null }, { name: "tenant-a" }]));
    expect(entries.map((e) => [e.name, e.args, e.members])).toEqual([
      ["tenant-b", { name: "tenant-b" }, []],
      ["tenant-a", { name: "tenant-a" }, []],
    ]);
  });

  test("counts and booleans given as text (as `pulumi config set` stores them) are read", () => {
    const [e] = entriesOf(source([tenant({ maxAllowedMemberships: "2", adopt: "true" })]));
    expect(e?.args).toEqual({ name: "tenant-a", maxAllowedMemberships: 2, adopt: true });
  });

  test("0 means unlimited: any number of members", () => {
    expect(entriesOf(source([tenant({ maxAllowedMemberships: 0, createdBy: "qa-billing" })]))).toHaveLength(1);
  });

  test("the limit counts the members and the creator, exactly", () => {
    expect(entriesOf(source([tenant({ maxAllowedMemberships: 3, createdBy: "qa-billing" })]))).toHaveLength(1);
  });

  test("absent lists contribute nothing; entries of the file and the config are one list", () => {
    expect(entriesOf(source(undefined), source(null))).toEqual([]);
    const entries = entriesOf(source([tenant()]), source([{ name: "tenant-b" }], "users.yaml:organizations"));
    expect(entries.map((e) => e.label)).toEqual([
      'organizations[0] "tenant-a"',
      'users.yaml:organizations[0] "tenant-b"',
    ]);
  });
});

describe("organizations: each problem names the entry and the field, with its rule", () => {
  test("the list and its entries must have the right shape", () => {
    expect(parse({ name: "tenant-a" })).toEqual([
      ["organizations: must be a list of organization entries, got a mapping", "type"],
    ]);
    expect(parse(["tenant-a"])).toEqual([
      ["organizations[0]: must be a mapping of fields (name, members, ...), got a string", "type"],
    ]);
  });

  test("names: required, valid, unique across the config and the file", () => {
    expect(parse([{ members: [] }])).toEqual([
      [
        'organizations[0]: field "name" is required: a stable key such as "tenant-a" (it becomes the resource name; keep it when reordering)',
        "required",
      ],
    ]);
    expect(parse([{ name: 42 }, { name: "Tenant A" }])).toEqual([
      ['organizations[0]: field "name" must be a string, got a number', "type"],
      [
        'organizations[1]: field "name" is not a valid name: use lowercase letters, digits, "-", "_" and "." (starting with a letter or digit, at most 100 characters)',
        "format",
      ],
    ]);
    expect(problemsOf(source([tenant()]), source([{ name: "tenant-a" }], "users.yaml:organizations"))).toEqual([
      [
        'users.yaml:organizations[0] "tenant-a": field "name" duplicates organizations[0] "tenant-a": each entry needs its own name (it is the resource\'s identity)',
        "duplicate",
      ],
    ]);
  });

  test("unknown fields, with a suggestion; a key that looks like data is not shown", () => {
    expect(
      parse([
        tenant({
          dispalyName: "A",
          member: [],
          Slug: "a",
          "TOKEN-ghp_0123456789abcdef0123456789abcdef": 1,
        }),
      ]),
    ).toEqual([
      [
        'organizations[0] "tenant-a": field "dispalyName" is not a known field (did you mean "displayName"?)',
        "unknown_field",
      ],
      ['organizations[0] "tenant-a": field "member" is not a known field (did you mean "members"?)', "unknown_field"],
      ['organizations[0] "tenant-a": field "Slug" is not a known field (did you mean "slug"?)', "unknown_field"],
      [
        'organizations[0] "tenant-a": has a field whose name does not look like a field name (not shown: it may be data); remove it',
        "unknown_field",
      ],
    ]);
    expect(
      parse([tenant({ members: [{ user: "qa-admin", roles: "org:admin", role: "org:admin", team: "x" }] })]),
    ).toEqual([
      [
        'organizations[0] "tenant-a": field "members[0].roles" is not a known field (did you mean "role"?)',
        "unknown_field",
      ],
      ['organizations[0] "tenant-a": field "members[0].team" is not a known field', "unknown_field"],
    ]);
  });

  test("fields the program sets are refused, saying where they come from", () => {
    expect(
      parse([
        tenant({
          managedBy: { project: "p", stack: "s", name: "n" },
          members: [{ user: "qa-admin", role: "org:admin", organizationId: "org_1", userId: "user_1" }],
        }),
      ]),
    ).toEqual([
      [
        'organizations[0] "tenant-a": field "managedBy" is set by the program from the project, stack and entry name; remove it',
        "not_in_config",
      ],
      [
        'organizations[0] "tenant-a": field "members[0].organizationId" is set by the program from the organization entry the member is listed under; remove it',
        "not_in_config",
      ],
      [
        'organizations[0] "tenant-a": field "members[0].userId" is set by the program from "user" (the name of a users entry); remove it',
        "not_in_config",
      ],
    ]);
  });

  test("YAML numbers, booleans and null in text fields are refused, never converted", () => {
    const notText = (got: string): string =>
      `must be a string, got ${got}: YAML reads unquoted values such as 000123, 0x1F, +15555550100, 1e3 or yes as ` +
      "numbers or booleans (and ~ as null), so put the value in quotes";
    expect(
      parse([
        {
          name: "tenant-a",
          displayName: 123,
          slug: true,
          createdBy: null,
          members: [{ user: 7, role: 1e3 }],
        },
      ]),
    ).toEqual([
      [`organizations[0] "tenant-a": field "displayName" ${notText("a number")}`, "type"],
      [`organizations[0] "tenant-a": field "slug" ${notText("a boolean")}`, "type"],
      [`organizations[0] "tenant-a": field "createdBy" ${notText("null")}`, "type"],
      [`organizations[0] "tenant-a": field "members[0].user" ${notText("a number")}`, "type"],
      [`organizations[0] "tenant-a": field "members[0].role" ${notText("a number")}`, "type"],
    ]);
  });

  test("the resource's own field checks, under the config's names", () => {
    expect(
      parse([
        tenant({
          displayName: "x".repeat(257),
          maxAllowedMemberships: -1,
          publicMetadata: ["pro"],
          privateMetadata: { pulumiClerk: {} },
          createdAt: "yesterday",
        }),
      ]),
    ).toEqual([
      ['organizations[0] "tenant-a": field "displayName" must be at most 256 characters (got 257)', "too_long"],
      [
        'organizations[0] "tenant-a": field "maxAllowedMemberships" must be a non-negative integer (0 means unlimited), got a negative number',
        "format",
      ],
      [
        'organizations[0] "tenant-a": field "createdAt" must be an RFC 3339 timestamp such as 2012-10-20T07:15:20.902Z',
        "format",
      ],
      ['organizations[0] "tenant-a": field "publicMetadata" must be a JSON object ({...}), got a list', "type"],
      [
        'organizations[0] "tenant-a": field "privateMetadata.pulumiClerk" "pulumiClerk" is reserved: the provider stores its managed-by marker under it',
        "reserved",
      ],
    ]);
    expect(parse([tenant({ maxAllowedMemberships: "ten" })])).toEqual([
      [
        'organizations[0] "tenant-a": field "maxAllowedMemberships" must be a non-negative integer (0 means unlimited), got a string',
        "format",
      ],
    ]);
  });

  test("slug and name formats (the ClerkOrganization check's rules)", () => {
    expect(parse([tenant({ slug: "Tenant_A" }), { name: "tenant-b", displayName: " B ", slug: "" }])).toEqual([
      ['organizations[0] "tenant-a": field "slug" must contain only lowercase letters, digits and "-"', "format"],
      [
        'organizations[1] "tenant-b": field "displayName" must not start or end with whitespace (Clerk trims it)',
        "format",
      ],
      ['organizations[1] "tenant-b": field "slug" must not be empty; omit it to have the default slug', "format"],
    ]);
  });

  test("slugs are unique across entries (Clerk holds one organization per slug)", () => {
    expect(
      problemsOf(
        source([tenant({ slug: "acme" })]),
        source([{ name: "tenant-b", slug: "acme" }], "f.yaml:organizations"),
      ),
    ).toEqual([
      [
        'f.yaml:organizations[0] "tenant-b": field "slug" is already the slug of organizations[0] "tenant-a": it must be unique in the Clerk instance',
        "duplicate",
      ],
    ]);
  });

  test("member metadata: a null value is refused (Clerk's merge would delete the key)", () => {
    expect(
      parse([tenant({ members: [{ user: "qa-admin", role: "org:admin", publicMetadata: { team: null } }] })]),
    ).toEqual([
      [
        'organizations[0] "tenant-a": field "members[0].publicMetadata.team" is null, which Clerk\'s metadata merge treats as delete: omit the key instead',
        "format",
      ],
    ]);
  });

  test("members: a list of mappings, each with a user and a role shaped like Clerk's role keys", () => {
    expect(parse([tenant({ members: { user: "qa-admin" } })])).toEqual([
      ['organizations[0] "tenant-a": field "members" must be a list of members ({user, role}), got a mapping', "type"],
    ]);
    expect(
      parse([
        tenant({
          members: [
            "qa-admin",
            { role: "org:admin" },
            { user: "qa-viewer" },
            { user: "qa-billing", role: "admin" },
            { user: "qa-admin", role: "org:" },
          ],
        }),
      ]),
    ).toEqual([
      ['organizations[0] "tenant-a": field "members[0]" must be a mapping ({user, role}), got a string', "type"],
      [
        'organizations[0] "tenant-a": field "members[1].user" is required: the name of a users entry, such as "qa-admin"',
        "required",
      ],
      [
        'organizations[0] "tenant-a": field "members[2].role" is required: a role key such as "org:admin" or "org:member"',
        "required",
      ],
      [
        'organizations[0] "tenant-a": field "members[3].role" must be a role key such as "org:admin" or "org:member"',
        "format",
      ],
      [
        'organizations[0] "tenant-a": field "members[4].role" must be a role key such as "org:admin" or "org:member"',
        "format",
      ],
    ]);
  });

  test("members and createdBy must name a users entry (did you mean), once each", () => {
    expect(
      parse([
        tenant({
          createdBy: "qa-biling",
          members: [
            { user: "qa-admn", role: "org:admin" },
            { user: "ghp_0123456789abcdef0123456789abcdef", role: "org:member" },
            { user: "qa-viewer", role: "org:member" },
            { user: "qa-viewer", role: "org:admin" },
          ],
        }),
      ]),
    ).toEqual([
      [
        'organizations[0] "tenant-a": field "createdBy" names no users entry (did you mean "qa-billing"?): list the user under users (or in the usersFile) first',
        "unknown_user",
      ],
      [
        'organizations[0] "tenant-a": field "members[0].user" names no users entry (did you mean "qa-admin"?): list the user under users (or in the usersFile) first',
        "unknown_user",
      ],
      [
        'organizations[0] "tenant-a": field "members[1].user" names no users entry: list the user under users (or in the usersFile) first',
        "unknown_user",
      ],
      [
        'organizations[0] "tenant-a": field "members[3].user" names the same user as members[2]: a user is a member once (one role)',
        "duplicate",
      ],
    ]);
  });

  test("createdBy must not also be a member (decision 3)", () => {
    expect(parse([tenant({ createdBy: "qa-viewer" })])).toEqual([
      [
        'organizations[0] "tenant-a": field "createdBy" names the user of members[1]: Clerk makes the creator an org:admin member itself, so that membership could not be created; remove createdBy and list them under members with role org:admin instead',
        "conflict",
      ],
    ]);
  });

  test("maxAllowedMemberships below the declared members (the creator counts)", () => {
    expect(parse([tenant({ maxAllowedMemberships: 1 })])).toEqual([
      [
        'organizations[0] "tenant-a": field "maxAllowedMemberships" is smaller than the 2 members the entry declares: Clerk would refuse the members past it (0 means unlimited)',
        "membership_limit",
      ],
    ]);
    expect(parse([tenant({ maxAllowedMemberships: 2, createdBy: "qa-billing" })])).toEqual([
      [
        'organizations[0] "tenant-a": field "maxAllowedMemberships" is smaller than the 3 members the entry declares (createdBy counts: Clerk makes the creator a member): Clerk would refuse the members past it (0 means unlimited)',
        "membership_limit",
      ],
    ]);
  });

  test("no message quotes a value of the config", () => {
    const TOKEN = "ghp_0123456789abcdef0123456789abcdef";
    const lines = parse([
      { name: TOKEN },
      {
        name: "tenant-a",
        displayName: 12345,
        slug: `x-${TOKEN}`.toUpperCase(),
        createdBy: TOKEN,
        publicMetadata: TOKEN,
        members: [TOKEN, { user: TOKEN, role: TOKEN }, { user: "qa-admin", role: "org:admin", [TOKEN]: TOKEN }],
      },
    ]).map(([line]) => line);
    expect(lines.length).toBeGreaterThanOrEqual(8);
    for (const line of lines) {
      expect(line).not.toContain(TOKEN);
      expect(line.toLowerCase()).not.toContain(TOKEN.toLowerCase());
      expect(line).not.toContain("12345");
    }
  });
});

describe("users and organizations are validated together", () => {
  test("one ConfigError lists the users' problems, then the organizations'", () => {
    let error: unknown;
    try {
      parseRootConfig(
        [{ raw: [...USERS, { name: "qa-ops", emailAdresses: ["ops@example.com"] }], source: "users" }],
        [
          {
            raw: [
              tenant({
                members: [
                  { user: "qa-ops", role: "org:admin" },
                  { user: "qa-ghost", role: "x" },
                ],
              }),
            ],
            source: "organizations",
          },
        ],
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe(
      "the users config has 3 problems; nothing was created or changed:\n" +
        '  - users[3] "qa-ops": field "emailAdresses" is not a known field (did you mean "emailAddresses"?)\n' +
        '  - organizations[0] "tenant-a": field "members[1].role" must be a role key such as "org:admin" or "org:member"\n' +
        '  - organizations[0] "tenant-a": field "members[1].user" names no users entry: list the user under users (or in the usersFile) first',
    );
  });

  test("a valid config: users, and organizations naming them", () => {
    const config = parseRootConfig([{ raw: USERS, source: "users" }], [{ raw: [tenant()], source: "organizations" }]);
    expect(config.users.map((u) => u.name)).toEqual(["qa-admin", "qa-viewer", "qa-billing"]);
    expect(config.organizations.map((o) => [o.name, o.members.map((m) => [m.user, m.args["role"]])])).toEqual([
      [
        "tenant-a",
        [
          ["qa-admin", "org:admin"],
          ["qa-viewer", "org:member"],
        ],
      ],
    ]);
  });
});
