/**
 * Issue 9, "Done when" 1: one table of bad inputs, each declared as a `ClerkUser` in a program and run through
 * the real dynamic-provider host by the engine-shaped driver (program → ClerkUser constructor → Pulumi
 * serialization → host `check`). For every case:
 * - check fails with exactly the listed per-field failures (property path and reason, in order);
 * - Clerk receives 0 requests during the whole run;
 * - no secret of any case (passwords, TOTP secrets, backup codes, digests, private metadata values, a value
 *   given under a misspelled secret name, the Clerk secret key) appears in any failure, error, engine log line,
 *   engine event, the host's stdout or stderr, or the state.
 *
 * Issue scenarios covered here: 2 (misspelled args vanish: cases `typo-*`), 3 (non-JSON values are altered:
 * cases `not-json-*`) and 7 (no length bounds: cases `too-long-*` and `too-many-*`). The other scenarios are
 * in 9-echo-fault.test.ts (1) and test/program/9-scenarios.test.ts (4, 5, 6).
 */
import { LONGEST_OWNERSHIP } from "../../src/logic/checkJson";
import { ClerkUser } from "../../src";
import type { ClerkUserArgs } from "../../src/resource/ClerkUserArgs";
import { MARKER_KEY, markerFor } from "../../src/marker/managedByMarker";
import { PASSWORD_HASHERS } from "../../src/model/user";
import { CheckFailedError, type EngineEvent } from "../harness";
import { formatLeaks, scanForSecrets } from "../support/secretScan";
import { startStack, type Stack } from "./support";

interface Case {
  /** Resource name: `<kind>-<what>`. */
  name: string;
  /** Built fresh inside the program (cycles, class instances, Maps...). */
  args: () => Record<string, unknown>;
  /** Exactly the failures check reports for this resource, in order: [property, reason]. */
  failures: Array<[string, string]>;
  /** Secret values this case holds besides the shared ones of `secretArgs`. */
  secrets?: string[];
}

const PROJECT = "pulumi-clerk";
const STACK = "test";

/** Distinct secret values per case: secret inputs that are valid, beside the one bad input. */
function secretsOf(name: string) {
  return {
    password: `s9-pw-${name}-Qz7"\\x`,
    totpSecret: `S9TOTP${name.replace(/[^a-z0-9]/gi, "").toUpperCase()}QZ`,
    backupCodes: [`s9-bc1-${name}-k4`, `s9-bc2-${name}-m8`],
    apiToken: `s9-tok-${name}-Vw3`,
    digest: `$2a$10$s9digest.${name}.Xy5`,
  };
}
/** Every secret input a user can have, all valid: the case's bad input sits beside them. */
function secretArgs(name: string): Record<string, unknown> {
  const s = secretsOf(name);
  return { password: s.password, totpSecret: s.totpSecret, backupCodes: s.backupCodes };
}
const email = (name: string): string[] => [`${name}@example.com`];
/** Identifiers and every secret input: a case adds its one bad input to this. */
const base = (name: string): Record<string, unknown> => ({
  emailAddresses: email(name),
  ...secretArgs(name),
  privateMetadata: { apiToken: secretsOf(name).apiToken },
});

class Owner {
  constructor(readonly id: string) {}
}

const NOT_INPUT = (key: string, suggestion?: string): string =>
  `"${key}" is not a ClerkUser input${suggestion ? `; did you mean "${suggestion}"?` : ""}`;
const NO_IDENTIFIER = "a user needs at least one identifier: set emailAddresses, phoneNumbers, web3Wallets or username";
const NOT_JSON = (kind: string): string => `is ${kind}, not a JSON value`;
const NOT_FINITE = "must be a finite number: JSON has no NaN or Infinity";
const AT_MOST = (n: number, got: number): string => `must be at most ${n} characters (got ${got})`;
const ITEMS = (n: number, got: number): string => `must have at most ${n} items (got ${got})`;
const RFC3339 = "must be an RFC 3339 timestamp such as 2012-10-20T07:15:20.902Z";
/** Size of private metadata as Clerk stores it: the declared keys plus the provider's marker. */
const storedBytes = (name: string, metadata: Record<string, unknown>): number =>
  Buffer.byteLength(
    // check counts the marker at its longest (the ownership ids are not known before create).
    JSON.stringify({
      ...metadata,
      [MARKER_KEY]: markerFor({ project: PROJECT, stack: STACK, name }, LONGEST_OWNERSHIP),
    }),
    "utf8",
  );

const CASES: Case[] = [
  // ---- scenario 2: misspelled args, from JavaScript and from JSON, reach check ----
  {
    name: "typo-firstnmae",
    args: () => ({ ...base("typo-firstnmae"), firstNmae: "Ada" }),
    failures: [["firstNmae", NOT_INPUT("firstNmae", "firstName")]],
  },
  {
    name: "typo-passwrod",
    args: () => ({ emailAddresses: email("typo-passwrod"), passwrod: "s9-typo-passwrod-value-Jk2" }),
    failures: [["passwrod", NOT_INPUT("passwrod", "password")]],
    secrets: ["s9-typo-passwrod-value-Jk2"],
  },
  {
    name: "typo-publicmetdata",
    args: () => ({ ...base("typo-publicmetdata"), publicMetdata: { plan: "pro" } }),
    failures: [["publicMetdata", NOT_INPUT("publicMetdata", "publicMetadata")]],
  },
  {
    name: "typo-json-lastname",
    args: () =>
      JSON.parse(
        `{"emailAddresses":["typo-json-lastname@example.com"],"lastname":"Lovelace","password":${JSON.stringify(secretsOf("typo-json-lastname").password)}}`,
      ) as Record<string, unknown>,
    failures: [["lastname", NOT_INPUT("lastname", "lastName")]],
  },
  {
    name: "typo-json-privatemetdata",
    args: () =>
      JSON.parse(
        `{"emailAddresses":["typo-json-privatemetdata@example.com"],"privateMetdata":{"apiToken":"s9-typo-json-token-Hh6"}}`,
      ) as Record<string, unknown>,
    failures: [["privateMetdata", NOT_INPUT("privateMetdata", "privateMetadata")]],
    secrets: ["s9-typo-json-token-Hh6"],
  },
  {
    name: "typo-totpsecrets",
    args: () => ({ emailAddresses: email("typo-totpsecrets"), totpSecrets: "S9TYPOTOTPSECRETQZ" }),
    failures: [["totpSecrets", NOT_INPUT("totpSecrets", "totpSecret")]],
    secrets: ["S9TYPOTOTPSECRETQZ"],
  },
  {
    name: "typo-emailaddress",
    args: () => ({ ...secretArgs("typo-emailaddress"), emailAddress: email("typo-emailaddress") }),
    failures: [
      ["emailAddress", NOT_INPUT("emailAddress", "emailAddresses")],
      ["emailAddresses", NO_IDENTIFIER],
    ],
  },
  {
    name: "typo-skippasswordcheck",
    args: () => ({ ...base("typo-skippasswordcheck"), skipPasswordCheck: true }),
    failures: [["skipPasswordCheck", NOT_INPUT("skipPasswordCheck", "skipPasswordChecks")]],
  },
  {
    name: "typo-unknown-no-suggestion",
    args: () => ({ ...base("typo-unknown-no-suggestion"), favouriteColour: "teal" }),
    failures: [["favouriteColour", NOT_INPUT("favouriteColour")]],
  },

  // ---- scenario 3: values JSON cannot hold get a failure at their JSON path ----
  {
    name: "not-json-function",
    args: () => ({ ...base("not-json-function"), publicMetadata: { hooks: { onLogin: () => "welcome" } } }),
    failures: [["publicMetadata.hooks.onLogin", NOT_JSON("a function")]],
  },
  {
    name: "not-json-symbol",
    args: () => ({ ...base("not-json-symbol"), publicMetadata: { tier: Symbol("vip") } }),
    failures: [["publicMetadata.tier", NOT_JSON("a symbol")]],
  },
  {
    name: "not-json-bigint",
    args: () => ({ ...base("not-json-bigint"), publicMetadata: { plan: { seats: BigInt(10) } } }),
    failures: [["publicMetadata.plan.seats", NOT_JSON("a BigInt")]],
  },
  {
    name: "not-json-date",
    args: () => ({
      ...base("not-json-date"),
      publicMetadata: { plan: { name: "pro", renewsAt: new Date("2030-01-01T00:00:00Z") } },
    }),
    failures: [["publicMetadata.plan.renewsAt", NOT_JSON("a Date")]],
  },
  {
    name: "not-json-map",
    args: () => ({ ...base("not-json-map"), unsafeMetadata: { prefs: new Map([["theme", "dark"]]) } }),
    failures: [["unsafeMetadata.prefs", NOT_JSON("a Map")]],
  },
  {
    name: "not-json-set",
    args: () => ({ ...base("not-json-set"), publicMetadata: { roles: new Set(["admin"]) } }),
    failures: [["publicMetadata.roles", NOT_JSON("a Set")]],
  },
  {
    name: "not-json-class-instance",
    args: () => ({ ...base("not-json-class-instance"), publicMetadata: { owner: new Owner("o-1") } }),
    failures: [["publicMetadata.owner", NOT_JSON("a non-plain object")]],
  },
  {
    name: "not-json-undefined-in-list",
    args: () => ({ ...base("not-json-undefined-in-list"), publicMetadata: { list: [1, undefined] } }),
    failures: [["publicMetadata.list[1]", "is undefined, which JSON cannot hold: omit the key or use null"]],
  },
  {
    name: "not-json-nan",
    args: () => ({ ...base("not-json-nan"), publicMetadata: { score: NaN } }),
    failures: [["publicMetadata.score", NOT_FINITE]],
  },
  {
    name: "not-json-infinity",
    args: () => ({ ...base("not-json-infinity"), unsafeMetadata: { limits: [1, Infinity] } }),
    failures: [["unsafeMetadata.limits[1]", NOT_FINITE]],
  },
  {
    name: "not-json-private-negative-infinity",
    args: () => ({
      ...base("not-json-private-negative-infinity"),
      privateMetadata: { apiToken: secretsOf("not-json-private-negative-infinity").apiToken, floor: -Infinity },
    }),
    failures: [["privateMetadata.floor", NOT_FINITE]],
  },
  {
    name: "not-json-cycle",
    args: () => {
      const tree: { name: string; children: unknown[] } = { name: "root", children: [] };
      tree.children.push(tree);
      return { ...base("not-json-cycle"), publicMetadata: { tree } };
    },
    failures: [["publicMetadata.tree.children[0]", "is circular, which JSON cannot hold"]],
  },
  {
    name: "not-json-quoted-key",
    args: () => ({ ...base("not-json-quoted-key"), publicMetadata: { "renews at": new Date(0) } }),
    failures: [['publicMetadata["renews at"]', NOT_JSON("a Date")]],
  },
  {
    name: "not-json-whole-metadata",
    args: () => ({ ...base("not-json-whole-metadata"), publicMetadata: new Date(0) }),
    failures: [["publicMetadata", NOT_JSON("a Date")]],
  },
  {
    name: "not-json-bigint-name",
    args: () => ({ ...base("not-json-bigint-name"), firstName: BigInt(7) }),
    failures: [["firstName", "must be a string, got a BigInt"]],
  },
  {
    name: "not-json-undefined-email",
    args: () => ({ ...base("not-json-undefined-email"), emailAddresses: ["x1@example.com", undefined] }),
    failures: [["emailAddresses[1]", "must be a string, got undefined"]],
  },

  // ---- scenario 7: length bounds, checked before any request ----
  {
    name: "too-long-first-name-1mb",
    args: () => ({ ...base("too-long-first-name-1mb"), firstName: "x".repeat(1 << 20) }),
    failures: [["firstName", AT_MOST(256, 1 << 20)]],
  },
  {
    name: "too-long-last-name",
    args: () => ({ ...base("too-long-last-name"), lastName: "é".repeat(257) }),
    failures: [["lastName", AT_MOST(256, 257)]],
  },
  {
    name: "too-long-email",
    args: () => ({ ...base("too-long-email"), emailAddresses: [`${"a".repeat(10_000 - 12)}@example.com`] }),
    failures: [["emailAddresses[0]", AT_MOST(254, 10_000)]],
  },
  {
    name: "too-long-username",
    args: () => ({ ...base("too-long-username"), username: "u".repeat(10_000) }),
    failures: [["username", AT_MOST(64, 10_000)]],
  },
  {
    name: "too-long-external-id",
    args: () => ({ ...base("too-long-external-id"), externalId: "e".repeat(257) }),
    failures: [["externalId", AT_MOST(256, 257)]],
  },
  {
    name: "too-long-locale",
    args: () => ({ ...base("too-long-locale"), locale: "l".repeat(36) }),
    failures: [["locale", AT_MOST(35, 36)]],
  },
  {
    name: "too-long-phone",
    args: () => ({ ...base("too-long-phone"), phoneNumbers: [`+1${"5".repeat(63)}`] }),
    failures: [["phoneNumbers[0]", AT_MOST(64, 65)]],
  },
  {
    name: "too-long-web3",
    args: () => ({ ...base("too-long-web3"), web3Wallets: [`0x${"a".repeat(63)}`] }),
    failures: [["web3Wallets[0]", AT_MOST(64, 65)]],
  },
  {
    name: "too-long-password",
    args: () => ({ ...base("too-long-password"), password: "s9-long-password-".padEnd(1025, "P") }),
    failures: [["password", AT_MOST(1024, 1025)]],
    secrets: ["s9-long-password-".padEnd(1025, "P")],
  },
  {
    name: "too-long-totp-secret",
    args: () => ({ ...base("too-long-totp-secret"), totpSecret: "S9LONGTOTP".padEnd(1025, "T") }),
    failures: [["totpSecret", AT_MOST(1024, 1025)]],
    secrets: ["S9LONGTOTP".padEnd(1025, "T")],
  },
  {
    name: "too-long-backup-code",
    args: () => ({ ...base("too-long-backup-code"), backupCodes: ["s9-bc-ok-1", "s9-bc-long-".padEnd(1025, "B")] }),
    failures: [["backupCodes[1]", AT_MOST(1024, 1025)]],
    secrets: ["s9-bc-ok-1", "s9-bc-long-".padEnd(1025, "B")],
  },
  {
    name: "too-long-password-digest",
    args: () => ({
      emailAddresses: email("too-long-password-digest"),
      passwordDigest: "$2a$10$s9long".padEnd(1025, "D"),
      passwordHasher: "bcrypt",
    }),
    failures: [["passwordDigest", AT_MOST(1024, 1025)]],
    secrets: ["$2a$10$s9long".padEnd(1025, "D")],
  },
  {
    name: "too-many-backup-codes",
    args: () => ({
      ...base("too-many-backup-codes"),
      backupCodes: Array.from({ length: 101 }, (_, i) => `s9-many-bc-${i}-Rt`),
    }),
    failures: [["backupCodes", ITEMS(100, 101)]],
    secrets: Array.from({ length: 101 }, (_, i) => `s9-many-bc-${i}-Rt`),
  },
  {
    name: "too-many-emails",
    args: () => ({
      ...base("too-many-emails"),
      emailAddresses: Array.from({ length: 101 }, (_, i) => `many${i}@example.com`),
    }),
    failures: [["emailAddresses", ITEMS(100, 101)]],
  },
  {
    name: "too-large-public-metadata",
    args: () => ({ ...base("too-large-public-metadata"), publicMetadata: { blob: "x".repeat(9000) } }),
    failures: [["publicMetadata", "is 9011 bytes as JSON; Clerk allows at most 8192 bytes per metadata field"]],
  },
  {
    name: "too-large-private-metadata",
    args: () => ({
      ...base("too-large-private-metadata"),
      privateMetadata: { apiToken: "s9-large-token-Pp1", blob: "y".repeat(8100) },
    }),
    failures: [
      [
        "privateMetadata",
        `is ${storedBytes("too-large-private-metadata", { apiToken: "s9-large-token-Pp1", blob: "y".repeat(8100) })} bytes as JSON (with the provider's "${MARKER_KEY}" marker); Clerk allows at most 8192 bytes per metadata field`,
      ],
    ],
    secrets: ["s9-large-token-Pp1"],
  },

  // ---- formats and types ----
  {
    name: "format-email",
    args: () => ({ ...base("format-email"), emailAddresses: ["not-an-email"] }),
    failures: [["emailAddresses[0]", "is not a valid email address"]],
  },
  {
    name: "format-phone",
    args: () => ({ ...base("format-phone"), phoneNumbers: ["555-0100"] }),
    failures: [["phoneNumbers[0]", "is not an E.164 phone number (+ then up to 15 digits, e.g. +15555550100)"]],
  },
  {
    name: "format-web3",
    args: () => ({ ...base("format-web3"), web3Wallets: ["0x123"] }),
    failures: [["web3Wallets[0]", "is not a web3 wallet address (0x then 40 hex digits)"]],
  },
  {
    name: "format-username-whitespace",
    args: () => ({ ...base("format-username-whitespace"), username: "ada lovelace" }),
    failures: [["username", "must not contain whitespace"]],
  },
  {
    name: "format-username-empty",
    args: () => ({ ...base("format-username-empty"), username: "" }),
    failures: [["username", "must not be empty; omit it to have no username"]],
  },
  {
    name: "format-created-at",
    args: () => ({ ...base("format-created-at"), createdAt: "yesterday" }),
    failures: [["createdAt", RFC3339]],
  },
  {
    name: "format-legal-accepted-at",
    args: () => ({ ...base("format-legal-accepted-at"), legalAcceptedAt: "2024-13-01T00:00:00Z" }),
    failures: [["legalAcceptedAt", RFC3339]],
  },
  {
    name: "format-password-hasher",
    args: () => ({
      emailAddresses: email("format-password-hasher"),
      passwordDigest: secretsOf("format-password-hasher").digest,
      passwordHasher: "rot13",
    }),
    failures: [["passwordHasher", `is not a hasher Clerk supports (one of: ${PASSWORD_HASHERS.join(", ")})`]],
    secrets: [secretsOf("format-password-hasher").digest],
  },
  {
    name: "format-organizations-limit-negative",
    args: () => ({ ...base("format-organizations-limit-negative"), createOrganizationsLimit: -1 }),
    failures: [
      ["createOrganizationsLimit", "must be a non-negative integer (0 means unlimited), got a negative number"],
    ],
  },
  {
    name: "format-organizations-limit-fraction",
    args: () => ({ ...base("format-organizations-limit-fraction"), createOrganizationsLimit: 1.5 }),
    failures: [["createOrganizationsLimit", "must be a non-negative integer (0 means unlimited), got a fraction"]],
  },
  {
    name: "type-banned-string",
    args: () => ({ ...base("type-banned-string"), banned: "yes" }),
    failures: [["banned", "must be a boolean, got a string"]],
  },
  {
    name: "type-first-name-number",
    args: () => ({ ...base("type-first-name-number"), firstName: 42 }),
    failures: [["firstName", "must be a string, got a number"]],
  },
  {
    name: "type-metadata-list",
    args: () => ({ ...base("type-metadata-list"), publicMetadata: ["not", "an", "object"] }),
    failures: [["publicMetadata", "must be a JSON object ({...}), got a list"]],
  },
  {
    name: "type-emails-not-a-list",
    args: () => ({ ...base("type-emails-not-a-list"), emailAddresses: "type-emails-not-a-list@example.com" }),
    failures: [["emailAddresses", "must be a list of strings, got a string"]],
  },
  {
    name: "password-too-short",
    args: () => ({ ...base("password-too-short"), password: "Sh0rt-7" }),
    failures: [["password", "must be at least 8 characters (Clerk's minimum) unless skipPasswordChecks is true"]],
    secrets: ["Sh0rt-7"],
  },
  {
    name: "reserved-marker-key",
    args: () => ({
      ...base("reserved-marker-key"),
      privateMetadata: { apiToken: secretsOf("reserved-marker-key").apiToken, [MARKER_KEY]: { note: "s9-mine-Zz" } },
    }),
    secrets: ["s9-mine-Zz"],
    failures: [
      [
        `privateMetadata.${MARKER_KEY}`,
        `"${MARKER_KEY}" is reserved: the provider stores its managed-by marker under it`,
      ],
    ],
  },
  {
    name: "duplicate-emails",
    args: () => ({ ...base("duplicate-emails"), emailAddresses: ["dup9@example.com", "DUP9@Example.com"] }),
    failures: [["emailAddresses[1]", "duplicates emailAddresses[0] (compared case-insensitively)"]],
  },
  {
    name: "duplicate-phones",
    args: () => ({ ...base("duplicate-phones"), phoneNumbers: ["+15555550100", "+15555550100"] }),
    failures: [["phoneNumbers[1]", "duplicates phoneNumbers[0]"]],
  },

  // ---- conflicts ----
  {
    name: "conflict-password-and-digest",
    args: () => ({
      ...base("conflict-password-and-digest"),
      passwordDigest: secretsOf("conflict-password-and-digest").digest,
      passwordHasher: "bcrypt",
    }),
    failures: [["passwordDigest", "conflicts with password: set either a plaintext password or a digest, not both"]],
  },
  {
    name: "conflict-generate-and-password",
    args: () => ({ ...base("conflict-generate-and-password"), generatePassword: true }),
    failures: [["generatePassword", "conflicts with password: generate one or set one, not both"]],
  },
  {
    name: "conflict-generate-and-digest",
    args: () => ({
      emailAddresses: email("conflict-generate-and-digest"),
      generatePassword: true,
      passwordDigest: secretsOf("conflict-generate-and-digest").digest,
      passwordHasher: "bcrypt",
    }),
    failures: [["generatePassword", "conflicts with passwordDigest: generate a password or import a digest, not both"]],
  },
  {
    name: "conflict-digest-without-hasher",
    args: () => ({
      emailAddresses: email("conflict-digest-without-hasher"),
      passwordDigest: secretsOf("conflict-digest-without-hasher").digest,
    }),
    failures: [["passwordHasher", "is required when passwordDigest is set: it names the algorithm of the digest"]],
  },
  {
    name: "conflict-hasher-without-digest",
    args: () => ({ ...base("conflict-hasher-without-digest"), passwordHasher: "bcrypt" }),
    failures: [
      ["passwordHasher", "is only meaningful with passwordDigest; set passwordDigest or remove passwordHasher"],
    ],
  },
  {
    name: "no-identifier",
    args: () => ({ ...secretArgs("no-identifier"), firstName: "Nobody" }),
    failures: [["emailAddresses", NO_IDENTIFIER]],
  },

  // ---- several problems in one resource: all reported, in check's order ----
  {
    name: "many-problems-at-once",
    args: () => ({
      ...secretArgs("many-problems-at-once"),
      emailAddresses: ["bad-email", "many-problems-at-once@example.com"],
      firstNmae: "Ada",
      username: "u".repeat(65),
      publicMetadata: { when: new Date(0), n: NaN },
      passwordHasher: "bcrypt",
    }),
    failures: [
      ["firstNmae", NOT_INPUT("firstNmae", "firstName")],
      ["emailAddresses[0]", "is not a valid email address"],
      ["username", AT_MOST(64, 65)],
      // Keys in key order: Pulumi's wire form (a protobuf Struct) sorts them.
      ["publicMetadata.n", NOT_FINITE],
      ["publicMetadata.when", NOT_JSON("a Date")],
      ["passwordHasher", "is only meaningful with passwordDigest; set passwordDigest or remove passwordHasher"],
    ],
  },
];

/** Every secret of every case, labelled by case, plus the Clerk secret key. */
function allSecrets(key: string): Record<string, string[]> {
  const out: Record<string, string[]> = { clerkSecretKey: [key] };
  for (const c of CASES) {
    const s = secretsOf(c.name);
    out[c.name] = [s.password, s.totpSecret, ...s.backupCodes, s.apiToken, s.digest, ...(c.secrets ?? [])];
  }
  return out;
}

let s: Stack | undefined;
afterEach(async () => {
  await s?.[Symbol.asyncDispose]();
  s = undefined;
});

interface CheckRun {
  error: CheckFailedError;
  /** Failures by resource name, as [property, reason], in the order check reported them. */
  byName: Record<string, Array<[string, string]>>;
  logs: string[];
  events: EngineEvent[];
}

/** Starts a stack, runs `up` on the program, and expects it to fail in check. */
async function upFailingCheck(program: () => void, parallel = 8): Promise<CheckRun> {
  const logs: string[] = [];
  const events: EngineEvent[] = [];
  s = await startStack({
    stack: STACK,
    parallel,
    engine: { log: (m) => logs.push(m), onEvent: (e) => events.push(e) },
  });
  const error = await s.engine.up(program).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CheckFailedError);
  const byName: CheckRun["byName"] = {};
  for (const f of (error as CheckFailedError).failures) (byName[f.name] ??= []).push([f.property, f.reason]);
  return { error: error as CheckFailedError, byName, logs, events };
}

/** Clerk saw nothing, holds nothing, and state is empty. */
function expectNothingReachedClerk(stack: Stack): void {
  expect(stack.clerk.control.requests()).toEqual([]);
  expect(stack.clerk.control.users()).toEqual([]);
  expect(stack.engine.state()).toEqual([]);
}

/** Everything the run produced, for the secret scan. */
function outputsOf(stack: Stack, run: CheckRun): Record<string, unknown> {
  return {
    failures: run.error.failures,
    errorMessage: run.error.message,
    errorStack: run.error.stack ?? "",
    engineLog: run.logs,
    engineEvents: run.events,
    hostStdout: stack.host.stdout(),
    hostStderr: stack.host.stderr(),
    state: stack.engine.toJSON(),
  };
}

it(`${CASES.length} bad inputs through the provider host: exact per-field failures, 0 Clerk requests, no secret anywhere`, async () => {
  expect(CASES.length).toBeGreaterThanOrEqual(40);
  expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);

  const run = await upFailingCheck(() => {
    for (const c of CASES) new ClerkUser(c.name, c.args() as ClerkUserArgs);
  });

  // Each case: exactly its failures, under its own resource.
  expect(run.byName).toEqual(Object.fromEntries(CASES.map((c) => [c.name, c.failures])));
  for (const f of run.error.failures)
    expect(f.urn).toBe(`urn:pulumi:${STACK}::${PROJECT}::pulumi-nodejs:dynamic/clerk:User::${f.name}`);

  expectNothingReachedClerk(s!);
  const leaks = scanForSecrets(allSecrets(s!.clerk.secretKey), outputsOf(s!, run));
  if (leaks.length > 0) throw new Error(formatLeaks(leaks));
});

it("a value JSON cannot hold inside privateMetadata is named like anywhere else, and other resources' failures keep their words", async () => {
  const TOKENS = ["s9-priv-fn-token-Aa1", "s9-priv-date-token-Bb2"];
  const run = await upFailingCheck(() => {
    new ClerkUser("private-function", {
      emailAddresses: email("private-function"),
      privateMetadata: { apiToken: TOKENS[0], refresh: function refresh() {} } as never,
    });
    new ClerkUser("private-date", {
      emailAddresses: email("private-date"),
      privateMetadata: { apiToken: TOKENS[1], rotatedAt: new Date(0) } as never,
    });
    new ClerkUser("public-function", {
      emailAddresses: email("public-function"),
      publicMetadata: { hooks: { onLogin: () => "welcome" } } as never,
    });
  }, 1); // one check at a time, in declaration order: the public one runs after the private ones

  expect(run.byName).toEqual({
    "private-function": [["privateMetadata.refresh", NOT_JSON("a function")]],
    "private-date": [["privateMetadata.rotatedAt", NOT_JSON("a Date")]],
    "public-function": [["publicMetadata.hooks.onLogin", NOT_JSON("a function")]],
  });
  expectNothingReachedClerk(s!);
  const leaks = scanForSecrets({ tokens: TOKENS, clerkSecretKey: [s!.clerk.secretKey] }, outputsOf(s!, run));
  if (leaks.length > 0) throw new Error(formatLeaks(leaks));
});
