import type { ClerkUserJSON } from "../model/wire";
import { provenanceOf, readMarker, type ManagedByMarker, type Provenance } from "../marker/managedByMarker";
import { stackRefMatches, type StackRef } from "./stackRef";

/** What `list` and `delete` filter on. Every filter that is set must match; a user without a valid marker never does. */
export interface SweepFilters {
  /** `--project` (repeatable): the marker's project is exactly one of these. */
  projects?: readonly string[];
  /** `--stack` (repeatable): the marker's stack is exactly one of these. */
  stacks?: readonly string[];
  /** `--older-than`: only users created more than this many ms before `now`. */
  olderThanMs?: number;
  /** `--keep-stacks`: users of these stacks are never selected. */
  keepStacks?: readonly StackRef[];
  /**
   * `--only-missing-stacks`: the stacks that still exist; only users whose stack is *not* among them are selected.
   * `undefined` means the filter is off (an empty list means "no stack exists").
   */
  liveStacks?: readonly StackRef[];
}

/** A user the sweeper may act on, with the marker that proves pulumi-clerk manages it. */
export interface SelectedUser {
  user: ClerkUserJSON;
  marker: ManagedByMarker;
  /** `created`, `adopted` (existed before pulumi-clerk took it over) or `unknown` (v1 marker). */
  provenance: Provenance;
  /** `now - created_at`, never negative. */
  ageMs: number;
}

/**
 * The users carrying a valid managed-by marker that match every filter, oldest first (ties by id).
 * Pure: no I/O, `now` injected. Adopted users are selected too (`list` shows them); `planDeletion` keeps them.
 */
export function selectUsers(users: readonly ClerkUserJSON[], filters: SweepFilters, now: number): SelectedUser[] {
  const selected: SelectedUser[] = [];
  for (const user of users) {
    const marker = readMarker(user.private_metadata);
    if (!marker) continue;
    if (filters.projects !== undefined && !filters.projects.includes(marker.project)) continue;
    if (filters.stacks !== undefined && !filters.stacks.includes(marker.stack)) continue;
    const ageMs = Math.max(0, now - user.created_at);
    if (filters.olderThanMs !== undefined && !(ageMs > filters.olderThanMs)) continue;
    if (filters.keepStacks?.some((ref) => stackRefMatches(ref, marker))) continue;
    if (filters.liveStacks?.some((ref) => stackRefMatches(ref, marker))) continue;
    selected.push({ user, marker, provenance: provenanceOf(marker), ageMs });
  }
  return selected.sort((a, b) => a.user.created_at - b.user.created_at || compare(a.user.id, b.user.id));
}

/** What `delete` does with the selected users. Every selected user lands in exactly one list, order kept. */
export interface DeletionPlan {
  deletable: SelectedUser[];
  /** Adopted users: they existed before pulumi-clerk took them over. Never deleted, whatever the filters say. */
  keptAdopted: SelectedUser[];
  /** v1 markers cannot tell a created user from an adopted one: kept unless `includeV1Markers`. */
  keptV1: SelectedUser[];
}

export function planDeletion(selected: readonly SelectedUser[], opts: { includeV1Markers: boolean }): DeletionPlan {
  const plan: DeletionPlan = { deletable: [], keptAdopted: [], keptV1: [] };
  for (const s of selected) {
    if (s.provenance === "adopted") plan.keptAdopted.push(s);
    else if (s.provenance === "unknown" && !opts.includeV1Markers) plan.keptV1.push(s);
    else plan.deletable.push(s);
  }
  return plan;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
