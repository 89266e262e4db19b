import { pumpWaiters } from "./pumpWaiters";
import type { SharedWindow } from "./sharedWindow";
import { announce, checkLimit, createSlidingWindowState, prune } from "./slidingWindowState";
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
 * a request that took a while to arrive (a busy network or server) cannot make the next window overfull. A grant
 * still unanswered a whole window after it was made keeps its slot, as if made now, until its answer (a stalled
 * request may still arrive). A request Clerk refused with 429 did not use the limit: `answered(false)` gives its
 * slot back (the pause covers the wait).
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

export function createSlidingWindowLimiter({
  limit,
  windowMs,
  clock,
  shared,
  random = Math.random,
}: SlidingWindowLimiterParams): SlidingWindowLimiter {
  checkLimit(limit);
  if (!(windowMs > 0)) throw new RangeError(`windowMs must be positive, got ${windowMs}`);
  const s = createSlidingWindowState({ limit, windowMs, clock, shared, random });
  return {
    acquire(): Promise<Grant> {
      return new Promise<Grant>((resolve) => {
        s.waiters.push({ reserve: false, resolve });
        void pumpWaiters(s);
      });
    },
    reserve(): Promise<Reservation> {
      return new Promise<Reservation>((resolve) => {
        s.waiters.push({ reserve: true, resolve });
        void pumpWaiters(s);
      });
    },
    pauseUntil(epochMs: number): void {
      if (epochMs <= s.pausedUntil) return;
      s.pausedUntil = epochMs;
      announce(s);
    },
    isIdle(): boolean {
      const now = clock.now();
      prune(s, now);
      return (
        s.waiters.length === 0 &&
        !s.reservationOpen &&
        !s.probeOpen &&
        s.stamps.length === 0 &&
        s.inFlight.length === 0 &&
        s.pausedUntil <= now
      );
    },
    queued: () => s.waiters.length,
    setLimit(next: number): void {
      checkLimit(next);
      const raised = next > s.limit;
      s.limit = next;
      if (raised) s.wake?.abort();
    },
    limit: () => s.limit,
    probeNext(): void {
      s.probeWanted = true;
    },
  };
}
