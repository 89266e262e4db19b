import { NOT_JSON_KEY } from "../model/json";
import { isPlainObject } from "./isPlainObject";

/** What a value JSON cannot hold is, for the message; `undefined` for a JSON value (or a container). */
function notJsonKind(value: unknown): string | undefined {
  switch (typeof value) {
    case "function":
      return "a function";
    case "symbol":
      return "a symbol";
    case "bigint":
      return "a BigInt";
    case "undefined":
      return "undefined";
    case "number":
      return Number.isFinite(value) ? undefined : String(value);
    case "object":
      if (value === null || Array.isArray(value) || isPlainObject(value)) return undefined;
      if (value instanceof Date) return "a Date";
      if (value instanceof Map) return "a Map";
      if (value instanceof Set) return "a Set";
      return "a non-plain object";
    default:
      return undefined;
  }
}

/**
 * A copy of `value` in which every part JSON cannot hold as it is becomes `{ [NOT_JSON_KEY]: kind }`: functions,
 * symbols, BigInts, Dates, Maps, Sets, class instances, `undefined` (inside lists and objects), NaN, Infinity
 * and cycles. Parts `keep` accepts (Pulumi Outputs and promises, resolved later) are left as they are.
 */
export function markNotJson(value: unknown, keep: (v: unknown) => boolean, inside = false): unknown {
  return mark(value, keep, inside, new Set());
}

function mark(value: unknown, keep: (v: unknown) => boolean, inside: boolean, ancestors: Set<object>): unknown {
  if (keep(value)) return value;
  if (value === undefined && !inside) return value; // an arg left out
  const kind = notJsonKind(value);
  if (kind !== undefined) return { [NOT_JSON_KEY]: kind };
  if (typeof value !== "object" || value === null) return value;
  if (ancestors.has(value)) return { [NOT_JSON_KEY]: "circular" };
  ancestors.add(value);
  const out = Array.isArray(value)
    ? value.map((v) => mark(v, keep, true, ancestors))
    : Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mark(v, keep, true, ancestors)]));
  ancestors.delete(value);
  return out;
}

/** The kind recorded by `markNotJson`, when `value` is such a placeholder. */
export function notJsonMark(value: unknown): string | undefined {
  if (!isPlainObject(value)) return undefined;
  const keys = Object.keys(value);
  const kind = value[NOT_JSON_KEY];
  return keys.length === 1 && typeof kind === "string" ? kind : undefined;
}
