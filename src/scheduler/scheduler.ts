import { createBackoff } from "./backoff";
import { classifyError } from "./classifyError";
import { systemClock, type AbortableClock } from "./clock";
import { createConcurrencyLimiter } from "./concurrencyLimiter";
import { createKeyedSlidingWindowLimiter } from "./keyedSlidingWindowLimiter";
import { RequestTimeoutError } from "./RequestTimeoutError";
import { RetryBudgetExhaustedError } from "./RetryBudgetExhaustedError";
import { createSlidingWindowLimiter, type Reservation } from "./slidingWindowLimiter";
import type { RequestSpec, Scheduler, SchedulerOptions, SchedulerStats } from "./types";

/** Clerk's rate-limit window. */
export const CLERK_WINDOW_MS = 10_000;

/**
 * Added to Clerk's window by the scheduler's limiters. We stamp a request when we hand it to the SDK; Clerk
 * counts it when it arrives. If an early request arrives late (new TLS connection) and a request one window
 * later arrives fast, Clerk sees both in one window. 250 ms absorbs that jitter for 2.5 % of throughput.
 */
export const WINDOW_SAFETY_MS = 250;

/** Defaults of `SchedulerOptions`, as documented in types.ts. */
export const SCHEDULER_DEFAULTS = {
  maxUserWritesPer10s: 10,
  maxConcurrency: 16,
  requestTimeoutMs: 30_000,
  retryBudgetMs: 300_000,
  backoffBaseMs: 250,
  backoffMaxMs: 15_000,
} as const;

/**
 * The one gate every Clerk request of an instance passes through. Per attempt, in this order:
 *
 * 1. per-user write reservation (only for `spec.userWrite`), taken *before* a concurrency slot so writes
 *    piling up on one user do not occupy slots other users need;
 * 2. a concurrency slot (FIFO by arrival; retries keep their place);
 * 3. the instance-wide sliding window, acquired last so the grant is stamped right before the send,
 *    then the per-user reservation is committed with the same send time;
 * 4. the attempt, raced against `requestTimeoutMs` (the SDK call cannot be aborted, so we only stop waiting).
 *
 * A failure is classified: not retryable → rethrown as is. Retryable → the slot is released (a sleeping
 * retry must not hold a slot), a 429 pauses the *whole* instance window until Retry-After (Clerk blocks the
 * endpoint for everyone, so sending more only earns more 429s), the wait is logged, and we go again, unless
 * that wait would cross `retryBudgetMs` counted from the first send: then `RetryBudgetExhaustedError`.
 */
export function createScheduler(opts: SchedulerOptions): Scheduler {
  const limit = opts.maxRequestsPer10s;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`maxRequestsPer10s must be a positive integer, got ${limit}`);
  }
  const clock = (opts.clock ?? systemClock) as AbortableClock;
  const timeoutMs = opts.requestTimeoutMs ?? SCHEDULER_DEFAULTS.requestTimeoutMs;
  const budgetMs = opts.retryBudgetMs ?? SCHEDULER_DEFAULTS.retryBudgetMs;
  const classify = opts.classify ?? classifyError;
  const log = opts.log;
  const backoff = createBackoff({
    baseMs: opts.backoffBaseMs ?? SCHEDULER_DEFAULTS.backoffBaseMs,
    maxMs: opts.backoffMaxMs ?? SCHEDULER_DEFAULTS.backoffMaxMs,
    random: opts.random ?? Math.random,
  });
  const windowMs = CLERK_WINDOW_MS + WINDOW_SAFETY_MS;
  const instance = createSlidingWindowLimiter({ limit, windowMs, clock });
  const userWrites = createKeyedSlidingWindowLimiter({
    limit: opts.maxUserWritesPer10s ?? SCHEDULER_DEFAULTS.maxUserWritesPer10s,
    windowMs,
    clock,
  });
  const slots = createConcurrencyLimiter(opts.maxConcurrency ?? SCHEDULER_DEFAULTS.maxConcurrency);

  let nextTicket = 0;
  const counters = { sent: 0, retried: 0, throttled: 0, inFlight: 0, queued: 0 };

  async function run<T>(spec: RequestSpec, attempt: () => Promise<T>): Promise<T> {
    const ticket = nextTicket++;
    let attempts = 0;
    let firstSentAt: number | undefined;
    for (;;) {
      counters.queued++;
      let reservation: Reservation | undefined;
      let release: () => void;
      try {
        if (spec.userWrite !== undefined) reservation = await userWrites.reserve(spec.userWrite);
        release = await slots.acquire(ticket);
        await instance.acquire();
      } finally {
        counters.queued--;
      }
      reservation?.commit();
      attempts++;
      counters.sent++;
      counters.inFlight++;
      firstSentAt ??= clock.now();
      let error: unknown;
      try {
        return await withTimeout(attempt, timeoutMs, spec.label, clock);
      } catch (e) {
        error = e;
      } finally {
        counters.inFlight--;
        release();
      }

      const verdict = classify(error);
      if (!verdict.retry) throw error;
      const now = clock.now();
      if (verdict.retryAfterMs !== undefined) {
        counters.throttled++;
        instance.pauseUntil(now + verdict.retryAfterMs);
      }
      const delay = verdict.retryAfterMs ?? backoff(attempts);
      const elapsedMs = now - firstSentAt;
      if (elapsedMs + delay > budgetMs) {
        throw new RetryBudgetExhaustedError({
          label: spec.label,
          attempts,
          elapsedMs,
          budgetMs,
          reason: verdict.reason,
          cause: error,
        });
      }
      counters.retried++;
      try {
        const status = (error as { status?: unknown } | null)?.status;
        log?.(
          `Clerk ${spec.label}: ${verdict.reason}, retrying in ${(delay / 1000).toFixed(1)} s (attempt ${attempts + 1})`,
          {
            label: spec.label,
            reason: verdict.reason,
            ...(typeof status === "number" ? { status } : {}),
            attempt: attempts + 1,
            delayMs: delay,
          },
        );
      } catch {
        // A failing logger must not turn a retryable failure into a hard one.
      }
      await clock.sleep(delay);
    }
  }

  return {
    run,
    stats: (): SchedulerStats => ({ ...counters }),
  };
}

/**
 * Resolves or rejects like `attempt()`, or rejects with `RequestTimeoutError` after `timeoutMs`, whichever
 * comes first. The timer is aborted as soon as the race is decided so no 30-s timers pile up.
 * A non-positive or non-finite `timeoutMs` disables the timeout.
 */
async function withTimeout<T>(
  attempt: () => Promise<T>,
  timeoutMs: number,
  label: string,
  clock: AbortableClock,
): Promise<T> {
  if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs)) return attempt();
  const abort = new AbortController();
  // Throws only if it really timed out: after an abort nobody may be listening (e.g. `attempt` threw
  // synchronously), and a rejection then would be unhandled.
  const timeout = clock.sleep(timeoutMs, abort.signal).then((): never | undefined => {
    if (abort.signal.aborted) return undefined;
    throw new RequestTimeoutError(label, timeoutMs);
  });
  try {
    return (await Promise.race([attempt(), timeout])) as T;
  } finally {
    abort.abort();
  }
}
