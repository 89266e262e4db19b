import type { JsonObject } from "../model/json";
import { isPlainObject } from "./isPlainObject";

/**
 * How "not set" reads for each kind of managed field, shared by diff, plan and the mappings so that they
 * agree on what counts as the same value: Clerk answers `null` where a program says nothing or `""`, and
 * `{}` where a program declares no metadata.
 */

/** A string field's value with `undefined`, `null` and `""` all meaning "not set". */
export function blankToUndefined(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** Metadata with absent (or not an object) meaning `{}`. */
export function metadataOrEmpty(value: unknown): JsonObject {
  return isPlainObject(value) ? (value as JsonObject) : {};
}

/** Clerk's "0 means unlimited" limit: `null` (no per-user limit) reads as 0. */
export function limitOrZero(value: unknown): number {
  return typeof value === "number" ? value : 0;
}
