/**
 * Pulumi's unknown sentinel: during preview, an input whose value is not yet known (an output of a
 * resource that does not exist yet) reaches `check` and `diff` as this string, as a whole field, as a
 * list element or deep inside an object. Defined here rather than imported so the pure logic carries no
 * Pulumi runtime dependency (it is `rpc.unknownValue` in `@pulumi/pulumi/runtime`).
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** True when the value is Pulumi's unknown sentinel. */
export function isUnknown(value: unknown): boolean {
  return value === UNKNOWN;
}

/** True when the sentinel appears anywhere inside the value; validators skip the checks that need it. */
export function containsUnknown(value: unknown, seen: Set<object> = new Set()): boolean {
  if (value === UNKNOWN) return true;
  if (typeof value !== "object" || value === null) return false;
  if (seen.has(value)) return false;
  seen.add(value);
  const children = Array.isArray(value) ? value : Object.values(value);
  return children.some((child) => containsUnknown(child, seen));
}
