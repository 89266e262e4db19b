import { stripMarker, type Ownership } from "../marker/managedByMarker";
import type { FieldSpec, FieldTable } from "../model/fields";
import type { JsonObject } from "../model/json";
import { USER_FIELDS, USER_OUTPUTS } from "../model/user";
import { WRITE_ONLY_KEYS, type UserInputs } from "../model/UserInputs";
import type { UserOutputs } from "../model/UserOutputs";
import type { ClerkUserJSON } from "../model/wire";
import { managedWhen } from "./compare";
import { heldIdentifiers } from "./heldIdentifiers";
import { holdsIdentifiers, orderIdentifiers } from "./identifiers";
import { isPlainObject } from "./isPlainObject";
import { jsonEquals } from "./jsonEquals";
import { isoFromMillis, sameInstant } from "./rfc3339";

/**
 * Mapping Clerk's user back into input shape, for the state (`toOutputs`) and for a refresh (`toReadInputs`),
 * field by field from the field table.
 *
 * How `null` (and missing) Clerk fields map, chosen so that create → toOutputs → diff(outputs, sameInputs)
 * reports nothing and a refresh with no out-of-band change reproduces the previous inputs exactly:
 * - Clerk answers `null` for an unset string. A declared `""` maps back to `""` (Clerk's way of holding
 *   "empty"); a declared non-empty value with `null` in Clerk is omitted, so it shows as the drift it is.
 *   Not declared and `null` → omitted.
 * - A field missing from Clerk's payload (older API versions omit `locale`, `unsafe_metadata`,
 *   `create_organizations_limit`, `bypass_client_trust`) says nothing: the declared value is carried over.
 * - Metadata: `{}` in Clerk with nothing declared is omitted; when Clerk's value equals the declared one
 *   (key-order-insensitively), the declared object is kept so the state does not churn on key order.
 * - `createOrganizationsLimit` `null` reads as a declared `0` ("0 means unlimited"), else omitted.
 * - Identifier lists: primary first, then the declared ones in the declared order (and spelling, since emails
 *   match case-insensitively), then any others in Clerk's order. Omitted when none are held or declared.
 */

type Bag = Record<string, unknown>;

/** What the state holds beyond Clerk's user and the inputs. */
export interface OutputExtras {
  generatedPassword?: string | undefined;
  /** The resource's claim on the user, recorded as `ownerId`, `instanceId` and `adopted` (where known). */
  ownership?: Partial<Ownership> | undefined;
}
const FIELDS = USER_FIELDS as FieldTable;
/** Fields Clerk returns (other than identifier lists, which map as a whole). */
const READ_BACK = Object.entries(FIELDS).filter(([, f]) => f.wire !== undefined && f.compare !== "identifiers");

function mapString(held: unknown, declared: unknown): string | undefined {
  if (held === undefined) return typeof declared === "string" ? declared : undefined;
  if (held === null || held === "") return declared === "" ? "" : undefined;
  return held as string;
}

function mapMetadata(held: unknown, declared: unknown): JsonObject | undefined {
  const d = isPlainObject(declared) ? (declared as JsonObject) : undefined;
  if (held === undefined) return d;
  const value = (held ?? {}) as JsonObject;
  if (d !== undefined && jsonEquals(value, d)) return d;
  if (d === undefined && Object.keys(value).length === 0) return undefined;
  return value;
}

function mapLimit(held: unknown, declared: unknown): number | undefined {
  if (typeof held === "number") return held;
  if (held === undefined) return typeof declared === "number" ? declared : undefined;
  return declared === 0 ? 0 : undefined;
}

/** Clerk's value of a field as its wire holds it (private metadata without the marker). */
function wireValue(spec: FieldSpec, user: ClerkUserJSON): unknown {
  const held = (user as unknown as Bag)[spec.wire as string];
  return spec.holdsMarker && held !== undefined ? stripMarker(held as JsonObject | null) : held;
}

/** The state value of one field: Clerk's when it has one, else (where Clerk is silent) the declared. */
function outputValue(spec: FieldSpec, held: unknown, declared: unknown): unknown {
  switch (spec.compare) {
    case "blank":
      return mapString(held, declared);
    case "metadata":
      return mapMetadata(held, declared);
    case "zeroIfAbsent":
      return mapLimit(held, declared);
    case "instant":
      return typeof held === "number" ? isoFromMillis(held) : undefined;
    default:
      if (typeof held === "boolean") return held;
      return typeof declared === "boolean" ? declared : undefined;
  }
}

/** The refreshed input value of one field, given the previous input (see `toReadInputs`). */
function readValue(spec: FieldSpec, held: unknown, previous: unknown): unknown {
  switch (spec.compare) {
    case "instant":
      if (held === undefined) return previous;
      if (held === null) return undefined;
      return sameInstant(previous, isoFromMillis(held as number)) ? previous : isoFromMillis(held as number);
    case "falseIfAbsent":
      return held === true;
    case "strict":
      return typeof held === "boolean" ? held : previous;
    default:
      return outputValue(spec, held, previous);
  }
}

function mapIdentifiers(user: ClerkUserJSON, declared: Bag, out: Bag): void {
  for (const { field, kind, primaryId, held } of heldIdentifiers(FIELDS, user)) {
    const d = Array.isArray(declared[field]) ? (declared[field] as string[]) : undefined;
    if (d === undefined && held.length === 0) continue;
    out[field] = orderIdentifiers(kind, held, primaryId, d);
  }
}

/**
 * An adopted user's identifier lists are additive (decision 0011): a declared list Clerk holds (with anything
 * else the person has) reads as the declared list, and an undeclared one is not the program's business. So the
 * state and a refresh say what the program said, and the person's other addresses are never drift.
 */
function keepAdoptedLists(user: ClerkUserJSON, declared: Bag, out: Bag): void {
  for (const { field, kind } of heldIdentifiers(FIELDS, user)) {
    const d = declared[field];
    if (!Array.isArray(d)) delete out[field];
    else if (holdsIdentifiers(kind, out[field] as string[], d as string[])) out[field] = [...(d as string[])];
  }
}

function copyWriteOnly(from: Bag, out: Bag): void {
  for (const key of WRITE_ONLY_KEYS) {
    const v = from[key];
    if (v !== undefined && v !== null) out[key] = Array.isArray(v) ? [...(v as unknown[])] : v;
  }
  if (isPlainObject(from["managedBy"])) out["managedBy"] = { ...from["managedBy"] };
}

/**
 * The state after create, update or refresh: Clerk's fields in input shape (see the module comment for `null`
 * handling), private metadata without the marker, timestamps as ISO strings from Clerk's milliseconds, the
 * write-only inputs and `managedBy` copied from `inputs`, Clerk's computed outputs, and `generatedPassword`
 * when one was generated. Keys are omitted rather than `undefined`.
 */
export function toOutputs(user: ClerkUserJSON, inputs: UserInputs, extras: OutputExtras = {}): UserOutputs {
  const declared = inputs as Bag;
  const out: Bag = {};
  mapIdentifiers(user, declared, out);
  if (extras.ownership?.adopted === true) keepAdoptedLists(user, declared, out);
  for (const [key, spec] of READ_BACK) {
    const v = outputValue(spec, wireValue(spec, user), declared[key]);
    if (v !== undefined) out[key] = v;
  }
  copyWriteOnly(declared, out);
  if (extras.generatedPassword !== undefined) out["generatedPassword"] = extras.generatedPassword;
  for (const [key, value] of Object.entries(extras.ownership ?? {})) if (value !== undefined) out[key] = value;
  for (const [key, spec] of Object.entries(USER_OUTPUTS)) {
    if ("wire" in spec) out[key] = (user as unknown as Bag)[spec.wire] ?? null;
  }
  return out as unknown as UserOutputs;
}

/**
 * The inputs as Clerk now holds them, for `read` (refresh), so that the next diff starts from reality:
 * with no out-of-band change the result equals `previousInputs` exactly; drift (a name edited in the
 * dashboard, a metadata key added, an email removed) shows as the new value.
 *
 * A field managed when silent is included when `previousInputs` had it or Clerk holds a non-default value
 * (names, username, externalId, locale and metadata non-empty, identifier lists non-empty, `banned` true).
 * A field managed only when declared (unsafeMetadata, locked, the instance-defaulted settings, the limit,
 * the timestamps) appears only if previously declared; timestamps keep the previous spelling when they name
 * the same instant. Write-only inputs and `managedBy` are carried over from `previousInputs`.
 */
export function toReadInputs(user: ClerkUserJSON, previousInputs: UserInputs, adopted = false): UserInputs {
  const prev = previousInputs as Bag;
  const has = (key: string): boolean => prev[key] !== undefined && prev[key] !== null;
  const out: Bag = {};
  mapIdentifiers(user, prev, out);
  if (adopted) keepAdoptedLists(user, prev, out);
  for (const [key, spec] of READ_BACK) {
    if (managedWhen(spec, adopted) === "declared" && !has(key)) continue;
    const v = readValue(spec, wireValue(spec, user), prev[key]);
    // A boolean managed when silent (banned) shows only when declared or set in Clerk.
    if (v === undefined || (v === false && spec.compare === "falseIfAbsent" && !has(key))) continue;
    out[key] = v;
  }
  copyWriteOnly(prev, out);
  return out as UserInputs;
}
