/**
 * The ownership marker: what a Clerk user carries under a reserved `private_metadata` key to say which
 * resource manages it. Pure functions only (reading, writing, matching); no I/O besides `mintOwnerId`'s
 * default random source.
 *
 * - v2 (written by this release): `{ v: 2, project, stack, name, ownerId, instanceId, adopted }`. `ownerId` is a
 *   random id the provider mints before the first create and keeps in state: only it proves that a user belongs
 *   to *this* resource (project/stack/name repeat across state backends). `instanceId` is the Clerk instance
 *   (`ins_…`) the marker was written in. `adopted: true` means the user existed before the resource took it over.
 * - v1 (earlier releases): `{ v: 1, project, stack, name }`. Still read, never matched by `ownedBy`, and
 *   replaced by a v2 marker on the next write (`upgradeMarker`, `withMarker(…, ownership)`).
 */
import { randomBytes } from "node:crypto";
import type { JsonObject, JsonValue } from "../model/json";
import type { ManagedBy } from "../model/UserInputs";

/**
 * The reserved `private_metadata` key under which every user this provider manages carries its marker.
 * Documented in the README; the sweeper relies on it; users must not write it themselves.
 */
export const MARKER_KEY = "pulumiClerk";
/** The version this release writes. */
export const MARKER_VERSION = 2;
/** Markers of earlier releases: readable, upgraded on the next write. */
export const LEGACY_MARKER_VERSION = 1;

/** A marker written before ownership ids existed: names the resource, proves nothing. */
export interface MarkerV1 extends ManagedBy {
  v: typeof LEGACY_MARKER_VERSION;
}

/** What the provider knows about its claim on a user, beyond the resource's name. */
export interface Ownership {
  /** Random ownership id of the resource (`own_` + 26 base32 characters), minted once, kept in state. */
  ownerId: string;
  /** The Clerk instance id (`ins_…`) the user lives in. */
  instanceId: string;
  /** True when the user existed before the resource adopted it: never deleted by the sweeper. */
  adopted: boolean;
}

export interface MarkerV2 extends ManagedBy, Ownership {
  v: typeof MARKER_VERSION;
}

/** A valid marker of any readable version. */
export type ManagedByMarker = MarkerV1 | MarkerV2;

/** The outcome of reading a user's private metadata; `reason` never quotes the metadata. */
export type MarkerReading =
  | { kind: "absent" }
  | { kind: "malformed"; reason: string }
  | { kind: "v1"; marker: MarkerV1 }
  | { kind: "v2"; marker: MarkerV2 };

/** How a user came to be managed, as far as its marker can tell. v1 markers cannot tell. */
export type Provenance = "created" | "adopted" | "unknown";

/** `own_` + 26 characters of lowercase RFC 4648 base32: 128 random bits (the last character carries 3 bits). */
export const OWNER_ID_PATTERN = /^own_[a-z2-7]{25}[aeimquy4]$/;
/** Clerk instance ids: `ins_` + letters and digits. */
export const INSTANCE_ID_PATTERN = /^ins_[A-Za-z0-9]+$/;

const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";
const OWNER_ID_BYTES = 16;

/**
 * A fresh ownership id: `own_` + 128 random bits in lowercase base32. `random(n)` returns n random bytes
 * (injectable for tests; default `crypto.randomBytes`).
 */
export function mintOwnerId(random: (n: number) => Uint8Array = randomBytes): string {
  const bytes = random(OWNER_ID_BYTES);
  if (bytes.length !== OWNER_ID_BYTES) throw new RangeError(`mintOwnerId: expected ${OWNER_ID_BYTES} random bytes`);
  let out = "";
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32[(buffer << (5 - bits)) & 31];
  return `own_${out}`;
}

export function isOwnerId(value: unknown): value is string {
  return typeof value === "string" && OWNER_ID_PATTERN.test(value);
}

export function isInstanceId(value: unknown): value is string {
  return typeof value === "string" && INSTANCE_ID_PATTERN.test(value);
}

/** A project, stack or resource name a marker may carry: a string with at least one non-whitespace character. */
export function isMarkerName(value: unknown): value is string {
  return typeof value === "string" && value.trim() !== "";
}

/** Reads the marker out of a user's private metadata, telling v1, v2, absent and malformed apart. Never throws. */
export function parseMarker(privateMetadata: JsonObject | null | undefined): MarkerReading {
  if (privateMetadata === null || privateMetadata === undefined || !Object.hasOwn(privateMetadata, MARKER_KEY)) {
    return { kind: "absent" };
  }
  const raw: JsonValue | undefined = privateMetadata[MARKER_KEY];
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return { kind: "malformed", reason: "not an object" };
  }
  const malformed = (reason: string): MarkerReading => ({ kind: "malformed", reason });
  const { v, project, stack, name } = raw;
  if (v !== LEGACY_MARKER_VERSION && v !== MARKER_VERSION) return malformed("unknown version");
  for (const [key, value] of [
    ["project", project],
    ["stack", stack],
    ["name", name],
  ] as const) {
    if (!isMarkerName(value)) return malformed(`${key} is not a non-blank string`);
  }
  const names = { project: project as string, stack: stack as string, name: name as string };
  if (v === LEGACY_MARKER_VERSION) return { kind: "v1", marker: { v: LEGACY_MARKER_VERSION, ...names } };
  const { ownerId, instanceId, adopted } = raw;
  if (!isOwnerId(ownerId)) return malformed("ownerId is not an ownership id");
  if (!isInstanceId(instanceId)) return malformed("instanceId is not a Clerk instance id");
  if (typeof adopted !== "boolean") return malformed("adopted is not a boolean");
  return { kind: "v2", marker: { v: MARKER_VERSION, ...names, ownerId, instanceId, adopted } };
}

/** The valid marker of a user (v1 or v2, only its known keys); `undefined` when absent or malformed. */
export function readMarker(privateMetadata: JsonObject | null | undefined): ManagedByMarker | undefined {
  const reading = parseMarker(privateMetadata);
  return reading.kind === "v1" || reading.kind === "v2" ? reading.marker : undefined;
}

/**
 * The v2 marker of a resource. Throws a `RangeError` naming the field (never its value) when a name is blank
 * or an id is not well-formed: `check` must have refused such inputs before any write.
 */
export function writeMarker(managedBy: ManagedBy, ownership: Ownership): MarkerV2 {
  for (const key of ["project", "stack", "name"] as const) {
    if (!isMarkerName(managedBy[key])) throw new RangeError(`marker: managedBy.${key} must be a non-blank string`);
  }
  if (!isOwnerId(ownership.ownerId)) throw new RangeError("marker: ownerId is not an ownership id (mintOwnerId)");
  if (!isInstanceId(ownership.instanceId)) throw new RangeError("marker: instanceId is not a Clerk instance id");
  if (typeof ownership.adopted !== "boolean") throw new RangeError("marker: adopted must be a boolean");
  return {
    v: MARKER_VERSION,
    project: managedBy.project,
    stack: managedBy.stack,
    name: managedBy.name,
    ownerId: ownership.ownerId,
    instanceId: ownership.instanceId,
    adopted: ownership.adopted,
  };
}

/**
 * The marker to write for `managedBy`: v2 with `ownership`. Without `ownership` it is the v1 marker of earlier
 * releases, kept only so call sites that do not mint ownership ids yet keep working.
 *
 * @deprecated without `ownership`: pass the resource's ownership so the v2 marker is written.
 */
export function markerFor(managedBy: ManagedBy, ownership?: Ownership): ManagedByMarker {
  if (ownership) return writeMarker(managedBy, ownership);
  return { v: LEGACY_MARKER_VERSION, project: managedBy.project, stack: managedBy.stack, name: managedBy.name };
}

/** The v2 marker that replaces `marker` on the next write: same names, the given ownership. */
export function upgradeMarker(marker: ManagedByMarker, ownership: Ownership): MarkerV2 {
  return writeMarker(marker, ownership);
}

/** True only for a v2 marker carrying exactly this ownership id: the one proof that a user is this resource's. */
export function ownedBy(marker: ManagedByMarker | undefined, ownerId: string): boolean {
  return marker?.v === MARKER_VERSION && isOwnerId(ownerId) && marker.ownerId === ownerId;
}

/** True when the marker records that the user existed before it was adopted. v1 markers never say so. */
export function isAdopted(marker: ManagedByMarker | undefined): boolean {
  return marker?.v === MARKER_VERSION && marker.adopted;
}

/** `created` / `adopted` from a v2 marker; `unknown` for v1, which cannot tell a created user from an adopted one. */
export function provenanceOf(marker: ManagedByMarker): Provenance {
  if (marker.v !== MARKER_VERSION) return "unknown";
  return marker.adopted ? "adopted" : "created";
}

/** True when the marker names exactly this resource (project, stack and name). Names prove nothing: see `ownedBy`. */
export function markerMatches(marker: ManagedByMarker | undefined, managedBy: ManagedBy | undefined): boolean {
  return (
    marker !== undefined &&
    managedBy !== undefined &&
    marker.project === managedBy.project &&
    marker.stack === managedBy.stack &&
    marker.name === managedBy.name
  );
}

/** True when `held` is exactly `wanted` (so no write is needed to store `wanted`); a v1 marker never is. */
export function sameMarker(held: ManagedByMarker | undefined, wanted: MarkerV2): boolean {
  return (
    held?.v === MARKER_VERSION &&
    markerMatches(held, wanted) &&
    held.ownerId === wanted.ownerId &&
    held.instanceId === wanted.instanceId &&
    held.adopted === wanted.adopted
  );
}

/** Private metadata as the user declared it: the marker removed, so it never shows as drift. */
export function stripMarker(privateMetadata: JsonObject | null | undefined): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(privateMetadata ?? {})) if (k !== MARKER_KEY) out[k] = v;
  return out;
}

/**
 * Private metadata to send to Clerk: the declared metadata plus the marker of `managedBy` (v2 with `ownership`;
 * see `markerFor`). Without `managedBy` the marker key is only removed.
 */
export function withMarker(
  privateMetadata: JsonObject | undefined,
  managedBy: ManagedBy | undefined,
  ownership?: Ownership,
): JsonObject {
  const out = stripMarker(privateMetadata);
  if (managedBy) out[MARKER_KEY] = markerFor(managedBy, ownership) as unknown as JsonObject;
  return out;
}
