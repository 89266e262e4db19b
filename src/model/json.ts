/** A JSON value as Clerk stores it in user metadata. */
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;

/** A JSON object: the only shape Clerk accepts for `public_metadata`, `private_metadata` and `unsafe_metadata`. */
export interface JsonObject {
  [key: string]: JsonValue;
}

/**
 * Where a program passed a value JSON cannot hold (a function, a Date, a BigInt, `undefined` in a list...),
 * `ClerkUser` puts `{ [NOT_JSON_KEY]: "<what it was>" }` in its place before Pulumi serializes the inputs (which
 * would silently drop or alter it), so `check` can name the exact path.
 */
export const NOT_JSON_KEY = "__pulumiClerkNotJson";
