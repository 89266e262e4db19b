/**
 * Declarative metadata over Clerk's merge-only endpoint (`PATCH …/metadata`: nested objects merge, `null` deletes a
 * key, anything else replaces). Pure.
 */
import type { JsonObject } from "../model/json";
import { isPlainObject } from "./isPlainObject";
import { jsonEquals } from "./jsonEquals";

/**
 * The smallest patch that turns `held` into `want` under Clerk's deep merge: `null` for each key `held` has and
 * `want` does not, a nested patch where both hold an object, the wanted value wherever they differ otherwise.
 * `want` must hold no `null` object member (check refuses them: the merge would delete the key).
 */
export function mergePatchFor(held: JsonObject, want: JsonObject): JsonObject {
  const patch: JsonObject = {};
  for (const key of Object.keys(held)) if (!Object.hasOwn(want, key)) patch[key] = null;
  for (const [key, value] of Object.entries(want)) {
    const before = Object.hasOwn(held, key) ? held[key] : undefined;
    if (before !== undefined && jsonEquals(before, value)) continue;
    if (isPlainObject(before) && isPlainObject(value)) patch[key] = mergePatchFor(before, value);
    else patch[key] = value;
  }
  return patch;
}
