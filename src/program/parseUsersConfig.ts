/**
 * Validation of the root program's `users` config (and of the optional `usersFile`): pure, no Pulumi, no I/O.
 * Every problem is collected, each naming its entry and field, so a bad config is fixed in one pass and the
 * program can refuse it before it constructs a single resource. Field rules are the provider's own checks.
 */
import { checkUserInputs } from "../logic/checkInputs";
import { typeName } from "../logic/describeValue";
import { isPlainObject } from "../logic/isPlainObject";
import { childPath } from "../logic/propertyPath";
import { suggestName } from "../logic/suggest";
import type { JsonValue } from "../model/json";
import { ConfigError, type ConfigProblem } from "./ConfigError";
import {
  checkName,
  coerceScalar,
  ENTRY_NAME_PATTERN,
  isTextOrUnset,
  isValidName,
  notText,
  parseEntryLists,
  type EntrySource,
  type Fail,
} from "./entryChecks";
import {
  argFieldsOfType,
  ENTRY_ARG_FIELDS,
  ENTRY_FIELDS,
  ENTRY_OWN_BOOLEANS,
  IDENTIFIER_FIELDS,
  isNameLike,
  refusal,
  type EntryArgField,
} from "./entryFields";
import { checkUniqueness } from "./uniqueness";

/** A Pulumi config key, optionally namespaced (`qaAdminPassword`, `myapp:qaAdminPassword`). */
const CONFIG_KEY_PATTERN = /^(?:[A-Za-z0-9_.\-]+:)?[A-Za-z0-9_.\-]+$/;

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

export type UsersSource = EntrySource;

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
  const { entries, problems } = collectUserSources(sources);
  if (problems.length > 0) throw new ConfigError(problems);
  return { entries };
}

/**
 * Every entry with a name, and every problem, without throwing: entries with problems are kept so the checks
 * that span entries (uniqueness, then the root program's password secrets) still report in the same run.
 */
export function collectUserSources(sources: readonly UsersSource[]): {
  entries: UserEntry[];
  problems: ConfigProblem[];
} {
  const problems: ConfigProblem[] = [];
  const entries = parseEntryLists(sources, "user", parseEntry, problems);
  checkUniqueness(entries, problems);
  return { entries, problems };
}

function parseEntry(item: unknown, position: string, problems: ConfigProblem[]): UserEntry | undefined {
  if (!isPlainObject(item)) {
    problems.push({
      entry: position,
      field: "",
      message: `must be a mapping of fields (name, emailAddresses, ...), got ${typeName(item, "yaml")}`,
    });
    return undefined;
  }
  const rawName = typeof item["name"] === "number" ? String(item["name"]) : item["name"];
  // Only a valid name is quoted: anything else may be any text of the file.
  const label = isValidName(rawName) ? `${position} ${JSON.stringify(rawName)}` : position;
  const fail = (field: string, message: string): void => void problems.push({ entry: label, field, message });

  checkName(rawName, "qa-admin", fail);
  const { args, identifierRefused } = collectArgs(item, rawName, fail);
  const protect = optionalBoolean(item, "protect", fail);
  const retainOnDelete = optionalBoolean(item, "retainOnDelete", fail);
  const passwordSecret = parsePasswordSecret(item, fail);
  const aliases = parseAliases(item["aliases"], rawName, fail);

  // Per-field rules: the provider's own checker (the same rules `pulumi up` would apply). A missing identifier
  // is reported in the entry's terms, unless a misspelled identifier field already explains it.
  for (const f of checkUserInputs(args).findings) {
    if (f.rule !== "missing_identifier") fail(f.property, f.reason);
    else if (!identifierRefused)
      fail(
        "",
        "has no identifier: set emailAddresses, phoneNumbers, web3Wallets or username (Clerk needs at least one)",
      );
  }

  // Kept even with problems, so uniqueness across entries is reported in the same run; any problem still
  // fails the whole config.
  if (typeof rawName !== "string" || rawName === "") return undefined;
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

/** The entry's ClerkUser args, with every refused or unknown field reported. */
function collectArgs(item: Record<string, unknown>, rawName: unknown, fail: Fail) {
  const args: Record<string, unknown> = {};
  let identifierRefused = false;
  for (const [key, value] of Object.entries(item)) {
    const refused = refusal(key);
    if (refused === "secret") {
      const k = typeof rawName === "string" && rawName !== "" ? secretKeyFor(rawName) : "<key>";
      const how =
        key === "password"
          ? `store the password with \`pulumi config set --secret ${k} <password>\` and set passwordSecret: ${k}, or set generatePassword: true`
          : "declare users that need it in a program with ClerkUser and a secret value";
      fail(key, `must not be given in plain config (it would be stored unencrypted): ${how}`);
    } else if (refused === "unsupported") {
      fail(
        key,
        "is not supported in config: import password digests from a program with ClerkUser (passwordDigest is a secret)",
      );
    } else if (refused === "program") {
      fail(key, "is set by the program from the project, stack and entry name; remove it");
    } else if (!ENTRY_FIELDS.includes(key) && !isNameLike(key)) {
      fail("", "has a field whose name does not look like a field name (not shown: it may be data); remove it");
    } else if (!ENTRY_FIELDS.includes(key)) {
      const suggestion =
        suggestName(key, ENTRY_FIELDS) ?? (key.toLowerCase().includes("passw") ? "passwordSecret" : undefined);
      if (suggestion && IDENTIFIER_FIELDS.includes(suggestion)) identifierRefused = true;
      fail(key, `is not a known field${suggestion ? ` (did you mean "${suggestion}"?)` : ""}`);
    } else if (STRING_FIELDS.includes(key) && !isTextOrUnset(value)) {
      fail(key, notText(value));
      if (IDENTIFIER_FIELDS.includes(key)) identifierRefused = true;
    } else if (STRING_LIST_FIELDS.includes(key) && Array.isArray(value) && !value.every(isTextOrUnset)) {
      value.forEach((v, i) => isTextOrUnset(v) || fail(childPath(key, i), notText(v)));
      if (IDENTIFIER_FIELDS.includes(key)) identifierRefused = true;
    } else if ((ENTRY_ARG_FIELDS as readonly string[]).includes(key) && value !== undefined && value !== null) {
      args[key] = coerce(key, value);
    }
  }
  return { args, identifierRefused };
}

function parsePasswordSecret(item: Record<string, unknown>, fail: Fail): string | undefined {
  const ps = item["passwordSecret"];
  if (ps === undefined || ps === null) return undefined;
  if (typeof ps !== "string" || !CONFIG_KEY_PATTERN.test(ps)) {
    fail(
      "passwordSecret",
      `must be the name of a secret config key such as "qaAdminPassword" (set with \`pulumi config set --secret qaAdminPassword <password>\`)${
        typeof ps === "string" ? "" : `, got ${typeName(ps, "yaml")}`
      }`,
    );
    return undefined;
  }
  if (coerce("generatePassword", item["generatePassword"]) === true) {
    fail(
      "generatePassword",
      "conflicts with passwordSecret: either generate a password or read one from secret config, not both",
    );
  }
  return ps;
}

function parseAliases(rawAliases: unknown, rawName: unknown, fail: Fail): string[] {
  const aliases: string[] = [];
  if (rawAliases === undefined || rawAliases === null) return aliases;
  if (!Array.isArray(rawAliases)) {
    fail("aliases", `must be a list of previous names, got ${typeName(rawAliases, "yaml")}`);
    return aliases;
  }
  rawAliases.forEach((a, i) => {
    if (typeof a !== "string" || !ENTRY_NAME_PATTERN.test(a))
      fail(
        childPath("aliases", i),
        `must be a previous name of this entry (a valid name)${typeof a === "string" ? "" : `, got ${typeName(a, "yaml")}`}`,
      );
    else if (a === rawName) fail(childPath("aliases", i), "repeats the entry's own name");
    else aliases.push(a);
  });
  return aliases;
}

/** A suggested config key for an entry's password: `qa-admin` → `qaAdminPassword`. */
export function secretKeyFor(name: string): string {
  return name.replace(/[-_.]+([a-z0-9])/g, (_m, c: string) => c.toUpperCase()) + "Password";
}

function optionalBoolean(item: Record<string, unknown>, key: string, fail: Fail): boolean {
  const v = coerce(key, item[key]);
  if (v === undefined || v === null) return false;
  if (typeof v !== "boolean") {
    fail(key, `must be true or false, got ${typeName(v, "yaml")}`);
    return false;
  }
  return v;
}

const STRING_FIELDS = argFieldsOfType("string");
const STRING_LIST_FIELDS = argFieldsOfType("stringList");

const BOOLEAN_FIELDS: readonly string[] = [...argFieldsOfType("boolean"), ...ENTRY_OWN_BOOLEANS];
const INTEGER_FIELDS = argFieldsOfType("integer");

/** Booleans and counts given as text, as `pulumi config set` stores them (see `coerceScalar`). */
function coerce(key: string, value: unknown): unknown {
  return coerceScalar(
    BOOLEAN_FIELDS.includes(key) ? "boolean" : INTEGER_FIELDS.includes(key) ? "integer" : "other",
    value,
  );
}
