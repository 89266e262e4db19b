import type { ClerkErrorDetail } from "../errors";
import { checkMetadata, isJsonObject } from "../rules";
import type { JsonObject, JsonValue } from "../types";

/**
 * The metadata endpoints of users, organizations and memberships share Clerk's rules:
 * PATCH deep-merges (nested objects merge, `null` deletes a key at any level), PUT replaces each supplied field;
 * an omitted field stays; each stored object is at most 8 KB (checked on the result of a merge).
 */

/** Deep merge for PATCH …/metadata: nested objects merge, `null` deletes the key at any level, the rest replaces. */
export function deepMerge(target: JsonObject, patch: JsonObject): JsonObject {
  const out: JsonObject = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete out[key];
    } else if (isJsonObject(value)) {
      const existing: JsonValue | undefined = out[key];
      out[key] = deepMerge(isJsonObject(existing) ? existing : {}, value);
    } else {
      out[key] = structuredClone(value);
    }
  }
  return out;
}

/**
 * The metadata fields a request writes, merged or replaced onto `current`, and the errors (one per code and field).
 * Fields absent from the body are absent from `next`.
 */
export function metadataUpdate<F extends string>(
  current: Readonly<Record<F, JsonObject>>,
  body: Record<string, unknown>,
  fields: readonly F[],
  mode: "merge" | "replace",
): { next: Partial<Record<F, JsonObject>>; errors: ClerkErrorDetail[] } {
  const errors: ClerkErrorDetail[] = [];
  const next: Partial<Record<F, JsonObject>> = {};
  for (const f of fields) {
    const value = body[f];
    if (value === undefined) continue;
    checkMetadata(errors, f, value);
    if (!isJsonObject(value)) continue;
    next[f] = mode === "merge" ? deepMerge(current[f], value) : structuredClone(value);
    // the 8 KB cap applies to what is stored, i.e. the merged result
    if (mode === "merge") checkMetadata(errors, f, next[f]);
  }
  const unique = [...new Map(errors.map((e) => [`${e.code}:${e.meta.param_name ?? ""}`, e])).values()];
  return { next, errors: unique };
}
