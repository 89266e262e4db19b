/**
 * Validation of the root program's `users` config (and of the optional `usersFile`): pure, no Pulumi, no I/O.
 * Every problem is collected, each naming its entry and field, so a bad config is fixed in one pass and the
 * program can refuse it before it constructs a single resource.
 */
import { checkInputs } from "../logic/checkInputs";
import { identifierKey, type IdentifierKind } from "../logic/identifiers";
import { isPlainObject } from "../logic/isPlainObject";
import { childPath } from "../logic/propertyPath";
import { suggestName } from "../logic/suggest";
import type { JsonValue } from "../model/json";
import { ConfigError, type ConfigProblem } from "./ConfigError";

/** A resource name: the entry's stable key. Lowercase so names never differ only by case. */
export const ENTRY_NAME_PATTERN = /^[a-z0-9][a-z0-9\-_.]*$/;
export const ENTRY_NAME_MAX_LENGTH = 100;
/** A Pulumi config key, optionally namespaced (`qaAdminPassword`, `myapp:qaAdminPassword`). */
export const CONFIG_KEY_PATTERN = /^(?:[A-Za-z0-9_.\-]+:)?[A-Za-z0-9_.\-]+$/;

/** ClerkUser args an entry may set: everything that is safe to keep in plain (non-secret) config. */
export const ENTRY_ARG_FIELDS = [
  "emailAddresses",
  "phoneNumbers",
  "web3Wallets",
  "username",
  "firstName",
  "lastName",
  "externalId",
  "locale",
  "publicMetadata",
  "privateMetadata",
  "unsafeMetadata",
  "banned",
  "locked",
  "createdAt",
  "legalAcceptedAt",
  "skipLegalChecks",
  "skipPasswordRequirement",
  "skipPasswordChecks",
  "signOutOfOtherSessions",
  "deleteSelfEnabled",
  "createOrganizationEnabled",
  "createOrganizationsLimit",
  "bypassClientTrust",
  "generatePassword",
  "adopt",
] as const;
export type EntryArgField = (typeof ENTRY_ARG_FIELDS)[number];

/** Fields of an entry that are not ClerkUser args. */
export const ENTRY_OWN_FIELDS = ["name", "passwordSecret", "protect", "retainOnDelete", "aliases"] as const;

/** Every field an entry may have. */
export const ENTRY_FIELDS: readonly string[] = [...ENTRY_OWN_FIELDS, ...ENTRY_ARG_FIELDS];

/** Args that hold secrets: never accepted in plain config. */
const SECRET_FIELDS = ["password", "passwordDigest", "totpSecret", "backupCodes"] as const;

const STRING_FIELDS = ["username", "firstName", "lastName", "externalId", "locale", "createdAt", "legalAcceptedAt"];
const BOOLEAN_FIELDS = [
  "banned",
  "locked",
  "skipLegalChecks",
  "skipPasswordRequirement",
  "skipPasswordChecks",
  "signOutOfOtherSessions",
  "deleteSelfEnabled",
  "createOrganizationEnabled",
  "bypassClientTrust",
  "generatePassword",
  "adopt",
  "protect",
  "retainOnDelete",
];

/** One validated entry: what the program needs to declare one `ClerkUser`. */
export interface UserEntry {
  /** The stable key; becomes the resource name. */
  name: string;
  /** Where it came from, for messages: `users[2] "qa-admin"`. */
  label: string;
  /** ClerkUser args (plain JSON; secrets are never here). */
  args: Partial<Record<EntryArgField, JsonValue>>;
  /** Config key holding the password (read with `requireSecret`). */
  passwordSecret?: string;
  protect: boolean;
  retainOnDelete: boolean;
  /** Previous names of this entry: the resource keeps its identity when the entry is renamed. */
  aliases: string[];
}

export interface UsersConfig {
  entries: UserEntry[];
}

/** A list of raw entries and where it came from (`users` for stack config, the file path for `usersFile`). */
export interface UsersSource {
  raw: unknown;
  source: string;
}

/**
 * Validates one raw `users` list. Throws `ConfigError` listing every problem; otherwise returns the entries
 * in their given order. `source` labels the entries in messages (`users` → `users[2] "qa-admin"`).
 */
export function parseUsersConfig(raw: unknown, options: { source: string }): UsersConfig {
  return parseUserSources([{ raw, source: options.source }]);
}

/**
 * Validates several lists (stack config and a users file) as one: names, emails, phones, usernames and
 * external ids must be unique across all of them. An absent list (`undefined`/`null`) contributes nothing.
 */
export function parseUserSources(sources: readonly UsersSource[]): UsersConfig {
  const problems: ConfigProblem[] = [];
  const entries: UserEntry[] = [];
  for (const { raw, source } of sources) {
    if (raw === undefined || raw === null) continue;
    if (!Array.isArray(raw)) {
      problems.push({ entry: source, field: "", message: `must be a list of user entries, got ${typeName(raw)}` });
      continue;
    }
    raw.forEach((item, i) => {
      const entry = parseEntry(item, `${source}[${i}]`, problems);
      if (entry) entries.push(entry);
    });
  }
  checkUniqueness(entries, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return { entries };
}

function parseEntry(item: unknown, position: string, problems: ConfigProblem[]): UserEntry | undefined {
  if (!isPlainObject(item)) {
    problems.push({
      entry: position,
      field: "",
      message: `must be a mapping of fields (name, emailAddresses, ...), got ${typeName(item)}`,
    });
    return undefined;
  }
  const before = problems.length;
  const rawName = typeof item["name"] === "number" ? String(item["name"]) : item["name"];
  const label = typeof rawName === "string" && rawName !== "" ? `${position} ${JSON.stringify(rawName)}` : position;
  const fail = (field: string, message: string): void => void problems.push({ entry: label, field, message });

  // The name.
  if (rawName === undefined || rawName === null || rawName === "") {
    fail(
      "name",
      'is required: a stable key such as "qa-admin" (it becomes the resource name; keep it when reordering)',
    );
  } else if (typeof rawName !== "string") {
    fail("name", `must be a string, got ${typeName(rawName)}`);
  } else if (!ENTRY_NAME_PATTERN.test(rawName) || rawName.length > ENTRY_NAME_MAX_LENGTH) {
    fail(
      "name",
      `${JSON.stringify(rawName)} is not a valid name: use lowercase letters, digits, "-", "_" and "." ` +
        `(starting with a letter or digit, at most ${ENTRY_NAME_MAX_LENGTH} characters)`,
    );
  }

  // Field names.
  const args: Record<string, unknown> = {};
  let misspelledIdentifier = false;
  for (const [key, value] of Object.entries(item)) {
    if ((SECRET_FIELDS as readonly string[]).includes(key)) {
      const k = typeof rawName === "string" && rawName !== "" ? secretKeyFor(rawName) : "<key>";
      const how =
        key === "password"
          ? `store the password with \`pulumi config set --secret ${k} <password>\` and set passwordSecret: ${k}, or set generatePassword: true`
          : "declare users that need it in a program with ClerkUser and a secret value";
      fail(key, `must not be given in plain config (it would be stored unencrypted): ${how}`);
      continue;
    }
    if (key === "passwordDigest" || key === "passwordHasher") {
      fail(
        key,
        "is not supported in config: import password digests from a program with ClerkUser (passwordDigest is a secret)",
      );
      continue;
    }
    if (key === "managedBy") {
      fail(key, "is set by the program from the project, stack and entry name; remove it");
      continue;
    }
    if (!ENTRY_FIELDS.includes(key)) {
      const suggestion =
        suggestName(key, ENTRY_FIELDS) ?? (key.toLowerCase().includes("passw") ? "passwordSecret" : undefined);
      if (suggestion && IDENTIFIER_FIELDS.includes(suggestion)) misspelledIdentifier = true;
      fail(key, `is not a known field${suggestion ? ` (did you mean "${suggestion}"?)` : ""}`);
      continue;
    }
    if ((ENTRY_ARG_FIELDS as readonly string[]).includes(key) && value !== undefined && value !== null) {
      args[key] = coerce(key, value);
    }
  }

  // Entry-level fields.
  const protect = optionalBoolean(item, "protect", fail);
  const retainOnDelete = optionalBoolean(item, "retainOnDelete", fail);
  let passwordSecret: string | undefined;
  const ps = item["passwordSecret"];
  if (ps !== undefined && ps !== null) {
    if (typeof ps !== "string" || !CONFIG_KEY_PATTERN.test(ps)) {
      fail(
        "passwordSecret",
        `must be the name of a secret config key such as "qaAdminPassword" (set with \`pulumi config set --secret qaAdminPassword <password>\`), got ${
          typeof ps === "string" ? JSON.stringify(ps) : typeName(ps)
        }`,
      );
    } else passwordSecret = ps;
  }
  if (passwordSecret !== undefined && coerce("generatePassword", item["generatePassword"]) === true) {
    fail(
      "generatePassword",
      "conflicts with passwordSecret: either generate a password or read one from secret config, not both",
    );
  }
  const aliases: string[] = [];
  const rawAliases = item["aliases"];
  if (rawAliases !== undefined && rawAliases !== null) {
    if (!Array.isArray(rawAliases)) fail("aliases", `must be a list of previous names, got ${typeName(rawAliases)}`);
    else
      rawAliases.forEach((a, i) => {
        if (typeof a !== "string" || !ENTRY_NAME_PATTERN.test(a))
          fail(
            childPath("aliases", i),
            `must be a previous name of this entry (a valid name), got ${typeof a === "string" ? JSON.stringify(a) : typeName(a)}`,
          );
        else if (a === rawName) fail(childPath("aliases", i), "repeats the entry's own name");
        else aliases.push(a);
      });
  }

  // Per-field rules: the provider's own checker (the same rules `pulumi up` would apply), minus the presence rule
  // which is reported here in the entry's terms.
  for (const f of checkInputs({}, args).failures) {
    if (/at least one identifier/.test(f.reason)) continue;
    fail(f.property, f.reason);
  }
  if (!hasIdentifier(args) && !misspelledIdentifier) {
    fail("", "has no identifier: set emailAddresses, phoneNumbers, web3Wallets or username (Clerk needs at least one)");
  }

  if (problems.length > before || typeof rawName !== "string") return undefined;
  const entry: UserEntry = {
    name: rawName,
    label,
    args: args as Partial<Record<EntryArgField, JsonValue>>,
    protect,
    retainOnDelete,
    aliases,
  };
  if (passwordSecret !== undefined) entry.passwordSecret = passwordSecret;
  return entry;
}

const IDENTIFIER_FIELDS = ["emailAddresses", "phoneNumbers", "web3Wallets", "username"];

/** A suggested config key for an entry's password: `qa-admin` → `qaAdminPassword`. */
export function secretKeyFor(name: string): string {
  return name.replace(/[-_.]+([a-z0-9])/g, (_m, c: string) => c.toUpperCase()) + "Password";
}

function hasIdentifier(args: Record<string, unknown>): boolean {
  for (const key of ["emailAddresses", "phoneNumbers", "web3Wallets"]) {
    const v = args[key];
    if (!Array.isArray(v)) {
      if (v !== undefined) return true; // wrong type: already reported
    } else if (v.length > 0) return true;
  }
  const u = args["username"];
  return u !== undefined && u !== "";
}

function optionalBoolean(item: Record<string, unknown>, key: string, fail: (f: string, m: string) => void): boolean {
  const v = coerce(key, item[key]);
  if (v === undefined || v === null) return false;
  if (typeof v !== "boolean") {
    fail(key, `must be true or false, got ${typeName(v)}`);
    return false;
  }
  return v;
}

/**
 * Undoes what `pulumi config set --path` and YAML do to scalars: `--path` stores "true"/"false" as booleans and
 * integer-looking text as numbers (so `+15555550100` arrives as 15555550100 and an external id `123` as 123).
 * Only unambiguous repairs; anything else is left for the checker to reject with its type.
 */
function coerce(key: string, value: unknown): unknown {
  if (STRING_FIELDS.includes(key) && typeof value === "number" && Number.isFinite(value)) return String(value);
  if (BOOLEAN_FIELDS.includes(key) && (value === "true" || value === "false")) return value === "true";
  if (key === "createOrganizationsLimit" && typeof value === "string" && /^\d+$/.test(value)) return Number(value);
  if (key === "phoneNumbers" && Array.isArray(value)) {
    return value.map((p: unknown) => (typeof p === "number" && Number.isSafeInteger(p) && p > 0 ? `+${p}` : p));
  }
  return value;
}

interface Claim {
  entry: UserEntry;
  field: string;
}

function checkUniqueness(entries: readonly UserEntry[], problems: ConfigProblem[]): void {
  const names = new Map<string, UserEntry>();
  for (const e of entries) {
    const first = names.get(e.name);
    if (first) {
      problems.push({
        entry: e.label,
        field: "name",
        message: `duplicates ${first.label}: each entry needs its own name (it is the resource's identity)`,
      });
    } else names.set(e.name, e);
  }
  // An alias claims its old name: two entries cannot both take over one previous resource, and an alias cannot
  // be the name of another current entry.
  const aliasOwners = new Map<string, UserEntry>();
  for (const e of entries) {
    e.aliases.forEach((a, i) => {
      const current = names.get(a);
      if (current && current !== e)
        problems.push({ entry: e.label, field: childPath("aliases", i), message: `is the name of ${current.label}` });
      const other = aliasOwners.get(a);
      if (other && other !== e)
        problems.push({
          entry: e.label,
          field: childPath("aliases", i),
          message: `is also an alias of ${other.label}`,
        });
      else aliasOwners.set(a, e);
    });
  }

  const lists: [string, IdentifierKind, string, string][] = [
    ["emailAddresses", "email", "email address", " (emails compare case-insensitively)"],
    ["phoneNumbers", "phone", "phone number", ""],
    ["web3Wallets", "web3", "web3 wallet", " (wallets compare case-insensitively)"],
  ];
  for (const [field, kind, what, note] of lists) {
    const seen = new Map<string, Claim>();
    for (const e of entries) {
      const values = e.args[field as EntryArgField];
      if (!Array.isArray(values)) continue;
      values.forEach((v, i) => {
        if (typeof v !== "string") return;
        const key = identifierKey(kind, v);
        const first = seen.get(key);
        if (first && first.entry !== e) {
          problems.push({
            entry: e.label,
            field: childPath(field, i),
            message: `${JSON.stringify(v)} is already the ${what} of ${first.entry.label}${note}: Clerk allows one user per ${what}`,
          });
        } else if (!first) seen.set(key, { entry: e, field: childPath(field, i) });
      });
    }
  }
  const scalars: [string, (v: string) => string, string][] = [
    ["username", (v) => v.toLowerCase(), " (usernames compare case-insensitively)"],
    ["externalId", (v) => v, ""],
  ];
  for (const [field, keyOf, note] of scalars) {
    const seen = new Map<string, UserEntry>();
    for (const e of entries) {
      const v = e.args[field as EntryArgField];
      if (typeof v !== "string") continue;
      const first = seen.get(keyOf(v));
      if (first) {
        problems.push({
          entry: e.label,
          field,
          message: `${JSON.stringify(v)} is already the ${field} of ${first.label}${note}: it must be unique in the Clerk instance`,
        });
      } else seen.set(keyOf(v), e);
    }
  }
}

/** What a config lookup tells the password check; the value itself never reaches a message. */
export interface SecretLookup {
  /** The fully namespaced key (`pulumi-clerk:qaAdminPassword`). */
  fullKey: string;
  value: string | undefined;
  secret: boolean;
}

/** `qaAdminPassword` → `<project>:qaAdminPassword`; an already namespaced key is kept. */
export function fullConfigKey(project: string, key: string): string {
  return key.includes(":") ? key : `${project}:${key}`;
}

/**
 * Checks every `passwordSecret` against the stack config before anything is created: the key exists, is a
 * secret, and holds a password Clerk accepts (≥ 8 characters unless `skipPasswordChecks`).
 */
export function checkPasswordSecrets(
  entries: readonly UserEntry[],
  lookup: (key: string) => SecretLookup,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const e of entries) {
    if (e.passwordSecret === undefined) continue;
    const { fullKey, value, secret } = lookup(e.passwordSecret);
    const setIt = `\`pulumi config set --secret ${e.passwordSecret} <password>\``;
    const fail = (message: string): void => void problems.push({ entry: e.label, field: "passwordSecret", message });
    if (value === undefined) fail(`names config key "${fullKey}", which is not set: run ${setIt}`);
    else if (!secret) fail(`names config key "${fullKey}", which is not a secret: set it again with ${setIt}`);
    else if (e.args.skipPasswordChecks !== true && [...value].length < 8)
      fail(`names config key "${fullKey}", whose password is shorter than 8 characters (Clerk's minimum)`);
  }
  return problems;
}

/** Throws one `ConfigError` for all problems, if any. */
export function throwIfProblems(problems: readonly ConfigProblem[]): void {
  if (problems.length > 0) throw new ConfigError(problems);
}

/** A value's kind for messages, never its content. */
function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  const t = typeof value;
  return `${/^[aeiou]/.test(t) ? "an" : "a"} ${t}`;
}
