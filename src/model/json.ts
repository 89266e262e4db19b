/** A JSON value as Clerk stores it in user metadata. */
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;

/** A JSON object: the only shape Clerk accepts for `public_metadata`, `private_metadata` and `unsafe_metadata`. */
export interface JsonObject {
  [key: string]: JsonValue;
}
