/**
 * Checks every kind of root-program entry shares (users, organizations, members): the entry name, and text
 * fields that YAML turned into numbers or booleans. Messages name the field and the kind of value, never the value.
 */
import { typeName } from "../logic/describeValue";
import type { ConfigProblem, ConfigRule } from "./ConfigError";

/** A resource name: the entry's stable key. Lowercase so names never differ only by case. */
export const ENTRY_NAME_PATTERN = /^[a-z0-9][a-z0-9\-_.]*$/;
export const ENTRY_NAME_MAX_LENGTH = 100;

export type Fail = (field: string, message: string, rule?: ConfigRule) => void;

/** A list of raw entries and where it came from (`users` for stack config, the file path for `usersFile`). */
export interface EntrySource {
  raw: unknown;
  source: string;
}

/**
 * The entries of every list in `sources`, each item parsed by `parse` under its position (`users[2]`), in order.
 * An absent list is skipped; anything else that is not a list is one problem (with `listRule`, when the kind's
 * problems carry rules). Problems go to `problems`; no throwing.
 */
export function parseEntryLists<T>(
  sources: readonly EntrySource[],
  noun: string,
  parse: (item: unknown, position: string, problems: ConfigProblem[]) => T | undefined,
  problems: ConfigProblem[],
  listRule?: ConfigRule,
): T[] {
  const entries: T[] = [];
  for (const { raw, source } of sources) {
    if (raw === undefined || raw === null) continue;
    if (!Array.isArray(raw)) {
      problems.push({
        entry: source,
        field: "",
        message: `must be a list of ${noun} entries, got ${typeName(raw, "yaml")}`,
        ...(listRule ? { rule: listRule } : {}),
      });
      continue;
    }
    raw.forEach((item, i) => {
      const entry = parse(item, `${source}[${i}]`, problems);
      if (entry) entries.push(entry);
    });
  }
  return entries;
}

export function isValidName(name: unknown): name is string {
  return typeof name === "string" && ENTRY_NAME_PATTERN.test(name) && name.length <= ENTRY_NAME_MAX_LENGTH;
}

/**
 * The entry's `name`: required, a string, and a valid name. `example` is a name of the entry's kind for the
 * message (`qa-admin`, `tenant-a`).
 */
export function checkName(rawName: unknown, example: string, fail: Fail): void {
  if (rawName === undefined || rawName === null || rawName === "") {
    fail(
      "name",
      `is required: a stable key such as ${JSON.stringify(example)} (it becomes the resource name; keep it when reordering)`,
      "required",
    );
  } else if (typeof rawName !== "string") {
    fail("name", `must be a string, got ${typeName(rawName, "yaml")}`, "type");
  } else if (!isValidName(rawName)) {
    fail(
      "name",
      `is not a valid name: use lowercase letters, digits, "-", "_" and "." ` +
        `(starting with a letter or digit, at most ${ENTRY_NAME_MAX_LENGTH} characters)`,
      "format",
    );
  }
}

/** Strings pass; `undefined` is an absent key. YAML's numbers, booleans and null in a text field do not. */
export const isTextOrUnset = (v: unknown): boolean => typeof v === "string" || v === undefined;

/** The failure for a YAML scalar that is not text, without echoing it (it may be any text of the file). */
export function notText(value: unknown): string {
  return (
    `must be a string, got ${typeName(value, "yaml")}: YAML reads unquoted values such as 000123, 0x1F, ` +
    "+15555550100, 1e3 or yes as numbers or booleans (and ~ as null), so put the value in quotes"
  );
}

/**
 * Reads booleans and counts given as text ("true", "5"), which `pulumi config set` produces. Text fields are
 * never repaired: a number cannot be turned back into the text it was written as (000123, 0x1F, 1e3), so
 * `notText` refuses it instead.
 */
export function coerceScalar(kind: "boolean" | "integer" | "other", value: unknown): unknown {
  if (kind === "boolean" && (value === "true" || value === "false")) return value === "true";
  if (kind === "integer" && typeof value === "string" && /^\d+$/.test(value)) return Number(value);
  return value;
}
