import type { JsonObject } from "../model/json";
import {
  MARKER_VERSION,
  provenanceOf,
  readMarker,
  type ManagedByMarker,
  type Provenance,
} from "../marker/managedByMarker";
import { stackRefMatches, type StackRef } from "./stackRef";

/**
 * What the sweeper reads of a Clerk object, whatever its kind (a user, an organization): Clerk's JSON as listed.
 * The marker lives in `private_metadata` under the same key for every kind (`src/marker/managedByMarker.ts`).
 */
export interface Sweepable {
  id: string;
  /** Unix ms. */
  created_at: number;
  private_metadata?: JsonObject | null;
}

/** What `list` and `delete` filter on. Every filter that is set must match; an object without a valid marker never does. */
export interface SweepFilters {
  /** `--project` (repeatable): the marker's project is exactly one of these. */
  projects?: readonly string[];
  /** `--stack` (repeatable): the marker's stack is exactly one of these. */
  stacks?: readonly string[];
  /** `--older-than`: only objects created more than this many ms before `now`. */
  olderThanMs?: number;
  /** `--keep-stacks`: objects of these stacks are never selected. */
  keepStacks?: readonly StackRef[];
  /**
   * `--only-missing-stacks`: the stacks that still exist; only objects whose stack is *not* among them are selected.
   * `undefined` means the filter is off (an empty list means "no stack exists").
   */
  liveStacks?: readonly StackRef[];
}

/** An object the sweeper may act on, with the marker that proves pulumi-clerk manages it. */
export interface Selected<T extends Sweepable = Sweepable> {
  item: T;
  marker: ManagedByMarker;
  /** `created`, `adopted` (existed before pulumi-clerk took it over) or `unknown` (v1 marker). */
  provenance: Provenance;
  /** `now - created_at`, never negative. */
  ageMs: number;
}

/**
 * The objects carrying a valid managed-by marker that match every filter, oldest first (ties by id).
 * Pure: no I/O, `now` injected. Adopted ones are selected too (`list` shows them); `planDeletion` keeps them.
 */
export function selectMarked<T extends Sweepable>(
  items: readonly T[],
  filters: SweepFilters,
  now: number,
): Selected<T>[] {
  const selected: Selected<T>[] = [];
  for (const item of items) {
    const marker = readMarker(item.private_metadata);
    if (!marker) continue;
    if (filters.projects !== undefined && !filters.projects.includes(marker.project)) continue;
    if (filters.stacks !== undefined && !filters.stacks.includes(marker.stack)) continue;
    const ageMs = Math.max(0, now - item.created_at);
    if (filters.olderThanMs !== undefined && !(ageMs > filters.olderThanMs)) continue;
    if (filters.keepStacks?.some((ref) => stackRefMatches(ref, marker))) continue;
    if (filters.liveStacks?.some((ref) => stackRefMatches(ref, marker))) continue;
    selected.push({ item, marker, provenance: provenanceOf(marker), ageMs });
  }
  return selected.sort((a, b) => a.item.created_at - b.item.created_at || compare(a.item.id, b.item.id));
}

/** The number of objects that carry a valid marker at all (the "scanned" line). */
export function countMarked(items: readonly Sweepable[]): number {
  return items.filter((i) => readMarker(i.private_metadata) !== undefined).length;
}

/** True when planning `selected` needs the id of the instance the key belongs to (a v2 marker it might delete). */
export function needsInstanceId(selected: readonly Selected[]): boolean {
  return selected.some((s) => s.provenance === "created");
}

export interface PlanOptions {
  /** v1 markers are deletable (users with `--include-v1-markers`; never organizations: no release wrote one there). */
  includeV1Markers: boolean;
  /**
   * The instance the secret key belongs to (`GET /v1/instance`). A v2 marker naming any other instance was copied
   * here (an export/import, a migration), not written here: kept. `undefined` keeps every v2 marker.
   */
  instanceId: string | undefined;
}

/** What `delete` does with the selected objects. Every selected object lands in exactly one list, order kept. */
export interface DeletionPlan<T extends Sweepable = Sweepable> {
  deletable: Selected<T>[];
  /** Adopted: they existed before pulumi-clerk took them over. Never deleted, whatever the filters say. */
  keptAdopted: Selected<T>[];
  /** v1 markers cannot tell a created object from an adopted one: kept unless `includeV1Markers`. */
  keptV1: Selected<T>[];
  /** v2 markers written in another Clerk instance. */
  keptOtherInstance: Selected<T>[];
}

export function planDeletion<T extends Sweepable>(
  selected: readonly Selected<T>[],
  opts: PlanOptions,
): DeletionPlan<T> {
  const plan: DeletionPlan<T> = { deletable: [], keptAdopted: [], keptV1: [], keptOtherInstance: [] };
  for (const s of selected) {
    if (s.provenance === "adopted") plan.keptAdopted.push(s);
    else if (s.marker.v !== MARKER_VERSION) (opts.includeV1Markers ? plan.deletable : plan.keptV1).push(s);
    else if (s.marker.instanceId !== opts.instanceId) plan.keptOtherInstance.push(s);
    else plan.deletable.push(s);
  }
  return plan;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
