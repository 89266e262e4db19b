/**
 * True for a plain `{...}` object (prototype `Object.prototype` or `null`): what a JSON object decodes to.
 * Arrays, `null`, class instances (Date, Map, Buffer) and functions are not, because none of them survives
 * the JSON round trip to Clerk unchanged.
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
