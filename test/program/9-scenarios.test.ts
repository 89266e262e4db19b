/**
 * Issue 9's seven scenarios, each with its exact outcome. Where each one is proved:
 *
 * 1. Secrets in error messages (a 422 or a 500 until the retry budget runs out, repeating submitted values):
 *    test/host/9-echo-fault.test.ts (create 422 from Clerk and injected, create/update/delete 500s until the
 *    budget is spent, a partial create, clerk-sweep), with exact messages.
 * 2. Misspelled arguments vanish: test/host/9-bad-inputs.test.ts, cases `typo-*` (JavaScript- and JSON-built
 *    args: `firstNmae`, `passwrod`, `publicMetdata`, ... fail check with "did you mean"); for the root
 *    program, test/program/rootProgram.test.ts ("a typo") and the all-problems test below.
 * 3. Values that are not JSON are altered: test/host/9-bad-inputs.test.ts, cases `not-json-*` (the issue's
 *    function, Date, BigInt and `[1, undefined]`, and symbol, Map, Set, class instance, NaN, Infinity, cycle).
 * 4. The root program coerces YAML numbers: here ("scenario 4"), through the parser and the root program.
 * 5. usersFile reads anything, and quotes it: here ("scenario 5"), through the root program.
 * 6. Not every problem is reported at once: here ("scenario 6"), through the root program.
 * 7. No length bounds: test/host/9-bad-inputs.test.ts, cases `too-long-*`/`too-many-*` (a 1 MB firstName,
 *    10,000-character email and username); for the root program, here ("scenario 7").
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as YAML from "yaml";
import { ConfigError } from "../../src/program/ConfigError";
import { parseUsersConfig } from "../../src/program/parseUsersConfig";
import { usersProgram } from "../../src/program/usersProgram";
import { capture, DYNAMIC_TYPE_PREFIX, type ConfigValue, type Registration } from "../harness";
import { formatLeaks, scanForSecrets } from "../support/secretScan";
import rootProgram = require("../../program");

const PROJECT = "pulumi-clerk";
const REPO = path.resolve(__dirname, "..", "..");
const FIXTURES = "test/program/fixtures"; // relative to the project directory, as usersFile is

const NOT_TEXT = (got: string): string =>
  `must be a string, got ${got}: YAML reads unquoted values such as 000123, 0x1F, +15555550100, 1e3 or yes as ` +
  "numbers or booleans (and ~ as null), so put the value in quotes";

const usersConfig = (users: unknown, extra: Record<string, ConfigValue> = {}): Record<string, ConfigValue> => ({
  [`${PROJECT}:users`]: JSON.stringify(users),
  ...extra,
});

interface Run {
  /** The program's error (a ConfigError when the config is refused), or undefined. */
  error: unknown;
  /** The ClerkUser registrations made, by name. */
  users: Registration[];
}

/** Runs a root program under Pulumi's mock monitor, recording every ClerkUser it registers. */
async function run(program: () => unknown, config: Record<string, ConfigValue>): Promise<Run> {
  const registrations: Registration[] = [];
  let error: unknown;
  try {
    await capture(program, {
      project: PROJECT,
      stack: "test",
      config,
      resolve: (reg) => {
        registrations.push(reg);
        return { id: `${reg.name}-id`, state: reg.wireInputs };
      },
    });
  } catch (e) {
    error = e;
  }
  const users = registrations
    .filter((r) => r.type.startsWith(DYNAMIC_TYPE_PREFIX))
    .sort((a, b) => a.name.localeCompare(b.name));
  return { error, users };
}

/** The problem lines of a refused config; fails if the run did not throw a ConfigError or registered a user. */
function refusal(r: Run): string[] {
  expect(r.error).toBeInstanceOf(ConfigError);
  expect(r.users).toEqual([]);
  const e = r.error as ConfigError;
  const n = e.problems.length;
  expect(e.message).toBe(
    `the users config has ${n} problem${n === 1 ? "" : "s"}; nothing was created or changed:\n` +
      e
        .lines()
        .map((l) => `  - ${l}`)
        .join("\n"),
  );
  return e.lines();
}

function expectNoLeak(secrets: Record<string, string[]>, sources: Record<string, unknown>): void {
  const leaks = scanForSecrets(secrets, sources);
  if (leaks.length > 0) throw new Error(formatLeaks(leaks));
}

describe("scenario 4: YAML numbers in text fields are refused, never turned into other text", () => {
  const YAML_NUMBERS = fs.readFileSync(path.join(REPO, FIXTURES, "9-yaml-numbers.yaml"), "utf8");
  const EXPECTED = (source: string): string[] => [
    `${source}[0] "leading-zeros": field "externalId" ${NOT_TEXT("a number")}`,
    `${source}[1] "beyond-double": field "externalId" ${NOT_TEXT("a number")}`,
    `${source}[2] "hex": field "externalId" ${NOT_TEXT("a number")}`,
    `${source}[3] "bond": field "username" ${NOT_TEXT("a number")}`,
  ];

  test("the parser: 000123, 12345678901234567890, 0x1F and 007 as YAML reads them", () => {
    const raw = (YAML.parse(YAML_NUMBERS) as { users: Array<Record<string, unknown>> }).users;
    // What YAML makes of them: the text is gone, so nothing could turn it back.
    expect(raw.map((u) => u["externalId"] ?? u["username"])).toEqual([123, 12345678901234567000, 31, 7]);
    let lines: string[] = [];
    try {
      parseUsersConfig(raw, { source: "users" });
    } catch (e) {
      lines = (e as ConfigError).lines();
    }
    expect(lines).toEqual(EXPECTED("users"));
  });

  test("the root program, from a users file", async () => {
    const file = `${FIXTURES}/9-yaml-numbers.yaml`;
    expect(process.cwd()).toBe(REPO);
    const r = await run(rootProgram, { [`${PROJECT}:usersFile`]: file });
    expect(refusal(r)).toEqual(EXPECTED(file));
  });

  test("the root program, from stack config (the CLI hands YAML numbers over as JSON numbers)", async () => {
    const r = await run(
      rootProgram,
      usersConfig([
        { name: "leading-zeros", emailAddresses: ["leading-zeros@example.com"], externalId: 123 },
        { name: "beyond-double", emailAddresses: ["beyond-double@example.com"], externalId: 12345678901234567000 },
        { name: "hex", emailAddresses: ["hex@example.com"], externalId: 31 },
        { name: "bond", username: 7 },
      ]),
    );
    expect(refusal(r)).toEqual(EXPECTED("users"));
  });

  test("booleans and null in text fields too; the value is never echoed", async () => {
    const r = await run(
      rootProgram,
      usersConfig([
        {
          name: "odd-scalars",
          emailAddresses: ["odd@example.com"],
          externalId: 4417,
          firstName: true,
          lastName: null,
          phoneNumbers: [15555550199],
        },
      ]),
    );
    const lines = refusal(r);
    expect(lines).toEqual([
      `users[0] "odd-scalars": field "externalId" ${NOT_TEXT("a number")}`,
      `users[0] "odd-scalars": field "firstName" ${NOT_TEXT("a boolean")}`,
      `users[0] "odd-scalars": field "lastName" ${NOT_TEXT("null")}`,
      `users[0] "odd-scalars": field "phoneNumbers[0]" ${NOT_TEXT("a number")}`,
    ]);
    expect(lines.join("\n")).not.toMatch(/4417|15555550199/);
  });

  test("quoted, the same values are text and reach the ClerkUser exactly as written", async () => {
    const r = await run(rootProgram, { [`${PROJECT}:usersFile`]: `${FIXTURES}/9-yaml-quoted.yaml` });
    expect(r.error).toBeUndefined();
    expect(r.users.map((u) => [u.name, u.inputs["externalId"] ?? u.inputs["username"]])).toEqual([
      ["beyond-double", "12345678901234567890"],
      ["bond", "007"],
      ["hex", "0x1F"],
      ["leading-zeros", "000123"],
    ]);
  });
});

describe("scenario 5: usersFile is confined to the project directory and never quoted", () => {
  /**
   *   <tmp>/outside/secret.yaml   a valid users file full of TOKEN values: never read, never printed
   *   <tmp>/project/              the project directory
   *   <tmp>/project/evil.yaml  -> ../outside/secret.yaml
   *   <tmp>/project/outdir     -> <tmp>/outside
   */
  const TOKENS = ["TOKEN-ghp_s9outside1", "TOKEN-ghp_s9outside2", "TOKEN-ghp_s9inside1", "TOKEN-ghp_s9inside2"];
  const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "issue9-users-file-")));
  const project = path.join(tmp, "project");
  const secretFile = path.join(tmp, "outside", "secret.yaml");
  beforeAll(() => {
    fs.mkdirSync(path.join(tmp, "outside"));
    fs.mkdirSync(project);
    fs.writeFileSync(
      secretFile,
      `- name: leak\n  emailAddresses: [${TOKENS[0]}@example.com]\n  externalId: ${TOKENS[1]}\n`,
    );
    fs.symlinkSync("../outside/secret.yaml", path.join(project, "evil.yaml"));
    fs.symlinkSync(path.join(tmp, "outside"), path.join(project, "outdir"));
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const inProject = (file: string) => run(() => usersProgram({ baseDir: project }), { [`${PROJECT}:usersFile`]: file });

  test.each([
    ["an absolute path", () => secretFile, "is an absolute path; give a path relative to the project directory"],
    ["a ../ escape", () => "../outside/secret.yaml", "is outside the project directory"],
    ["a symlink leading outside", () => "evil.yaml", "leads outside the project directory (through a symbolic link)"],
    [
      "a symlinked directory leading outside",
      () => "outdir/secret.yaml",
      "leads outside the project directory (through a symbolic link)",
    ],
  ])("%s is refused, and nothing of the file appears", async (_what, file, why) => {
    const r = await inProject(file());
    expect(refusal(r)).toEqual([`usersFile: ${JSON.stringify(file())} ${why}`]);
    expectNoLeak({ tokens: TOKENS }, { error: r.error });
  });

  test("the root program itself (project = its working directory) refuses an absolute path", async () => {
    expect(process.cwd()).toBe(REPO);
    const r = await run(rootProgram, { [`${PROJECT}:usersFile`]: secretFile });
    expect(refusal(r)).toEqual([
      `usersFile: ${JSON.stringify(secretFile)} is an absolute path; give a path relative to the project directory`,
    ]);
  });

  test("a file inside the project: its values never appear in what is wrong with them", async () => {
    fs.writeFileSync(
      path.join(project, "users.yaml"),
      [
        "- name: leak",
        `  emailAddresses: [${TOKENS[2]}]`,
        `  username: ${TOKENS[3]} with spaces`,
        `  passwordSecret: ${TOKENS[2]} not a key`,
        `  aliases: [${TOKENS[3]}]`,
        `- name: ${TOKENS[2]}`,
        "  username: fine",
        "",
      ].join("\n"),
    );
    const r = await inProject("users.yaml");
    expect(refusal(r)).toEqual([
      'users.yaml[0] "leak": field "passwordSecret" must be the name of a secret config key such as "qaAdminPassword" (set with `pulumi config set --secret qaAdminPassword <password>`)',
      'users.yaml[0] "leak": field "aliases[0]" must be a previous name of this entry (a valid name)',
      'users.yaml[0] "leak": field "emailAddresses[0]" is not a valid email address',
      'users.yaml[0] "leak": field "username" must not contain whitespace',
      'users.yaml[1]: field "name" is not a valid name: use lowercase letters, digits, "-", "_" and "." (starting with a letter or digit, at most 100 characters)',
    ]);
    expectNoLeak({ tokens: TOKENS }, { error: r.error });
  });

  test("a file inside the project: a key that is not a field name is not quoted either", async () => {
    // A token pasted where a key goes. The file-level check names only keys that look like names
    // (usersFile.ts, NAME_LIKE); an entry's unknown keys must not be quoted when they look like data.
    const token = "ghp_16C7e42F292c6912E7710c838347Ae178B4a";
    fs.writeFileSync(path.join(project, "keys.yaml"), `- name: keyed\n  username: keyed\n  ${token}: x\n`);
    const r = await inProject("keys.yaml");
    const lines = refusal(r);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^keys\.yaml\[0\] "keyed": /);
    expectNoLeak({ tokens: [token] }, { error: r.error });
  });
});

describe("scenario 6: every problem of every entry in one run, uniqueness included", () => {
  test("an entry with an error still counts for uniqueness; config, file and field problems all at once", async () => {
    const r = await run(
      rootProgram,
      usersConfig(
        [
          { name: "ann", emailAddresses: ["dup@example.com"], firstName: 42 },
          { name: "bob", emailAddresses: ["DUP@example.com"], username: "bob smith", emailAdresses: ["x@example.com"] },
          { name: "bob", username: "bob-2" },
          { name: "cid", emailAddresses: ["cid@example"], externalId: "ext-1" },
          { name: "dee", emailAddresses: ["dee@example.com"], externalId: "ext-1", password: "s9-plain-Pw-77" },
          { name: "e2e-alice", emailAddresses: ["ann.other@example.com"] },
        ],
        { [`${PROJECT}:usersFile`]: "examples/config/users.yaml" },
      ),
    );
    expect(refusal(r)).toEqual([
      'users[0] "ann": field "firstName" ' + NOT_TEXT("a number"),
      'users[1] "bob": field "emailAdresses" is not a known field (did you mean "emailAddresses"?)',
      'users[1] "bob": field "username" must not contain whitespace',
      'users[3] "cid": field "emailAddresses[0]" is not a valid email address',
      'users[4] "dee": field "password" must not be given in plain config (it would be stored unencrypted): store the password with `pulumi config set --secret deePassword <password>` and set passwordSecret: deePassword, or set generatePassword: true',
      'users[2] "bob": field "name" duplicates users[1] "bob": each entry needs its own name (it is the resource\'s identity)',
      'examples/config/users.yaml[0] "e2e-alice": field "name" duplicates users[5] "e2e-alice": each entry needs its own name (it is the resource\'s identity)',
      'users[1] "bob": field "emailAddresses[0]" is already the email address of users[0] "ann" (emails compare case-insensitively): Clerk allows one user per email address',
      'users[4] "dee": field "externalId" is already the externalId of users[3] "cid": it must be unique in the Clerk instance',
    ]);
    expectNoLeak({ password: ["s9-plain-Pw-77"] }, { error: r.error });
  });

  test("a missing passwordSecret key is reported in the same run as the other entries' problems", async () => {
    const r = await run(
      rootProgram,
      usersConfig([
        { name: "ann", emailAddresses: ["not-an-email"] },
        { name: "bob", emailAddresses: ["bob@example.com"], passwordSecret: "bobPassword" },
      ]),
    );
    expect(refusal(r)).toEqual([
      'users[0] "ann": field "emailAddresses[0]" is not a valid email address',
      'users[1] "bob": field "passwordSecret" names config key "pulumi-clerk:bobPassword", which is not set: run `pulumi config set --secret bobPassword <password>`',
    ]);
  });
});

describe("scenario 7: length bounds in the root program", () => {
  test("a 1 MB firstName and 10,000-character email and username are refused by length, not quoted", async () => {
    const long = { firstName: "f".repeat(1 << 20), email: `${"e".repeat(10_000 - 12)}@example.com` };
    const r = await run(
      rootProgram,
      usersConfig([
        { name: "huge", emailAddresses: [long.email], firstName: long.firstName, username: "u".repeat(10_000) },
      ]),
    );
    const lines = refusal(r);
    expect(lines).toEqual([
      'users[0] "huge": field "emailAddresses[0]" must be at most 254 characters (got 10000)',
      'users[0] "huge": field "username" must be at most 64 characters (got 10000)',
      'users[0] "huge": field "firstName" must be at most 256 characters (got 1048576)',
    ]);
    expect(lines.join("\n")).not.toMatch(/fff|eee|uuu/);
  });
});
