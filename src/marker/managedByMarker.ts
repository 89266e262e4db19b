import type { JsonObject, JsonValue } from "../model/json";
import type { ManagedBy } from "../model/UserInputs";

/**
 * The reserved `private_metadata` key under which every user this provider creates carries who manages it.
 * Documented in the README; the sweeper relies on it; users must not write it themselves.
 */
export const MARKER_KEY = "pulumiClerk";
export const MARKER_VERSION = 1;

/** The marker as stored in Clerk: `{ v: 1, project, stack, name }`. */
export interface ManagedByMarker extends ManagedBy {
  v: typeof MARKER_VERSION;
}

export function markerFor(managedBy: ManagedBy): ManagedByMarker {
  return { v: MARKER_VERSION, project: managedBy.project, stack: managedBy.stack, name: managedBy.name };
}

/** Reads the marker from a user's private metadata; `undefined` when absent or malformed. */
export function readMarker(privateMetadata: JsonObject | null | undefined): ManagedByMarker | undefined {
  const raw: JsonValue | undefined = privateMetadata?.[MARKER_KEY];
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return undefined;
  const { v, project, stack, name } = raw;
  if (v !== MARKER_VERSION) return undefined;
  if (typeof project !== "string" || typeof stack !== "string" || typeof name !== "string") return undefined;
  if (!project || !stack || !name) return undefined;
  return { v: MARKER_VERSION, project, stack, name };
}

/** True when the marker names exactly this resource. */
export function markerMatches(marker: ManagedByMarker | undefined, managedBy: ManagedBy | undefined): boolean {
  return (
    marker !== undefined &&
    managedBy !== undefined &&
    marker.project === managedBy.project &&
    marker.stack === managedBy.stack &&
    marker.name === managedBy.name
  );
}

/** Private metadata as the user declared it: the marker removed, so it never shows as drift. */
export function stripMarker(privateMetadata: JsonObject | null | undefined): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(privateMetadata ?? {})) if (k !== MARKER_KEY) out[k] = v;
  return out;
}

/** Private metadata to send to Clerk: the declared metadata plus the marker. */
export function withMarker(privateMetadata: JsonObject | undefined, managedBy: ManagedBy | undefined): JsonObject {
  const out = stripMarker(privateMetadata);
  if (managedBy) out[MARKER_KEY] = markerFor(managedBy) as unknown as JsonObject;
  return out;
}
