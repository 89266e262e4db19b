/** The root program's config schema, derived from the ClerkUser field table plus the entry's own fields. */
import { fieldsWhere, type FieldSpec, type FieldTable } from "../model/fields";
import { USER_FIELDS } from "../model/user";

const FIELDS = USER_FIELDS as FieldTable;

/** ClerkUser args an entry may set: everything that is safe to keep in plain (non-secret) config. */
export const ENTRY_ARG_FIELDS = fieldsWhere(USER_FIELDS, (f) => f.config === "plain");
export type EntryArgField = (typeof ENTRY_ARG_FIELDS)[number];

/** Fields of an entry that are not ClerkUser args. */
export const ENTRY_OWN_FIELDS = ["name", "passwordSecret", "protect", "retainOnDelete", "aliases"] as const;

/** Every field an entry may have. */
export const ENTRY_FIELDS: readonly string[] = [...ENTRY_OWN_FIELDS, ...ENTRY_ARG_FIELDS];

/** The entry's own boolean fields. */
export const ENTRY_OWN_BOOLEANS = ["protect", "retainOnDelete"] as const;

/** How the config answers a field the table refuses or sets itself; `undefined` for a field it accepts. */
export function refusal(key: string): "secret" | "unsupported" | "program" | undefined {
  const spec = Object.prototype.hasOwnProperty.call(FIELDS, key) ? FIELDS[key] : undefined;
  if (spec === undefined || spec.config === "plain") return undefined;
  return spec.config === "program" ? "program" : spec.config.refuse;
}

/** The arg fields of one JSON type (for repairing what `pulumi config set --path` does to scalars). */
export function argFieldsOfType(type: FieldSpec["type"]): string[] {
  return ENTRY_ARG_FIELDS.filter((k) => FIELDS[k]?.type === type);
}

/** Arg fields that name the user in Clerk: a misspelling of one explains a missing identifier. */
export const IDENTIFIER_FIELDS: readonly string[] = fieldsWhere(
  USER_FIELDS,
  (f) => f.compare === "identifiers" || f.rule?.kind === "username",
);

/** A key worth naming in an error: it looks like a field name, not like data (a token, an address, a sentence). */
const NAME_LIKE = /^[A-Za-z][A-Za-z0-9_.-]{0,31}$/;

export function isNameLike(key: string): boolean {
  return NAME_LIKE.test(key);
}
