/**
 * Across all entries: names and aliases, and every value Clerk holds once per instance (the field table's
 * `unique` fields: identifiers, username, externalId).
 */
import { identifierKey } from "../logic/identifiers";
import { childPath } from "../logic/propertyPath";
import type { FieldTable } from "../model/fields";
import { USER_FIELDS } from "../model/user";
import type { ConfigProblem } from "./ConfigError";
import type { UserEntry } from "./parseUsersConfig";

/** How each identifier kind is named in a message, and how its spellings compare. */
const IDENTIFIER_WORDS = {
  email: { what: "email address", note: " (emails compare case-insensitively)" },
  phone: { what: "phone number", note: "" },
  web3: { what: "web3 wallet", note: " (wallets compare case-insensitively)" },
} as const;

export function checkUniqueness(entries: readonly UserEntry[], problems: ConfigProblem[]): void {
  const names = checkNames(entries, problems);
  checkAliases(entries, names, problems);
  for (const [field, spec] of Object.entries(USER_FIELDS as FieldTable)) {
    if (!spec.unique) continue;
    if (spec.rule?.kind === "identifier") checkList(entries, field, spec.rule.identifier, problems);
    else checkScalar(entries, field, spec.unique, problems);
  }
}

function checkNames(entries: readonly UserEntry[], problems: ConfigProblem[]): Map<string, UserEntry> {
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
  return names;
}

/**
 * An alias claims its old name: two entries cannot both take over one previous resource, and an alias cannot
 * be the name of another current entry.
 */
function checkAliases(entries: readonly UserEntry[], names: Map<string, UserEntry>, problems: ConfigProblem[]) {
  const aliasOwners = new Map<string, UserEntry>();
  for (const e of entries) {
    e.aliases.forEach((a, i) => {
      const field = childPath("aliases", i);
      const current = names.get(a);
      if (current && current !== e)
        problems.push({ entry: e.label, field, message: `is the name of ${current.label}` });
      const other = aliasOwners.get(a);
      if (other && other !== e) problems.push({ entry: e.label, field, message: `is also an alias of ${other.label}` });
      else aliasOwners.set(a, e);
    });
  }
}

function checkList(
  entries: readonly UserEntry[],
  field: string,
  kind: keyof typeof IDENTIFIER_WORDS,
  problems: ConfigProblem[],
): void {
  const { what, note } = IDENTIFIER_WORDS[kind];
  const seen = new Map<string, UserEntry>();
  for (const e of entries) {
    const values = (e.args as Record<string, unknown>)[field];
    if (!Array.isArray(values)) continue;
    values.forEach((v, i) => {
      if (typeof v !== "string") return;
      const key = identifierKey(kind, v);
      const first = seen.get(key);
      if (first && first !== e) {
        problems.push({
          entry: e.label,
          field: childPath(field, i),
          message: `is already the ${what} of ${first.label}${note}: Clerk allows one user per ${what}`,
        });
      } else if (!first) seen.set(key, e);
    });
  }
}

function checkScalar(
  entries: readonly UserEntry[],
  field: string,
  mode: "exact" | "caseInsensitive",
  problems: ConfigProblem[],
): void {
  const keyOf = (v: string) => (mode === "caseInsensitive" ? v.toLowerCase() : v);
  const note = mode === "caseInsensitive" ? ` (${field}s compare case-insensitively)` : "";
  const seen = new Map<string, UserEntry>();
  for (const e of entries) {
    const v = (e.args as Record<string, unknown>)[field];
    if (typeof v !== "string") continue;
    const first = seen.get(keyOf(v));
    if (first) {
      problems.push({
        entry: e.label,
        field,
        message: `is already the ${field} of ${first.label}${note}: it must be unique in the Clerk instance`,
      });
    } else seen.set(keyOf(v), e);
  }
}
