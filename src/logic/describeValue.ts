import { isPlainObject } from "./isPlainObject";
import { notJsonMark } from "./markNotJson";

/**
 * A value's kind for messages, never its content. `yaml` speaks of mappings (the root program's config);
 * `js` of objects, Dates and non-plain objects (a program's args).
 */
export function typeName(value: unknown, vocabulary: "js" | "yaml" = "js"): string {
  const marked = notJsonMark(value);
  if (marked !== undefined) return marked;
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") {
    if (vocabulary === "yaml") return "a mapping";
    if (value instanceof Date) return "a Date";
    return isPlainObject(value) ? "an object" : "a non-plain object";
  }
  if (vocabulary === "js" && typeof value === "number" && !Number.isFinite(value)) return String(value);
  const t = typeof value;
  if (t === "undefined") return t;
  return `${/^[aeiou]/.test(t) ? "an" : "a"} ${t}`;
}
