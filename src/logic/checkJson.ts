/**
 * JSON-ness and size of metadata objects: every value must survive `JSON.stringify` unchanged, and Clerk caps
 * each metadata field at 8 KB of JSON. Failures name the JSON path and never quote a value.
 */
import { isMarkerName, MARKER_KEY, markerFor, type Ownership } from "../marker/managedByMarker";
import type { ManagedBy } from "../model/UserInputs";
import type { Fail } from "./checkTypes";
import { typeName } from "./describeValue";
import { isPlainObject } from "./isPlainObject";
import { notJsonMark } from "./markNotJson";
import { childPath } from "./propertyPath";
import { containsUnknown, isUnknown, UNKNOWN } from "./unknown";

/** An ownership as long as the provider ever writes, so the size check counts the marker's worst case. */
export const LONGEST_OWNERSHIP: Ownership = {
  ownerId: `own_${"a".repeat(26)}`,
  instanceId: `ins_${"X".repeat(40)}`,
  adopted: false,
};

const isManagedBy = (v: unknown): v is ManagedBy =>
  isPlainObject(v) && ["project", "stack", "name"].every((k) => isMarkerName(v[k]));

/** Clerk's per-field limit on metadata, in UTF-8 bytes of its JSON. */
export const METADATA_MAX_BYTES = 8192;

/**
 * Checks one metadata input. `markerHolder` is true for the field that stores the managed-by marker beside
 * the declared keys (private metadata): the key is reserved there and the marker counts against the limit.
 */
export function checkMetadata(key: string, value: unknown, fail: Fail, markerHolder: boolean, managedBy: unknown) {
  if (value === undefined || isUnknown(value)) return;
  if (!isPlainObject(value)) {
    fail(key, `must be a JSON object ({...}), got ${typeName(value)}`, "type");
    return;
  }
  let count = 0;
  const counted: Fail = (p, r, rule) => {
    count++;
    fail(p, r, rule);
  };
  checkJson(value, key, counted, new Set());
  if (markerHolder && Object.prototype.hasOwnProperty.call(value, MARKER_KEY)) {
    counted(
      childPath(key, MARKER_KEY),
      `"${MARKER_KEY}" is reserved: the provider stores its managed-by marker under it`,
      "reserved",
    );
  }
  if (count > 0) return;
  // Clerk stores the managed-by marker inside private metadata, so it counts against the same limit.
  const stored =
    markerHolder && isManagedBy(managedBy) && !containsUnknown(managedBy)
      ? { ...value, [MARKER_KEY]: markerFor(managedBy, LONGEST_OWNERSHIP) }
      : value;
  // An unknown value resolves to at least one byte ("0"), so the size with unknowns as 0 is a lower bound.
  const bytes = Buffer.byteLength(
    JSON.stringify(stored, (_k, v: unknown) => (v === UNKNOWN ? 0 : v)),
    "utf8",
  );
  if (bytes > METADATA_MAX_BYTES) {
    const marker = stored === value ? "" : ` (with the provider's "${MARKER_KEY}" marker)`;
    fail(
      key,
      `is ${bytes} bytes as JSON${marker}; Clerk allows at most ${METADATA_MAX_BYTES} bytes per metadata field`,
      "too_large",
    );
  }
}

/** Reports every value under `path` that JSON cannot hold as it is. */
export function checkJson(value: unknown, path: string, fail: Fail, ancestors: Set<object>): void {
  if (value === null || typeof value === "string" || typeof value === "boolean") return;
  const marked = notJsonMark(value);
  if (marked === "undefined") value = undefined;
  else if (marked === "circular") {
    fail(path, "is circular, which JSON cannot hold", "not_json");
    return;
  } else if (marked === "NaN" || marked === "Infinity" || marked === "-Infinity") value = Number(marked);
  else if (marked !== undefined) {
    fail(path, `is ${marked}, not a JSON value`, "not_json");
    return;
  }
  if (typeof value === "number") {
    if (!Number.isFinite(value)) fail(path, "must be a finite number: JSON has no NaN or Infinity", "not_json");
    return;
  }
  if (value === undefined) {
    fail(path, "is undefined, which JSON cannot hold: omit the key or use null", "not_json");
    return;
  }
  if (Array.isArray(value) || isPlainObject(value)) {
    if (ancestors.has(value)) {
      fail(path, "is circular, which JSON cannot hold", "not_json");
      return;
    }
    ancestors.add(value);
    if (Array.isArray(value)) value.forEach((item, i) => checkJson(item, childPath(path, i), fail, ancestors));
    else for (const [k, v] of Object.entries(value)) checkJson(v, childPath(path, k), fail, ancestors);
    ancestors.delete(value);
    return;
  }
  fail(path, `is ${typeName(value)}, not a JSON value`, "not_json");
}
