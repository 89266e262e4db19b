import type { AbortableClock } from "./clock";
import { NO_PEERS, type PeerView, type SharedWindow } from "./sharedWindow";
import type { Clock } from "./types";

/**
 * Client-side mirror of Clerk's server-side sliding-window rate limit.
 *
 * Why a sliding window and not a token bucket: Clerk counts requests in a sliding 10-s window. A bucket that
 * starts full and refills continuously can send 2× the limit inside one window and earn 429s. This limiter
 * keeps the grant timestamps of the last window and grants a request only while fewer than `limit` grants
 * lie in `(now - windowMs, now]`. So no half-open window `[t, t + windowMs)` ever holds more than `limit`
 * grants, and yet the full rate is reached: `limit` grants at once, the next `limit` exactly one window later.
 *
 * Grants are FIFO: a later caller is never served before an earlier one, so nobody starves.
 *
 * A grant counts from the moment it is made until one window after its answer (`Grant.answered()` moves its
 * timestamp to the answer): Clerk counts a request when it arrives, somewhere between our send and the answer, so
 * a request that took a while to arrive (a busy network or server) cannot make the next window overfull. A request
 * Clerk refused with 429 did not use the limit: `answered(false)` gives its slot back (the pause covers the wait).
 *
 * The limit can change while waiters wait (`setLimit`: the adaptive limiter lowers it on 429 and raises it while
 * requests succeed). After Clerk said 429 the scheduler asks for a probe (`probeNext`): the next grant goes out
 * alone and nobody else is granted until its answer is in, so a still-blocked instance costs one more 429, not
 * one per waiter. With a `shared` window, the grants that other processes on this machine announced count too:
 * ours stay below `limit`, and ours and theirs together below the limit we started with (the configured one);
 * the longest pause any of them was asked for holds us as well (see sharedWindow.ts).
 */
export interface SlidingWindowLimiter {
  /** Resolves when the caller may send one request; the grant is counted at the moment it is made. */
  acquire(): Promise<Grant>;
  /**
   * Like `acquire`, but the grant is counted only when the returned reservation is committed (at commit time)
   * and nobody else is granted until then. Use it when more waiting happens between the grant and the actual
   * send (e.g. the per-user limit is reserved, then the instance limit is awaited): the recorded timestamp is
   * then the real send time, which keeps the window honest on the wire. Not for limiters with a shared window.
   */
  reserve(): Promise<Reservation>;
  /** Nobody is granted before `epochMs` (Clerk's Retry-After). Only ever extends an existing pause. */
  pauseUntil(epochMs: number): void;
  /** True when nothing is queued or reserved, no pause is pending and the window holds no grants. */
  isIdle(): boolean;
  /** Waiters not yet granted. */
  queued(): number;
  /**
   * Changes the most grants per window from now on. Lowering never revokes a grant already made: while the
   * window holds more than the new limit, nobody is granted.
   */
  setLimit(limit: number): void;
  /** The current most grants per window. */
  limit(): number;
  /** The next `acquire` grant is a probe: nobody else is granted until it is `answered()`. */
  probeNext(): void;
}

/** What `acquire` grants. */
export interface Grant {
  /** True when this request is a probe (see `probeNext`). */
  readonly probe: boolean;
  /**
   * The request got its answer (or failed, or we stopped waiting): from now on it counts from this moment, or, if
   * `counted` is false (Clerk refused it with 429), not at all. A probe lets the next waiter in. Idempotent.
   */
  answered(counted?: boolean): void;
}

/** A grant held by `reserve()`: exactly one of `commit` or `cancel` must be called. */
export interface Reservation {
  /** Counts the grant now (the request is being sent) and lets the next waiter in. */
  commit(): void;
  /** Gives the grant back uncounted. */
  cancel(): void;
}

export interface SlidingWindowLimiterParams {
  /** Most grants in any window of `windowMs`. */
  limit: number;
  windowMs: number;
  clock: Clock;
  /** Other processes' grants on the same instance (same-machine coordination). */
  shared?: SharedWindow;
  /** Uniform in [0, 1): the wait after two processes took the same slot. @default Math.random */
  random?: () => number;
}

/** After a collision on the shared window, wait up to this long before trying again. */
export const COLLISION_BACKOFF_MS = 25;

type Waiter = { reserve: false; resolve: (g: Grant) => void } | { reserve: true; resolve: (r: Reservation) => void };

function checkLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
}

export function createSlidingWindowLimiter({
  limit: initialLimit,
  windowMs,
  clock,
  shared,
  random = Math.random,
}: SlidingWindowLimiterParams): SlidingWindowLimiter {
  checkLimit(initialLimit);
  if (!(windowMs > 0)) throw new RangeError(`windowMs must be positive, got ${windowMs}`);
  let limit = initialLimit;
  /** What the whole machine may send: the configured limit (the adaptive one only ever lowers our own part). */
  const peerLimit = initialLimit;

  /** Grant times inside the current window, ascending. */
  const stamps: number[] = [];
  const waiters: Waiter[] = [];
  let pausedUntil = Number.NEGATIVE_INFINITY;
  let reservationOpen = false;
  /** A probe is wanted next / is out and not yet answered. */
  let probeWanted = false;
  let probeOpen = false;
  /** Not before this instant after a collision on the shared window. */
  let backoffUntil = Number.NEGATIVE_INFINITY;
  let pumping = false;
  /** Ends the pump's current sleep early (a raised limit may let the head in sooner). */
  let wake: AbortController | undefined;

  const prune = (now: number): void => {
    while (stamps.length > 0 && (stamps[0] as number) <= now - windowMs) stamps.shift();
  };

  const peers = (now: number): PeerView => (shared ? shared.others(now) : NO_PEERS);
  const announce = (): void => shared?.announce(stamps, pausedUntil, clock.now());

  /**
   * Earliest time the head waiter could be granted: our own grants stay below `limit`, and with peers, ours and
   * theirs together stay below `peerLimit` (the configured limit); nobody goes during a pause or a back-off.
   */
  const nextGrantAt = (now: number, view: PeerView): number => {
    const own = freeAt(stamps, limit, windowMs, now);
    const all = view.stamps.length === 0 ? now : freeAt(merge(stamps, view.stamps), peerLimit, windowMs, now);
    return Math.max(own, all, pausedUntil, view.pausedUntil, backoffUntil);
  };

  /**
   * Counts a grant at `now`. With a shared window the grant is announced first and then checked against what the
   * peers announced; if together they overfill the window (a peer took the same slot), it is withdrawn.
   */
  const take = (now: number): boolean => {
    stamps.push(now);
    if (!shared) return true;
    announce();
    const view = shared.others(now);
    if (view.stamps.length + stamps.length <= peerLimit && view.pausedUntil <= now) return true;
    stamps.pop();
    announce();
    backoffUntil = now + Math.floor(random() * COLLISION_BACKOFF_MS) + 1;
    return false;
  };

  /** Moves one grant's timestamp from its send to its answer, or drops it when it did not count. */
  const restamp = (sentAt: number, counted: boolean): void => {
    const t = clock.now();
    const i = indexOf(stamps, sentAt);
    if (i >= 0) stamps.splice(i, 1);
    prune(t);
    if (counted) stamps.splice(insertionPoint(stamps, t), 0, t);
    announce();
  };

  const grantHead = (now: number): boolean => {
    const w = waiters[0] as Waiter;
    if (!w.reserve) {
      if (!take(now)) return false;
      waiters.shift();
      const probe = probeWanted;
      if (probe) {
        probeWanted = false;
        probeOpen = true;
      }
      let answered = false;
      w.resolve({
        probe,
        answered: (counted = true) => {
          if (answered) return;
          answered = true;
          restamp(now, counted);
          if (!probe) return;
          probeOpen = false;
          void pump();
        },
      });
      return true;
    }
    waiters.shift();
    reservationOpen = true;
    let done = false;
    const finish = (count: boolean): void => {
      if (done) return;
      done = true;
      if (count) {
        const t = clock.now();
        prune(t);
        stamps.push(t);
        announce();
      }
      reservationOpen = false;
      void pump();
    };
    w.resolve({ commit: () => finish(true), cancel: () => finish(false) });
    return true;
  };

  /** Single loop that serves waiters in order; it sleeps until the head can be granted. */
  const pump = async (): Promise<void> => {
    if (pumping) return;
    pumping = true;
    try {
      while (waiters.length > 0 && !reservationOpen && !probeOpen) {
        const now = clock.now();
        prune(now);
        const at = nextGrantAt(now, peers(now));
        if (at <= now && grantHead(now)) continue;
        // A pause may be extended while we sleep, and peers may take slots: the loop then simply sleeps again.
        // A raised limit wakes us early.
        wake = new AbortController();
        await (clock as AbortableClock).sleep(Math.max(at, backoffUntil) - now, wake.signal);
        wake = undefined;
      }
    } finally {
      pumping = false;
    }
  };

  return {
    acquire(): Promise<Grant> {
      return new Promise<Grant>((resolve) => {
        waiters.push({ reserve: false, resolve });
        void pump();
      });
    },
    reserve(): Promise<Reservation> {
      return new Promise<Reservation>((resolve) => {
        waiters.push({ reserve: true, resolve });
        void pump();
      });
    },
    pauseUntil(epochMs: number): void {
      if (epochMs <= pausedUntil) return;
      pausedUntil = epochMs;
      announce();
    },
    isIdle(): boolean {
      const now = clock.now();
      prune(now);
      return waiters.length === 0 && !reservationOpen && !probeOpen && stamps.length === 0 && pausedUntil <= now;
    },
    queued: () => waiters.length,
    setLimit(next: number): void {
      checkLimit(next);
      const raised = next > limit;
      limit = next;
      if (raised) wake?.abort();
    },
    limit: () => limit,
    probeNext(): void {
      probeWanted = true;
    },
  };
}

/** Index of a value equal to `t` in ascending `xs`, or -1. */
function indexOf(xs: readonly number[], t: number): number {
  const i = insertionPoint(xs, t) - 1;
  return i >= 0 && xs[i] === t ? i : -1;
}

/** First index whose value is greater than `t` in ascending `xs`. */
function insertionPoint(xs: readonly number[], t: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((xs[mid] as number) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** When `stamps` (ascending) leave room for one more grant under `limit`. */
function freeAt(stamps: readonly number[], limit: number, windowMs: number, now: number): number {
  return stamps.length < limit ? now : (stamps[stamps.length - limit] as number) + windowMs;
}

/** Merges two ascending arrays. */
function merge(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = new Array<number>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length)
    out[k++] = (a[i] as number) <= (b[j] as number) ? (a[i++] as number) : (b[j++] as number);
  while (i < a.length) out[k++] = a[i++] as number;
  while (j < b.length) out[k++] = b[j++] as number;
  return out;
}
