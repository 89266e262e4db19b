/**
 * The parts of an update plan every kind shares, from its field table: the attributes one PATCH writes, and the
 * metadata writes (replaced through PUT, or merged through PATCH with `null` for removed keys). Pure.
 */
import { MARKER_KEY, stripMarker, withMarker, type Ownership } from "../marker/managedByMarker";
import type { FieldSpec, FieldTable } from "../model/fields";
import type { JsonObject } from "../model/json";
import type { ManagedBy } from "../model/UserInputs";
import { managedWhen, sameFor } from "./compare";
import { blankToUndefined, metadataOrEmpty } from "./fieldValues";
import { jsonEquals } from "./jsonEquals";
import { mergePatchFor } from "./mergePatch";
import { isoFromMillis } from "./rfc3339";

type Bag = Record<string, unknown>;

export interface PlanOptions {
  /** The resource's claim, written into the marker (a v1 marker is upgraded on this write). */
  ownership?: Ownership;
  /** The resource existed before: fields the program does not declare are left as Clerk holds them. */
  adopted?: boolean;
}

/** What Clerk holds for a field, in input shape for comparison (timestamps as RFC 3339). */
export function heldValue(spec: FieldSpec, current: object): unknown {
  const held = spec.wire === undefined ? undefined : (current as Bag)[spec.wire];
  if (spec.compare === "instant") return typeof held === "number" ? isoFromMillis(held) : undefined;
  return held;
}

/**
 * PATCH params: Clerk-visible fields compared with `current` (the truth, after any out-of-band change), write-only
 * ones with `olds` (Clerk never returns them). A sent field brings its pair (when set) and its riders (when true).
 */
export function planPatch(table: FieldTable, current: object, olds: Bag, news: Bag, adopted: boolean): Bag {
  const patched = Object.entries(table).filter(([, f]) => f.update.via === "patch");
  const leads = patched.filter(([, f]) => !("ridesWith" in f.update) && !("pairedWith" in f.update));
  const followersOf = (lead: string, how: "ridesWith" | "pairedWith"): string[] =>
    patched.filter(([, f]) => (f.update as Bag)[how] === lead).map(([k]) => k);
  const p: Bag = {};
  for (const [key, spec] of leads) {
    const same = sameFor(spec);
    const want = news[key];
    const pairs = followersOf(key, "pairedWith");
    if (spec.writeOnly) {
      const before = spec.type === "stringList" ? (olds[key] ?? []) : olds[key];
      const changed = !same(before, want) || pairs.some((k) => !sameFor(table[k]!)(olds[k], news[k]));
      if (want === undefined || !changed) continue;
      p[key] = Array.isArray(want) ? [...(want as unknown[])] : want;
    } else {
      if (managedWhen(spec, adopted) === "declared" && (want === undefined || want === null)) continue;
      if (same(heldValue(spec, current), want)) continue;
      p[key] = spec.compare === "blank" ? (blankToUndefined(want) ?? null) : want;
    }
    for (const k of pairs) if (news[k] !== undefined) p[k] = news[k];
    for (const k of followersOf(key, "ridesWith")) if (news[k] === true) p[k] = true;
  }
  return p;
}

/**
 * Each metadata object of `via` that differs, as the program wants it whole. The marker-holding field always
 * carries the marker. Without `managedBy`, a marker Clerk already holds is kept: the provider does not silently
 * disown a resource. Fields managed only when declared are left alone when silent.
 */
function wantedMetadata(
  table: FieldTable,
  via: "metadata" | "mergeMetadata",
  current: object,
  news: Bag,
  opts: PlanOptions,
): [string, JsonObject, JsonObject][] {
  const out: [string, JsonObject, JsonObject][] = [];
  const managedBy = news["managedBy"] as ManagedBy | undefined;
  for (const [key, spec] of Object.entries(table)) {
    if (spec.update.via !== via) continue;
    const declared = news[key];
    const silent = declared === undefined || declared === null;
    const held = metadataOrEmpty(heldValue(spec, current));
    if (spec.holdsMarker) {
      // The marker is always written; an adopted resource's undeclared keys stay beside it.
      const base = silent && opts.adopted ? stripMarker(held) : (declared as JsonObject | undefined);
      const want = withMarker(base, managedBy, opts.ownership);
      if (!managedBy && held[MARKER_KEY] !== undefined) want[MARKER_KEY] = held[MARKER_KEY];
      if (!jsonEquals(want, held)) out.push([key, want, held]);
      continue;
    }
    if (managedWhen(spec, opts.adopted === true) === "declared" && silent) continue;
    const want = metadataOrEmpty(declared);
    if (!jsonEquals(want, held)) out.push([key, want, held]);
  }
  return out;
}

/** `PUT …/metadata` params: each metadata object that differs, whole (declarative: a removed key disappears). */
export function planMetadata(table: FieldTable, current: object, news: Bag, opts: PlanOptions): Bag {
  return Object.fromEntries(wantedMetadata(table, "metadata", current, news, opts).map(([k, want]) => [k, want]));
}

/**
 * `PATCH …/metadata` params for Clerk's deep merge: for each metadata object that differs, the merge patch that
 * turns what Clerk holds into what the program declares (`null` for every removed key, the marker kept).
 */
export function planMergeMetadata(table: FieldTable, current: object, news: Bag, opts: PlanOptions): Bag {
  return Object.fromEntries(
    wantedMetadata(table, "mergeMetadata", current, news, opts).map(([k, want, held]) => [
      k,
      mergePatchFor(held, want),
    ]),
  );
}
