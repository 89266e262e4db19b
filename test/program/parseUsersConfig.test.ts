import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  checkPasswordSecrets,
  ConfigError,
  parseUsersConfig,
  parseUserSources,
  readUsersFile,
  type UserEntry,
} from "../../src/program";
import { secretKeyFor } from "../../src/program/parseUsersConfig";

/** The problem lines of the ConfigError thrown by `fn` (fails the test if nothing is thrown). */
function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).lines();
  }
  throw new Error("expected a ConfigError");
}

const parse = (raw: unknown): string[] => problems(() => parseUsersConfig(raw, { source: "users" }));

const ok = (name: string, email: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  name,
  emailAddresses: [email],
  ...extra,
});

describe("parseUsersConfig: accepted configs", () => {
  test("entries keep their order, args, options and password key", () => {
    const { entries } = parseUsersConfig(
      [
        ok("qa-admin", "qa-admin@example.com", {
          firstName: "QA",
          publicMetadata: { roles: ["admin"] },
          passwordSecret: "qaAdminPassword",
          protect: true,
        }),
        {
          name: "svc.bot_1",
          username: "svc-bot",
          externalId: "svc-1",
          skipPasswordRequirement: true,
          retainOnDelete: true,
        },
        ok("qa-viewer", "qa-viewer@example.com", { generatePassword: true, aliases: ["viewer"] }),
      ],
      { source: "users" },
    );
    expect(entries).toEqual<UserEntry[]>([
      {
        name: "qa-admin",
        label: 'users[0] "qa-admin"',
        args: { emailAddresses: ["qa-admin@example.com"], firstName: "QA", publicMetadata: { roles: ["admin"] } },
        passwordSecret: "qaAdminPassword",
        protect: true,
        retainOnDelete: false,
        aliases: [],
      },
      {
        name: "svc.bot_1",
        label: 'users[1] "svc.bot_1"',
        args: { username: "svc-bot", externalId: "svc-1", skipPasswordRequirement: true },
        protect: false,
        retainOnDelete: true,
        aliases: [],
      },
      {
        name: "qa-viewer",
        label: 'users[2] "qa-viewer"',
        args: { emailAddresses: ["qa-viewer@example.com"], generatePassword: true },
        protect: false,
        retainOnDelete: false,
        aliases: ["viewer"],
      },
    ]);
  });

  test("absent config means no users", () => {
    expect(parseUserSources([{ raw: undefined, source: "users" }]).entries).toEqual([]);
    expect(parseUsersConfig([], { source: "users" }).entries).toEqual([]);
  });

  test("reads booleans and counts given as text, as `pulumi config set` stores them", () => {
    const { entries } = parseUsersConfig(
      [
        {
          name: "p",
          phoneNumbers: ["+15555550100"],
          externalId: "12345",
          banned: "false",
          createOrganizationsLimit: "3",
        },
      ],
      { source: "users" },
    );
    expect(entries[0]?.args).toEqual({
      phoneNumbers: ["+15555550100"],
      externalId: "12345",
      banned: false,
      createOrganizationsLimit: 3,
    });
  });
});

describe("parseUsersConfig: rejected configs name the entry and the field", () => {
  test("a typo in a field name, with a suggestion", () => {
    expect(
      parse([
        ok("qa-viewer", "v@example.com"),
        ok("qa-ops", "o@example.com"),
        { name: "qa-admin", emailAdresses: ["a@example.com"] },
      ]),
    ).toEqual(['users[2] "qa-admin": field "emailAdresses" is not a known field (did you mean "emailAddresses"?)']);
    expect(parse([ok("a", "a@example.com", { first_name: "A", role: "admin" })])).toEqual([
      'users[0] "a": field "first_name" is not a known field (did you mean "firstName"?)',
      'users[0] "a": field "role" is not a known field',
    ]);
  });

  test("duplicate names", () => {
    expect(parse([ok("qa", "a@example.com"), ok("other", "b@example.com"), ok("qa", "c@example.com")])).toEqual([
      'users[2] "qa": field "name" duplicates users[0] "qa": each entry needs its own name (it is the resource\'s identity)',
    ]);
  });

  test("duplicate emails, compared case-insensitively, and duplicate usernames / external ids / phones", () => {
    expect(
      parse([
        ok("a", "qa@example.com", { username: "Tester", externalId: "x-1", phoneNumbers: ["+15555550100"] }),
        {
          name: "b",
          emailAddresses: ["b@example.com", "QA@Example.com"],
          username: "tester",
          externalId: "x-1",
          phoneNumbers: ["+15555550100"],
        },
      ]),
    ).toEqual([
      'users[1] "b": field "emailAddresses[1]" is already the email address of users[0] "a" (emails compare case-insensitively): Clerk allows one user per email address',
      'users[1] "b": field "phoneNumbers[0]" is already the phone number of users[0] "a": Clerk allows one user per phone number',
      'users[1] "b": field "username" is already the username of users[0] "a" (usernames compare case-insensitively): it must be unique in the Clerk instance',
      'users[1] "b": field "externalId" is already the externalId of users[0] "a": it must be unique in the Clerk instance',
    ]);
  });

  test("malformed email and phone (the provider's own checker)", () => {
    expect(parse([{ name: "qa", emailAddresses: ["qa@example.com", "bob@"], phoneNumbers: ["555-0100"] }])).toEqual([
      'users[0] "qa": field "emailAddresses[1]" is not a valid email address',
      'users[0] "qa": field "phoneNumbers[0]" is not an E.164 phone number (+ then up to 15 digits, e.g. +15555550100)',
    ]);
  });

  test("a plaintext password (or other secret) is refused with the way to do it", () => {
    expect(parse([ok("qa-admin", "a@example.com", { password: "hunter22hunter22" })])).toEqual([
      'users[0] "qa-admin": field "password" must not be given in plain config (it would be stored unencrypted): store the password with `pulumi config set --secret qaAdminPassword <password>` and set passwordSecret: qaAdminPassword, or set generatePassword: true',
    ]);
    const lines = parse([
      ok("m", "m@example.com", { totpSecret: "JBSWY3DPEHPK3PXP", backupCodes: ["1"], passwordDigest: "$2a$" }),
    ]);
    expect(lines.map((l) => (l.split(" must ")[0] ?? "").split(" is ")[0])).toEqual([
      'users[0] "m": field "totpSecret"',
      'users[0] "m": field "backupCodes"',
      'users[0] "m": field "passwordDigest"',
    ]);
    // The secret value itself is never echoed.
    expect(lines.join("\n")).not.toContain("JBSWY3DPEHPK3PXP");
    expect(parse([ok("qa-admin", "a@example.com", { password: "hunter22hunter22" })]).join("\n")).not.toContain(
      "hunter22",
    );
  });

  test("no identifier at all; missing and bad names", () => {
    expect(parse([{ name: "ghost", firstName: "Casper" }])).toEqual([
      'users[0] "ghost": has no identifier: set emailAddresses, phoneNumbers, web3Wallets or username (Clerk needs at least one)',
    ]);
    expect(
      parse([{ emailAddresses: ["a@example.com"] }, { name: "QA Admin", emailAddresses: ["b@example.com"] }]),
    ).toEqual([
      'users[0]: field "name" is required: a stable key such as "qa-admin" (it becomes the resource name; keep it when reordering)',
      'users[1]: field "name" is not a valid name: use lowercase letters, digits, "-", "_" and "." (starting with a letter or digit, at most 100 characters)',
    ]);
  });

  test("wrong types", () => {
    expect(
      parse([
        {
          name: "t",
          emailAddresses: "t@example.com",
          banned: "yes",
          publicMetadata: ["admin"],
          protect: "no",
          createOrganizationsLimit: -1,
        },
        "just-a-string",
      ]),
    ).toEqual([
      'users[0] "t": field "protect" must be true or false, got a string',
      'users[0] "t": field "emailAddresses" must be a list of strings, got a string',
      'users[0] "t": field "banned" must be a boolean, got a string',
      'users[0] "t": field "createOrganizationsLimit" must be a non-negative integer (0 means unlimited), got a negative number',
      'users[0] "t": field "publicMetadata" must be a JSON object ({...}), got a list',
      "users[1]: must be a mapping of fields (name, emailAddresses, ...), got a string",
    ]);
    expect(parse({ "qa-admin": {} })).toEqual(["users: must be a list of user entries, got a mapping"]);
  });

  test("passwordSecret and generatePassword together", () => {
    expect(parse([ok("qa", "a@example.com", { passwordSecret: "qaPassword", generatePassword: true })])).toEqual([
      'users[0] "qa": field "generatePassword" conflicts with passwordSecret: either generate a password or read one from secret config, not both',
    ]);
  });

  test("every problem is reported at once, in entry order", () => {
    const lines = parse([
      { name: "a", emailAdresses: ["a@example.com"] },
      ok("b", "bad-email"),
      ok("b", "c@example.com"),
      ok("d", "C@EXAMPLE.COM"),
    ]);
    expect(lines).toEqual([
      'users[0] "a": field "emailAdresses" is not a known field (did you mean "emailAddresses"?)',
      'users[1] "b": field "emailAddresses[0]" is not a valid email address',
      'users[2] "b": field "name" duplicates users[1] "b": each entry needs its own name (it is the resource\'s identity)',
      'users[3] "d": field "emailAddresses[0]" is already the email address of users[2] "b" (emails compare case-insensitively): Clerk allows one user per email address',
    ]);
  });

  test("the thrown message has a header and one line per problem", () => {
    try {
      parseUsersConfig([{ name: "qa-admin", emailAdresses: ["a@example.com"] }], { source: "users" });
      throw new Error("not thrown");
    } catch (e) {
      expect((e as Error).message).toBe(
        "the users config has 1 problem; nothing was created or changed:\n" +
          '  - users[0] "qa-admin": field "emailAdresses" is not a known field (did you mean "emailAddresses"?)',
      );
    }
  });

  test("duplicates across the stack config and the users file", () => {
    const lines = problems(() =>
      parseUserSources([
        { raw: [ok("qa", "qa@example.com")], source: "users" },
        { raw: [ok("qa", "other@example.com"), ok("qa2", "QA@example.com")], source: "users.yaml" },
      ]),
    );
    expect(lines).toEqual([
      'users.yaml[0] "qa": field "name" duplicates users[0] "qa": each entry needs its own name (it is the resource\'s identity)',
      'users.yaml[1] "qa2": field "emailAddresses[0]" is already the email address of users[0] "qa" (emails compare case-insensitively): Clerk allows one user per email address',
    ]);
  });

  test("aliases must be valid and unclaimed", () => {
    expect(parse([ok("a", "a@example.com", { aliases: ["a", "Old Name"] })])).toEqual([
      'users[0] "a": field "aliases[0]" repeats the entry\'s own name',
      'users[0] "a": field "aliases[1]" must be a previous name of this entry (a valid name)',
    ]);
    expect(
      parse([
        ok("a", "a@example.com", { aliases: ["b"] }),
        ok("b", "b@example.com"),
        ok("c", "c@example.com", { aliases: ["old"] }),
        ok("d", "d@example.com", { aliases: ["old"] }),
      ]),
    ).toEqual([
      'users[0] "a": field "aliases[0]" is the name of users[1] "b"',
      'users[3] "d": field "aliases[0]" is also an alias of users[2] "c"',
    ]);
  });
});

describe("checkPasswordSecrets", () => {
  const entries = parseUsersConfig(
    [
      ok("a", "a@example.com", { passwordSecret: "aPassword" }),
      ok("b", "b@example.com", { passwordSecret: "bPassword" }),
      ok("c", "c@example.com", { passwordSecret: "other:cPassword" }),
      ok("d", "d@example.com", { passwordSecret: "dPassword" }),
      ok("e", "e@example.com", { passwordSecret: "ePassword", skipPasswordChecks: true }),
    ],
    { source: "users" },
  ).entries;
  const config: Record<string, { value: string; secret: boolean }> = {
    "proj:bPassword": { value: "long-enough-pw", secret: false },
    "other:cPassword": { value: "long-enough-pw", secret: true },
    "proj:dPassword": { value: "short", secret: true },
    "proj:ePassword": { value: "short", secret: true },
  };
  test("missing, not secret, too short; the value never appears", () => {
    const found = checkPasswordSecrets(entries, (key) => {
      const fullKey = key.includes(":") ? key : `proj:${key}`;
      const c = config[fullKey];
      return { fullKey, value: c?.value, secret: c?.secret ?? false };
    });
    expect(found.map((p) => `${p.entry}: ${p.field}: ${p.message}`)).toEqual([
      'users[0] "a": passwordSecret: names config key "proj:aPassword", which is not set: run `pulumi config set --secret aPassword <password>`',
      'users[1] "b": passwordSecret: names config key "proj:bPassword", which is not a secret: set it again with `pulumi config set --secret bPassword <password>`',
      'users[3] "d": passwordSecret: names config key "proj:dPassword", whose password is shorter than 8 characters (Clerk\'s minimum)',
    ]);
    expect(JSON.stringify(found)).not.toContain("long-enough-pw");
  });

  test("secretKeyFor", () => {
    expect(secretKeyFor("qa-admin")).toBe("qaAdminPassword");
    expect(secretKeyFor("svc.bot_1")).toBe("svcBot1Password");
  });
});

describe("readUsersFile", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "users-file-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string): string => {
    fs.writeFileSync(path.join(dir, name), text);
    return name;
  };

  test("a YAML list, a {users: [...]} mapping, JSON", () => {
    expect(readUsersFile(write("a.yaml", "- name: a\n  emailAddresses: [a@example.com]\n"), dir)).toEqual([
      { name: "a", emailAddresses: ["a@example.com"] },
    ]);
    expect(readUsersFile(write("b.yml", "users:\n  - name: b\n    username: b\n"), dir)).toEqual([
      { name: "b", username: "b" },
    ]);
    expect(readUsersFile(write("c.json", '[{"name": "c", "username": "c"}]'), dir)).toEqual([
      { name: "c", username: "c" },
    ]);
    expect(readUsersFile(write("empty.yaml", ""), dir)).toEqual([]);
  });

  test("problems are ConfigErrors naming usersFile", () => {
    expect(problems(() => readUsersFile("missing.yaml", dir))).toEqual([
      `usersFile: cannot read "missing.yaml" (${path.join(dir, "missing.yaml")}): no such file`,
    ]);
    expect(problems(() => readUsersFile(write("u.txt", "x"), dir))).toEqual([
      'usersFile: "u.txt" must be a .yaml, .yml or .json file',
    ]);
    expect(problems(() => readUsersFile(write("m.yaml", "people: []\n"), dir))).toEqual([
      'usersFile: "m.yaml" must hold a list of user entries, or a mapping with a "users" list and an "organizations" list (unexpected key: people)',
    ]);
    const bad = problems(() => readUsersFile(write("bad.yaml", "- name: a\n  name: b\n"), dir));
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatch(/^usersFile: "bad.yaml" is not valid YAML: /);
  });
});
