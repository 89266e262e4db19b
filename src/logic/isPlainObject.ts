/**
 * True for a plain `{...}` object: what a JSON object decodes to. Arrays, `null`, class instances (Date, Map,
 * Buffer) and functions are not, because none of them survives the JSON round trip to Clerk unchanged.
 *
 * Realm-independent on purpose: objects decoded by `fetch` (undici) or handed over by the Pulumi host can come
 * from another V8 context, whose `Object.prototype` is a different object.
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === null) return true;
  if (Object.prototype.toString.call(value) !== "[object Object]") return false;
  // A plain object's prototype is some realm's Object.prototype, whose own prototype is null.
  return (
    Object.getPrototypeOf(proto) === null &&
    typeof (proto as { constructor?: unknown }).constructor === "function" &&
    (proto as { constructor: { name?: unknown } }).constructor.name === "Object"
  );
}
