import { NO_PEERS, type PeerView, type SharedWindow } from "./sharedWindow";
import { freeAt, indexOf, insertionPoint, merge, pruneStamps } from "./sortedStamps";
import type { Grant, Reservation } from "./slidingWindowLimiter";
import type { Clock } from "./types";

/** After a collision on the shared window, wait up to this long before trying again. */
export const COLLISION_BACKOFF_MS = 25;

export type Waiter =
  { reserve: false; resolve: (g: Grant) => void } | { reserve: true; resolve: (r: Reservation) => void };

/** Everything one sliding-window limiter remembers; the functions below and `pumpWaiters` work on it. */
export interface SlidingWindowState {
  limit: number;
  /** What the whole machine may send: the configured limit (the adaptive one only ever lowers our own part). */
  readonly peerLimit: number;
  readonly windowMs: number;
  readonly clock: Clock;
  readonly shared: SharedWindow | undefined;
  readonly random: () => number;
  /** Grant times inside the current window, ascending. */
  readonly stamps: number[];
  /**
   * Times of the grants not answered yet, ascending. One older than a window has left `stamps` but still counts, as
   * if made now: Clerk counts a request when it arrives, and it has not arrived yet, or its answer is still coming.
   */
  readonly inFlight: number[];
  readonly waiters: Waiter[];
  pausedUntil: number;
  reservationOpen: boolean;
  /** A probe is wanted next / is out and not yet answered. */
  probeWanted: boolean;
  probeOpen: boolean;
  /** Not before this instant after a collision on the shared window. */
  backoffUntil: number;
  pumping: boolean;
  /** Ends the pump's current sleep early (a raised limit may let the head in sooner). */
  wake: AbortController | undefined;
}

/** A limiter's state before its first grant: nothing counted, nobody waiting, no pause. */
export function createSlidingWindowState(p: {
  limit: number;
  windowMs: number;
  clock: Clock;
  shared: SharedWindow | undefined;
  random: () => number;
}): SlidingWindowState {
  return {
    ...p,
    peerLimit: p.limit,
    stamps: [],
    inFlight: [],
    waiters: [],
    pausedUntil: Number.NEGATIVE_INFINITY,
    reservationOpen: false,
    probeWanted: false,
    probeOpen: false,
    backoffUntil: Number.NEGATIVE_INFINITY,
    pumping: false,
    wake: undefined,
  };
}

export function checkLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
}

export function prune(s: SlidingWindowState, now: number): void {
  pruneStamps(s.stamps, now, s.windowMs);
}

/** Grants made a window or more ago and still unanswered: they hold their slots until their answers. */
export function pinned(s: SlidingWindowState, now: number): number {
  return insertionPoint(s.inFlight, now - s.windowMs);
}

export function peers(s: SlidingWindowState, now: number): PeerView {
  return s.shared ? s.shared.others(now) : NO_PEERS;
}

/** Tells the peers our grants in the window, our pause, and which grants await their answers (they may pin). */
export function announce(s: SlidingWindowState): void {
  s.shared?.announce(s.stamps, s.pausedUntil, s.clock.now(), s.inFlight);
}

/**
 * Earliest time the head waiter could be granted: our own grants stay below `limit`, and with peers, ours and
 * theirs together stay below `peerLimit` (the configured limit); nobody goes during a pause or a back-off.
 */
export function nextGrantAt(s: SlidingWindowState, now: number, view: PeerView): number {
  // Pinned grants are the newest of all (made "now"): they take the last slots and free none before an answer.
  const held = pinned(s, now);
  const own = held >= s.limit ? Infinity : freeAt(s.stamps, s.limit - held, s.windowMs, now);
  const all =
    view.stamps.length === 0 && held === 0
      ? now
      : held >= s.peerLimit
        ? Infinity
        : freeAt(merge(s.stamps, view.stamps), s.peerLimit - held, s.windowMs, now);
  return Math.max(own, all, s.pausedUntil, view.pausedUntil, s.backoffUntil);
}

/**
 * Counts a grant at `now`. With a shared window the grant is announced first and then checked against what the
 * peers announced; if together they overfill the window (a peer took the same slot), it is withdrawn.
 */
export function take(s: SlidingWindowState, now: number): boolean {
  s.stamps.push(now);
  s.inFlight.push(now);
  if (!s.shared) return true;
  announce(s);
  const view = s.shared.others(now);
  if (view.stamps.length + s.stamps.length + pinned(s, now) <= s.peerLimit && view.pausedUntil <= now) return true;
  s.stamps.pop();
  s.inFlight.pop();
  announce(s);
  s.backoffUntil = now + Math.floor(s.random() * COLLISION_BACKOFF_MS) + 1;
  return false;
}

/**
 * Moves one grant's timestamp from its send to its answer, or drops it when it did not count. True when the grant
 * was pinned (unanswered for a window or more): its answer may free a slot now, so the waiters should look again.
 */
export function restamp(s: SlidingWindowState, sentAt: number, counted: boolean): boolean {
  const t = s.clock.now();
  const wasPinned = sentAt <= t - s.windowMs;
  const j = indexOf(s.inFlight, sentAt);
  if (j >= 0) s.inFlight.splice(j, 1);
  const i = indexOf(s.stamps, sentAt);
  if (i >= 0) s.stamps.splice(i, 1);
  prune(s, t);
  if (counted) s.stamps.splice(insertionPoint(s.stamps, t), 0, t);
  announce(s);
  return wasPinned;
}
