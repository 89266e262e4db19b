/**
 * Mapping a Clerk object (its wire JSON) back into input shape, field by field from a field table: for the state
 * (`mapFields`, `outputsOf`) and for a refresh (`readFields`, `readInputsOf`). See `toOutputs.ts` for how `null`
 * and missing values map; users add their identifier lists there.
 */
import { stripMarker, type Ownership } from "../marker/managedByMarker";
import type { FieldSpec, FieldTable, OutputTable } from "../model/fields";
import type { JsonObject } from "../model/json";
import { managedWhen } from "./compare";
import { isPlainObject } from "./isPlainObject";
import { jsonEquals } from "./jsonEquals";
import { isoFromMillis, sameInstant } from "./rfc3339";

type Bag = Record<string, unknown>;

/** Fields Clerk returns (other than identifier lists, which map as a whole). */
function readBack(table: FieldTable): [string, FieldSpec][] {
  return Object.entries(table).filter(([, f]) => f.wire !== undefined && f.compare !== "identifiers");
}

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

/** A scalar Clerk holds (a boolean, a string, a number); `undefined` for `null`, missing or anything else. */
function scalar(value: unknown): boolean | string | number | undefined {
  return typeof value === "boolean" || typeof value === "string" || typeof value === "number" ? value : undefined;
}

/** Clerk's value of a field as its wire holds it (private metadata without the marker). */
function wireValue(spec: FieldSpec, json: object): unknown {
  const held = (json as Bag)[spec.wire as string];
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
      return scalar(held) ?? scalar(declared);
  }
}

/** The refreshed input value of one field, given the previous input (see `readFields`). */
function readValue(spec: FieldSpec, held: unknown, previous: unknown): unknown {
  switch (spec.compare) {
    case "instant":
      if (held === undefined) return previous;
      if (held === null) return undefined;
      return sameInstant(previous, isoFromMillis(held as number)) ? previous : isoFromMillis(held as number);
    case "falseIfAbsent":
      return held === true;
    case "strict":
      return scalar(held) ?? previous;
    default:
      return outputValue(spec, held, previous);
  }
}

/** The state values of the fields Clerk returns, into `out` (keys omitted rather than `undefined`). */
export function mapFields(table: FieldTable, json: object, declared: Bag, out: Bag): void {
  for (const [key, spec] of readBack(table)) {
    const v = outputValue(spec, wireValue(spec, json), declared[key]);
    if (v !== undefined) out[key] = v;
  }
}

/**
 * The refreshed inputs of the fields Clerk returns, into `out`. A field managed when silent is included when
 * `prev` had it or Clerk holds a non-default value; one managed only when declared only if `prev` had it.
 */
export function readFields(table: FieldTable, json: object, prev: Bag, adopted: boolean, out: Bag): void {
  const has = (key: string): boolean => prev[key] !== undefined && prev[key] !== null;
  for (const [key, spec] of readBack(table)) {
    if (managedWhen(spec, adopted) === "declared" && !has(key)) continue;
    const v = readValue(spec, wireValue(spec, json), prev[key]);
    // A boolean managed when silent (banned) shows only when declared or set in Clerk.
    if (v === undefined || (v === false && spec.compare === "falseIfAbsent" && !has(key))) continue;
    out[key] = v;
  }
}

/** The write-only inputs (Clerk never returns them) and `managedBy`, carried from `from` into `out`. */
export function copyWriteOnly(table: FieldTable, from: Bag, out: Bag): void {
  for (const [key, spec] of Object.entries(table)) {
    if (!spec.writeOnly) continue;
    const v = from[key];
    if (v !== undefined && v !== null) out[key] = Array.isArray(v) ? [...(v as unknown[])] : v;
  }
  if (isPlainObject(from["managedBy"])) out["managedBy"] = { ...from["managedBy"] };
}

/** The resource's claim (`ownerId`, `instanceId`, `adopted`, where known) into `out`. */
export function copyOwnership(ownership: Partial<Ownership> | undefined, out: Bag): void {
  for (const [key, value] of Object.entries(ownership ?? {})) if (value !== undefined) out[key] = value;
}

/** The outputs the table copies from Clerk's attributes (`null` when Clerk has none). */
export function copyWireOutputs(outputs: OutputTable, json: object, out: Bag): void {
  for (const [key, spec] of Object.entries(outputs)) {
    if (spec.wire !== undefined) out[key] = (json as Bag)[spec.wire] ?? null;
  }
}

/** The state of a resource of a kind without identifier lists: `mapFields`, write-only, claim, wire outputs. */
export function outputsOf(
  table: FieldTable,
  outputs: OutputTable,
  json: object,
  inputs: Bag,
  ownership?: Partial<Ownership>,
): Bag {
  const out: Bag = {};
  mapFields(table, json, inputs, out);
  copyWriteOnly(table, inputs, out);
  copyOwnership(ownership, out);
  copyWireOutputs(outputs, json, out);
  return out;
}

/** The inputs as Clerk now holds them, for `read` (refresh), of a kind without identifier lists. */
export function readInputsOf(table: FieldTable, json: object, previous: Bag, adopted = false): Bag {
  const out: Bag = {};
  readFields(table, json, previous, adopted, out);
  copyWriteOnly(table, previous, out);
  return out;
}
