import {
  createSlidingWindowLimiter,
  type Grant,
  type Reservation,
  type SlidingWindowLimiter,
} from "./slidingWindowLimiter";
import type { Clock } from "./types";

/**
 * One sliding-window limiter per key, for limits Clerk applies per resource: `PATCH /users/{id}` and the
 * metadata endpoints allow 10 writes per 10 s *per user*. Keys are created on first use and dropped once
 * idle (no waiters, no grants left in the window), so a run over 10 000 users does not keep 10 000 limiters.
 */
export interface KeyedSlidingWindowLimiter {
  acquire(key: string): Promise<Grant>;
  reserve(key: string): Promise<Reservation>;
  pauseUntil(key: string, epochMs: number): void;
  /** Keys currently tracked (idle keys are swept at most once per window). */
  size(): number;
}

export interface KeyedSlidingWindowLimiterParams {
  limit: number;
  windowMs: number;
  clock: Clock;
}

export function createKeyedSlidingWindowLimiter({
  limit,
  windowMs,
  clock,
}: KeyedSlidingWindowLimiterParams): KeyedSlidingWindowLimiter {
  const limiters = new Map<string, SlidingWindowLimiter>();
  let lastSweep = clock.now();

  /** Amortized cleanup: a full pass at most once per window, piggy-backed on normal calls. */
  const sweep = (): void => {
    const now = clock.now();
    if (now - lastSweep < windowMs) return;
    lastSweep = now;
    for (const [key, limiter] of limiters) if (limiter.isIdle()) limiters.delete(key);
  };

  const get = (key: string): SlidingWindowLimiter => {
    sweep();
    let limiter = limiters.get(key);
    if (limiter === undefined) {
      limiter = createSlidingWindowLimiter({ limit, windowMs, clock });
      limiters.set(key, limiter);
    }
    return limiter;
  };

  return {
    acquire: (key) => get(key).acquire(),
    reserve: (key) => get(key).reserve(),
    pauseUntil: (key, epochMs) => get(key).pauseUntil(epochMs),
    size(): number {
      sweep();
      return limiters.size;
    },
  };
}
