import type { ClerkUserJSON } from "../model/wire";
import { readMarker, type ManagedByMarker } from "../marker/managedByMarker";
import { stackRefMatches, type StackRef } from "./stackRef";

/** What `list` and `delete` filter on. Every filter that is set must match; a user without a valid marker never does. */
export interface SweepFilters {
  /** `--project`: the marker's project, exactly. */
  project?: string;
  /** `--stack`: the marker's stack, exactly. */
  stack?: string;
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

/** A user the sweeper may act on, with the marker that proves this project created it. */
export interface SelectedUser {
  user: ClerkUserJSON;
  marker: ManagedByMarker;
  /** `now - created_at`, never negative. */
  ageMs: number;
}

/**
 * The users carrying a valid managed-by marker that match every filter, oldest first (ties by id).
 * Pure: no I/O, `now` injected.
 */
export function selectUsers(users: readonly ClerkUserJSON[], filters: SweepFilters, now: number): SelectedUser[] {
  const selected: SelectedUser[] = [];
  for (const user of users) {
    const marker = readMarker(user.private_metadata);
    if (!marker) continue;
    if (filters.project !== undefined && marker.project !== filters.project) continue;
    if (filters.stack !== undefined && marker.stack !== filters.stack) continue;
    const ageMs = Math.max(0, now - user.created_at);
    if (filters.olderThanMs !== undefined && !(ageMs > filters.olderThanMs)) continue;
    if (filters.keepStacks?.some((ref) => stackRefMatches(ref, marker))) continue;
    if (filters.liveStacks?.some((ref) => stackRefMatches(ref, marker))) continue;
    selected.push({ user, marker, ageMs });
  }
  return selected.sort((a, b) => a.user.created_at - b.user.created_at || compare(a.user.id, b.user.id));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
