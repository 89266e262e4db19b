/**
 * The root program's config schema for organizations and their members, derived from the ClerkOrganization and
 * ClerkOrganizationMembership field tables: which keys an entry may set, under which config name, and which
 * ones name a users entry instead of a Clerk id. No field list is written here; only what the config does
 * differently from the resource (the entry's own keys, renames, references, what its position decides).
 */
import { fieldNames, type FieldSpec, type FieldTable } from "../model/fields";
import { MEMBERSHIP_FIELDS, ORGANIZATION_FIELDS } from "../model/organization";

export interface EntrySchema {
  /** The resource's field table. */
  readonly table: FieldTable;
  /** Keys of the entry that are not resource args (the entry name, the members list). */
  readonly own: readonly string[];
  /** Config key → the arg it sets, where the config names it otherwise (Clerk's `name` is `displayName`). */
  readonly renamed: Readonly<Record<string, string>>;
  /** Config key → the arg it sets: the config names a users entry, the program passes that user's id. */
  readonly userRefs: Readonly<Record<string, string>>;
  /** Args the program sets from where the entry is written (a member's organization), and from what. */
  readonly placed: Readonly<Record<string, string>>;
  /** Args the program defaults when the entry leaves them out (Clerk's name: the entry name). */
  readonly defaulted: readonly string[];
  /** What a required key holds, for the message when it is missing. */
  readonly hints: Readonly<Record<string, string>>;
}

/** An organization entry: `name` is the resource name, so Clerk's `name` is written `displayName`. */
export const ORGANIZATION_SCHEMA: EntrySchema = {
  table: ORGANIZATION_FIELDS,
  own: ["name", "members"],
  renamed: { displayName: "name" },
  userRefs: { createdBy: "createdBy" },
  placed: {},
  defaulted: ["name"],
  hints: {},
};

/** A member, inside an organization entry's `members`. */
export const MEMBER_SCHEMA: EntrySchema = {
  table: MEMBERSHIP_FIELDS,
  own: [],
  renamed: {},
  userRefs: { user: "userId" },
  placed: { organizationId: "the organization entry the member is listed under" },
  defaulted: [],
  hints: {
    user: 'the name of a users entry, such as "qa-admin"',
    role: 'a role key such as "org:admin" or "org:member"',
  },
};

const has = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** The args taken as they are: plain-config fields of the table, minus those the config sets another way. */
export function argKeys(schema: EntrySchema): string[] {
  const other = new Set([
    ...Object.values(schema.renamed),
    ...Object.values(schema.userRefs),
    ...Object.keys(schema.placed),
  ]);
  return fieldNames(schema.table).filter((k) => schema.table[k]?.config === "plain" && !other.has(k));
}

/** Every key an entry may have, in the order messages list them. */
export function entryKeys(schema: EntrySchema): string[] {
  return [...schema.own, ...Object.keys(schema.renamed), ...argKeys(schema), ...Object.keys(schema.userRefs)];
}

/** The table field a config key sets (`displayName` → `name`), or undefined for an own key or an unknown one. */
export function argOf(schema: EntrySchema, key: string): string | undefined {
  if (has(schema.renamed, key)) return schema.renamed[key];
  if (has(schema.userRefs, key)) return schema.userRefs[key];
  return argKeys(schema).includes(key) ? key : undefined;
}

/** The config key that sets a table field: the inverse of `argOf`. */
export function configKeyOf(schema: EntrySchema, arg: string): string {
  for (const [key, target] of Object.entries({ ...schema.renamed, ...schema.userRefs })) if (target === arg) return key;
  return arg;
}

export type Refusal =
  { why: "secret" | "unsupported" | "program" } | { why: "placed"; from: string } | { why: "referenced"; by: string };

/** How the config answers a table field it does not take under that name; undefined when it takes it. */
export function refusalOf(schema: EntrySchema, key: string): Refusal | undefined {
  if (!has(schema.table, key) || has(schema.renamed, key) || has(schema.userRefs, key)) return undefined;
  if (has(schema.placed, key)) return { why: "placed", from: schema.placed[key] ?? "" };
  const ref = Object.entries(schema.userRefs).find(([, target]) => target === key);
  if (ref) return { why: "referenced", by: ref[0] };
  if (schema.own.includes(key) || Object.values(schema.renamed).includes(key)) return undefined;
  const spec = schema.table[key] as FieldSpec;
  if (spec.config === "plain") return undefined;
  return spec.config === "program" ? { why: "program" } : { why: spec.config.refuse };
}

/** The config keys an entry must have: the table's required args that the program neither places nor defaults. */
export function requiredKeys(schema: EntrySchema): string[] {
  return fieldNames(schema.table)
    .filter((k) => schema.table[k]?.required === true)
    .filter((k) => !has(schema.placed, k) && !schema.defaulted.includes(k))
    .map((k) => configKeyOf(schema, k));
}

/** The JSON type a config key's value must have, from the field it sets. */
export function typeOf(schema: EntrySchema, key: string): FieldSpec["type"] | undefined {
  const arg = argOf(schema, key);
  return arg === undefined ? undefined : schema.table[arg]?.type;
}
