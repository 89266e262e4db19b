import { paramValueInvalid, unprocessable } from "../errors";

/** Query helpers shared by the list endpoints (users, organizations, memberships). */

export const asArray = (v: unknown): string[] =>
  Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)];
export const lower = (s: string): string => s.toLowerCase();
export const num = (v: unknown): number | undefined => (typeof v === "number" ? v : undefined);
export const text = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** Splits `+id` / `-id` / `id` values into include and exclude sets. */
export function plusMinus(values: string[]): { include: Set<string>; exclude: Set<string> } {
  const include = new Set<string>();
  const exclude = new Set<string>();
  for (const v of values) {
    if (v.startsWith("-")) exclude.add(v.slice(1));
    else include.add(v.startsWith("+") ? v.slice(1) : v);
  }
  return { include, exclude };
}

export type SortValue = string | number | null;

export function compare(a: SortValue, b: SortValue): number {
  // NULLs sort as the largest value (PostgreSQL's default: last ascending, first descending)
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

/** `order_by` (`field`, `+field` or `-field`) -> the field's key function and sign; Clerk's 422 for other fields. */
export function orderBy<T>(
  value: unknown,
  fallback: string,
  fields: Readonly<Record<string, (item: T) => SortValue>>,
): { key: (item: T) => SortValue; sign: 1 | -1; field: string } {
  const raw = typeof value === "string" && value !== "" ? value : fallback;
  const field = raw.replace(/^[+-]/, "");
  const key = fields[field];
  if (!key) {
    throw unprocessable(
      paramValueInvalid(
        "order_by",
        `${raw} does not match the allowed values for parameter order_by. Allowed values: ${Object.keys(fields).join(", ")}`,
      ),
    );
  }
  return { key, sign: raw.startsWith("-") ? -1 : 1, field };
}

/**
 * Sorts by `order_by` (ties broken by insertion order, in the same direction) and cuts the `limit` / `offset` page
 * (spec defaults 10 and 0). Returns the page and the total before paging.
 */
export function sortAndPage<T>(
  items: T[],
  q: Record<string, unknown>,
  fallbackOrder: string,
  fields: Readonly<Record<string, (item: T) => SortValue>>,
  sequenceOf: (item: T) => number,
): { page: T[]; total: number } {
  const { key, sign } = orderBy(q["order_by"], fallbackOrder, fields);
  const sorted = [...items].sort((a, b) => sign * (compare(key(a), key(b)) || sequenceOf(a) - sequenceOf(b)));
  const limit = num(q["limit"]) ?? 10;
  const offset = num(q["offset"]) ?? 0;
  return { page: sorted.slice(offset, offset + limit), total: items.length };
}
