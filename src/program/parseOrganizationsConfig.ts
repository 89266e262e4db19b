/**
 * Validation of the root program's `organizations` config (stack config and the `usersFile`): pure, no Pulumi,
 * no I/O. Checked together with the users, before any resource exists: every problem of every entry is
 * collected, each naming its entry and field (never quoting a value), with a rule code. Field rules are the
 * resources' own checks, from their field tables; what only the config can get wrong is checked here: entry
 * names, references to users entries, duplicate members, role keys, the membership limit, the `createdBy` rule.
 */
import { checkFields } from "../logic/checkFields";
import { typeName } from "../logic/describeValue";
import { isPlainObject } from "../logic/isPlainObject";
import { childPath } from "../logic/propertyPath";
import { suggestName } from "../logic/suggest";
import type { FieldTable } from "../model/fields";
import type { JsonValue } from "../model/json";
import type { ConfigProblem, ConfigRule } from "./ConfigError";
import {
  checkName,
  coerceScalar,
  isTextOrUnset,
  isValidName,
  notText,
  parseEntryLists,
  type EntrySource,
  type Fail,
} from "./entryChecks";
import { isNameLike } from "./entryFields";
import {
  argOf,
  configKeyOf,
  entryKeys,
  MEMBER_SCHEMA,
  ORGANIZATION_SCHEMA,
  refusalOf,
  requiredKeys,
  typeOf,
  type EntrySchema,
} from "./organizationFields";

/** One member of an organization entry: what the program needs to declare one ClerkOrganizationMembership. */
export interface MemberEntry {
  /** The users entry this member is (its user's id becomes `userId`). */
  user: string;
  /** Where it is in its entry, for messages: `members[1]`. */
  field: string;
  /** ClerkOrganizationMembership args other than `organizationId` and `userId`: `role`, metadata. */
  args: Record<string, JsonValue>;
}

/** One validated organization entry: one ClerkOrganization plus its members. */
export interface OrganizationEntry {
  /** The stable key; becomes the resource name. */
  name: string;
  /** Where it came from, for messages: `organizations[0] "tenant-a"`. */
  label: string;
  /** ClerkOrganization args by their resource names (`name` is the `displayName`, by default the entry name). */
  args: Record<string, JsonValue>;
  /** Args given as a users entry name (`createdBy`): the program passes that user's id. */
  userRefs: Record<string, string>;
  members: MemberEntry[];
}

/** A raw `organizations` list and where it came from (`organizations`, or `<usersFile>:organizations`). */
export type OrganizationsSource = EntrySource;

/** A users entry as the organizations see it: its name, and its label for messages. */
export interface UserRef {
  name: string;
  label: string;
}

type Problems = ConfigProblem[];

/** The membership arg a member's `user` sets. */
const MEMBER_USER_ARG = argOf(MEMBER_SCHEMA, "user") ?? "userId";

/**
 * Every organization entry with a name, and every problem, without throwing. `users` are the users entries of
 * the same config (all of them with a name, even those with problems of their own): members and `createdBy`
 * must name one of them.
 */
export function collectOrganizationSources(
  sources: readonly OrganizationsSource[],
  users: readonly UserRef[],
): { entries: OrganizationEntry[]; problems: ConfigProblem[] } {
  const problems: Problems = [];
  const entries = parseEntryLists(sources, "organization", parseEntry, problems, "type");
  checkAcrossEntries(entries, users, problems);
  return { entries, problems };
}

/** The entry's problems go to `problems` with its label; a member's field paths start at `members[i]`. */
function failFor(problems: Problems, entry: string, prefix = ""): Fail {
  return (field, message, rule) =>
    void problems.push({
      entry,
      field: prefix && field ? `${prefix}.${field}` : prefix || field,
      message,
      ...(rule ? { rule } : {}),
    });
}

function parseEntry(item: unknown, position: string, problems: Problems): OrganizationEntry | undefined {
  if (!isPlainObject(item)) {
    problems.push({
      entry: position,
      field: "",
      message: `must be a mapping of fields (name, members, ...), got ${typeName(item, "yaml")}`,
      rule: "type",
    });
    return undefined;
  }
  const rawName = item["name"];
  // Only a valid name is quoted: anything else may be any text of the file.
  const label = isValidName(rawName) ? `${position} ${JSON.stringify(rawName)}` : position;
  const fail = failFor(problems, label);

  checkName(rawName, "tenant-a", fail);
  const { args, userRefs } = collectArgs(ORGANIZATION_SCHEMA, item, fail);
  // Clerk's name defaults to the entry's: an organization always has one.
  if (args["name"] === undefined && isValidName(rawName)) args["name"] = rawName;
  checkRequired(ORGANIZATION_SCHEMA, item, fail);
  checkTable(ORGANIZATION_SCHEMA, args, fail);
  const members = parseMembers(item["members"], label, problems);

  if (!isValidName(rawName)) return undefined;
  return { name: rawName, label, args, userRefs, members };
}

function parseMembers(raw: unknown, label: string, problems: Problems): MemberEntry[] {
  const members: MemberEntry[] = [];
  if (raw === undefined || raw === null) return members;
  if (!Array.isArray(raw)) {
    failFor(problems, label)(
      "members",
      `must be a list of members ({user, role}), got ${typeName(raw, "yaml")}`,
      "type",
    );
    return members;
  }
  raw.forEach((item, i) => {
    const field = childPath("members", i);
    const fail = failFor(problems, label, field);
    if (!isPlainObject(item)) {
      fail("", `must be a mapping ({user, role}), got ${typeName(item, "yaml")}`, "type");
      return;
    }
    const { args, userRefs } = collectArgs(MEMBER_SCHEMA, item, fail);
    const user = userRefs[MEMBER_USER_ARG];
    checkRequired(MEMBER_SCHEMA, item, fail);
    checkTable(MEMBER_SCHEMA, args, fail);
    if (user !== undefined) members.push({ user, field, args });
  });
  return members;
}

/**
 * The entry's keys: unknown and refused ones reported, YAML non-strings in text fields refused, booleans and
 * counts given as text read. Args are keyed by the resource's field names; users entry names go to `userRefs`.
 */
function collectArgs(schema: EntrySchema, item: Record<string, unknown>, fail: Fail) {
  const args: Record<string, JsonValue> = {};
  const userRefs: Record<string, string> = {};
  const known = entryKeys(schema);
  for (const [key, raw] of Object.entries(item)) {
    if (schema.own.includes(key)) continue;
    const refused = refusalOf(schema, key);
    if (refused !== undefined) {
      fail(key, refusalMessage(refused), "not_in_config");
      continue;
    }
    const arg = argOf(schema, key);
    if (arg === undefined) {
      if (!isNameLike(key)) {
        fail(
          "",
          "has a field whose name does not look like a field name (not shown: it may be data); remove it",
          "unknown_field",
        );
      } else {
        const suggestion = suggestName(key, known);
        fail(key, `is not a known field${suggestion ? ` (did you mean "${suggestion}"?)` : ""}`, "unknown_field");
      }
      continue;
    }
    const type = typeOf(schema, key);
    const value = coerceScalar(type === "boolean" || type === "integer" ? type : "other", raw);
    if (type === "string" && !isTextOrUnset(value)) {
      fail(key, notText(value), "type");
    } else if (Object.prototype.hasOwnProperty.call(schema.userRefs, key)) {
      if (typeof value === "string") userRefs[arg] = value;
    } else if (value !== undefined && value !== null) {
      args[arg] = value as JsonValue;
    }
  }
  return { args, userRefs };
}

function refusalMessage(refused: NonNullable<ReturnType<typeof refusalOf>>): string {
  switch (refused.why) {
    case "placed":
      return `is set by the program from ${refused.from}; remove it`;
    case "referenced":
      return `is set by the program from ${JSON.stringify(refused.by)} (the name of a users entry); remove it`;
    case "program":
      return "is set by the program from the project, stack and entry name; remove it";
    case "secret":
      return "must not be given in plain config (it would be stored unencrypted): declare it in a program";
    case "unsupported":
      return "is not supported in config: declare it in a program";
  }
}

/** The keys the entry must have (absent, not null: a null is refused as not text). */
function checkRequired(schema: EntrySchema, item: Record<string, unknown>, fail: Fail): void {
  for (const key of requiredKeys(schema)) {
    if (item[key] !== undefined) continue;
    const hint = schema.hints[key];
    fail(key, `is required${hint ? `: ${hint}` : ""}`, "required");
  }
}

/**
 * The resource's own per-field checks (its field table), reported under the config's key names. Args the program
 * sets (a member's organization and user) are not there yet, so required ones are left to `checkRequired`.
 */
function checkTable(schema: EntrySchema, args: Record<string, JsonValue>, fail: Fail): void {
  checkFields(schema.table as FieldTable, args, (path, reason, rule) => {
    if (rule === "required") return;
    const dot = path.search(/[.[]/);
    const head = dot < 0 ? path : path.slice(0, dot);
    fail(configKeyOf(schema, head) + (dot < 0 ? "" : path.slice(dot)), reason, rule);
  });
}

/** What spans entries: names, unique fields, references to users, members, the membership limit. */
function checkAcrossEntries(entries: readonly OrganizationEntry[], users: readonly UserRef[], problems: Problems) {
  const byName = new Map<string, OrganizationEntry>();
  for (const e of entries) {
    const first = byName.get(e.name);
    if (first)
      push(
        problems,
        e,
        "name",
        `duplicates ${first.label}: each entry needs its own name (it is the resource's identity)`,
        "duplicate",
      );
    else byName.set(e.name, e);
  }
  checkUnique(entries, problems);
  const userLabels = new Map(users.map((u) => [u.name, u.label]));
  for (const e of entries) checkReferences(e, userLabels, problems);
}

function push(problems: Problems, e: OrganizationEntry, field: string, message: string, rule: ConfigRule): void {
  problems.push({ entry: e.label, field, message, rule });
}

/** Fields Clerk holds once per instance (the table's `unique`), such as the slug. */
function checkUnique(entries: readonly OrganizationEntry[], problems: Problems): void {
  for (const [field, spec] of Object.entries(ORGANIZATION_SCHEMA.table)) {
    if (!spec.unique) continue;
    const key = (v: string): string => (spec.unique === "caseInsensitive" ? v.toLowerCase() : v);
    const seen = new Map<string, OrganizationEntry>();
    for (const e of entries) {
      const v = e.args[field];
      if (typeof v !== "string") continue;
      const first = seen.get(key(v));
      const configKey = configKeyOf(ORGANIZATION_SCHEMA, field);
      if (first)
        push(
          problems,
          e,
          configKey,
          `is already the ${configKey} of ${first.label}: it must be unique in the Clerk instance`,
          "duplicate",
        );
      else seen.set(key(v), e);
    }
  }
}

function checkReferences(e: OrganizationEntry, users: ReadonlyMap<string, string>, problems: Problems): void {
  const unknown = (name: string): string => {
    const suggestion = suggestName(name, [...users.keys()]);
    return `names no users entry${suggestion ? ` (did you mean "${suggestion}"?)` : ""}: list the user under users (or in the usersFile) first`;
  };
  for (const [arg, name] of Object.entries(e.userRefs)) {
    if (!users.has(name)) push(problems, e, configKeyOf(ORGANIZATION_SCHEMA, arg), unknown(name), "unknown_user");
  }
  const seen = new Map<string, MemberEntry>();
  for (const m of e.members) {
    if (!users.has(m.user)) {
      push(problems, e, `${m.field}.user`, unknown(m.user), "unknown_user");
      continue;
    }
    const first = seen.get(m.user);
    if (first)
      push(
        problems,
        e,
        `${m.field}.user`,
        `names the same user as ${first.field}: a user is a member once (one role)`,
        "duplicate",
      );
    else seen.set(m.user, m);
  }
  const creator = e.userRefs["createdBy"];
  const creatorAsMember = creator === undefined ? undefined : seen.get(creator);
  if (creatorAsMember) {
    push(
      problems,
      e,
      "createdBy",
      `names the user of ${creatorAsMember.field}: Clerk makes the creator an org:admin member itself, so that ` +
        "membership could not be created; remove createdBy and list them under members with role org:admin instead",
      "conflict",
    );
  }
  const limit = e.args["maxAllowedMemberships"];
  const count = seen.size + (creator !== undefined && !creatorAsMember ? 1 : 0);
  if (typeof limit === "number" && Number.isSafeInteger(limit) && limit > 0 && count > limit) {
    const creatorNote =
      creator !== undefined && !creatorAsMember ? " (createdBy counts: Clerk makes the creator a member)" : "";
    push(
      problems,
      e,
      "maxAllowedMemberships",
      `is smaller than the ${count} members the entry declares${creatorNote}: Clerk would refuse the members past it (0 means unlimited)`,
      "membership_limit",
    );
  }
}
