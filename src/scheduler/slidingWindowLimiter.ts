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
 */
export interface SlidingWindowLimiter {
  /** Resolves when the caller may send one request; the grant is counted at the moment it is made. */
  acquire(): Promise<void>;
  /**
   * Like `acquire`, but the grant is counted only when the returned reservation is committed (at commit time)
   * and nobody else is granted until then. Use it when more waiting happens between the grant and the actual
   * send (e.g. the per-user limit is reserved, then the instance limit is awaited): the recorded timestamp is
   * then the real send time, which keeps the window honest on the wire.
   */
  reserve(): Promise<Reservation>;
  /** Nobody is granted before `epochMs` (Clerk's Retry-After). Only ever extends an existing pause. */
  pauseUntil(epochMs: number): void;
  /** True when nothing is queued or reserved, no pause is pending and the window holds no grants. */
  isIdle(): boolean;
  /** Waiters not yet granted. */
  queued(): number;
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
}

type Waiter = { reserve: false; resolve: () => void } | { reserve: true; resolve: (r: Reservation) => void };

export function createSlidingWindowLimiter({
  limit,
  windowMs,
  clock,
}: SlidingWindowLimiterParams): SlidingWindowLimiter {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
  if (!(windowMs > 0)) throw new RangeError(`windowMs must be positive, got ${windowMs}`);

  /** Grant times inside the current window, ascending. */
  const stamps: number[] = [];
  const waiters: Waiter[] = [];
  let pausedUntil = Number.NEGATIVE_INFINITY;
  let reservationOpen = false;
  let pumping = false;

  const prune = (now: number): void => {
    while (stamps.length > 0 && (stamps[0] as number) <= now - windowMs) stamps.shift();
  };

  /** Earliest time the head waiter could be granted, given the window and the pause. */
  const nextGrantAt = (now: number): number => {
    const windowFreeAt = stamps.length < limit ? now : (stamps[stamps.length - limit] as number) + windowMs;
    return Math.max(now, pausedUntil, windowFreeAt);
  };

  const grantHead = (now: number): void => {
    const w = waiters.shift() as Waiter;
    if (!w.reserve) {
      stamps.push(now);
      w.resolve();
      return;
    }
    reservationOpen = true;
    let done = false;
    const finish = (count: boolean): void => {
      if (done) return;
      done = true;
      if (count) {
        const t = clock.now();
        prune(t);
        stamps.push(t);
      }
      reservationOpen = false;
      void pump();
    };
    w.resolve({ commit: () => finish(true), cancel: () => finish(false) });
  };

  /** Single loop that serves waiters in order; it sleeps until the head can be granted. */
  const pump = async (): Promise<void> => {
    if (pumping) return;
    pumping = true;
    try {
      while (waiters.length > 0 && !reservationOpen) {
        const now = clock.now();
        prune(now);
        const at = nextGrantAt(now);
        if (at <= now) {
          grantHead(now);
          continue;
        }
        // A pause may be extended while we sleep; the loop then simply sleeps again.
        await clock.sleep(at - now);
      }
    } finally {
      pumping = false;
    }
  };

  return {
    acquire(): Promise<void> {
      return new Promise<void>((resolve) => {
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
      if (epochMs > pausedUntil) pausedUntil = epochMs;
    },
    isIdle(): boolean {
      const now = clock.now();
      prune(now);
      return waiters.length === 0 && !reservationOpen && stamps.length === 0 && pausedUntil <= now;
    },
    queued: () => waiters.length,
  };
}
