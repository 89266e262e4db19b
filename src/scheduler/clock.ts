import type { Clock } from "./types";

/**
 * A `Clock` whose `sleep` also accepts an `AbortSignal`. The scheduler races every attempt against a
 * timeout sleep; without cancellation each finished request would leave a 30-s timer behind that keeps the
 * process (and Jest) alive. Clocks that ignore the signal still work: the scheduler never relies on it for
 * correctness, only for tidiness.
 */
export interface AbortableClock extends Clock {
  /** Resolves after `ms`, or early (resolving, not rejecting) once `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * Real time, the default when no clock is injected. `now()` is monotonic (`performance.now()` offset to the
 * epoch), not `Date.now()`: a wall-clock step (NTP) must neither stall the limiter nor let it burst.
 */
export const systemClock: AbortableClock = {
  now: () => performance.timeOrigin + performance.now(),
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const onAbort = (): void => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(
        () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
        Math.max(0, ms),
      );
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  },
};
