import { createAdaptiveLimiter } from "./adaptiveLimiter";
import { createBackoff } from "./backoff";
import { classifyError } from "./classifyError";
import { systemClock, type AbortableClock } from "./clock";
import { createConcurrencyLimiter } from "./concurrencyLimiter";
import { createKeyedSlidingWindowLimiter } from "./keyedSlidingWindowLimiter";
import { RequestTimeoutError } from "./RequestTimeoutError";
import { RetryBudgetExhaustedError } from "./RetryBudgetExhaustedError";
import { createSlidingWindowLimiter, type Grant, type Reservation } from "./slidingWindowLimiter";
import type { RequestSpec, Scheduler, SchedulerOptions, SchedulerStats } from "./types";

/** Clerk's rate-limit window. */
export const CLERK_WINDOW_MS = 10_000;

/**
 * Added to Clerk's window by the scheduler's limiters. Clerk counts a request when it arrives; the instance window
 * counts it from our send until one window after its answer, which already covers a request that took a while to
 * arrive. 250 ms more absorbs the rest (a per-user write is stamped at its send) for 2.5 % of throughput.
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
 *
 * Sharing the instance (decisions/0007): a 429 is evidence that another client uses the same limit, so the
 * adaptive limiter lowers this scheduler's limit and recovers it while requests succeed (adaptiveLimit.ts); the
 * pause after it ends with jitter, and the first request after it goes alone (a probe). Processes on the same
 * machine also see each other's requests through `sharedWindow` and together stay under the configured limit.
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
  const random = opts.random ?? Math.random;
  const backoff = createBackoff({
    baseMs: opts.backoffBaseMs ?? SCHEDULER_DEFAULTS.backoffBaseMs,
    maxMs: opts.backoffMaxMs ?? SCHEDULER_DEFAULTS.backoffMaxMs,
    random,
  });
  const windowMs = CLERK_WINDOW_MS + WINDOW_SAFETY_MS;
  const instance = createSlidingWindowLimiter({
    limit,
    windowMs,
    clock,
    random,
    ...(opts.sharedWindow ? { shared: opts.sharedWindow } : {}),
  });
  const adaptive = createAdaptiveLimiter({
    ceiling: limit,
    windowMs: CLERK_WINDOW_MS,
    clock,
    random,
    ...(opts.debug ? { debug: opts.debug } : {}),
    onLimit: (l) => instance.setLimit(l),
  });
  const userWrites = createKeyedSlidingWindowLimiter({
    limit: opts.maxUserWritesPer10s ?? SCHEDULER_DEFAULTS.maxUserWritesPer10s,
    windowMs,
    clock,
  });
  const slots = createConcurrencyLimiter(opts.maxConcurrency ?? SCHEDULER_DEFAULTS.maxConcurrency);

  let nextTicket = 0;
  const counters = { sent: 0, retried: 0, throttled: 0, inFlight: 0, queued: 0 };
  /** Calls of `run` not yet settled (queued, in flight or waiting to retry), and 429s since the last summary. */
  let active = 0;
  let throttledSinceSummary = 0;

  /**
   * The end of an operation, as far as a provider host can tell: the engine never says when a `pulumi up` is
   * over (it kills the host), so it is the moment no request is queued, in flight or waiting to retry. If Clerk
   * throttled us since the last such moment, one line says so.
   */
  const settled = (): void => {
    active--;
    if (active > 0 || throttledSinceSummary === 0) return;
    const n = throttledSinceSummary;
    throttledSinceSummary = 0;
    try {
      log?.(`Clerk throttled ${n} request${n === 1 ? "" : "s"}; another client is using this instance's limit`);
    } catch {
      // A failing logger must not fail the request that just completed.
    }
  };

  async function run<T>(spec: RequestSpec, attempt: () => Promise<T>): Promise<T> {
    active++;
    try {
      return await runAttempts(spec, attempt);
    } finally {
      settled();
    }
  }

  async function runAttempts<T>(spec: RequestSpec, attempt: () => Promise<T>): Promise<T> {
    const ticket = nextTicket++;
    let attempts = 0;
    let firstSentAt: number | undefined;
    for (;;) {
      counters.queued++;
      let reservation: Reservation | undefined;
      let release: () => void;
      let grant: Grant;
      try {
        if (spec.userWrite !== undefined) reservation = await userWrites.reserve(spec.userWrite);
        release = await slots.acquire(ticket);
        grant = await instance.acquire();
      } finally {
        counters.queued--;
      }
      reservation?.commit();
      attempts++;
      counters.sent++;
      counters.inFlight++;
      const sentAt = clock.now();
      firstSentAt ??= sentAt;
      let error: unknown;
      try {
        const result = await withTimeout(attempt, timeoutMs, spec.label, clock);
        adaptive.accepted(sentAt);
        grant.answered();
        return result;
      } catch (e) {
        error = e;
      } finally {
        counters.inFlight--;
        release();
      }

      const verdict = classify(error);
      if (!verdict.retry) {
        adaptive.accepted(sentAt); // Clerk answered (a 4xx): the request counted, and it was not throttled.
        grant.answered();
        throw error;
      }
      const now = clock.now();
      if (verdict.retryAfterMs !== undefined) {
        counters.throttled++;
        throttledSinceSummary++;
        // A 429 to a per-user write may be that user's limit (another client writing the same user), not the
        // instance's: it pauses like any 429, but is no evidence about the instance's share.
        const resumeAt =
          spec.userWrite === undefined ? adaptive.throttled(sentAt, verdict.retryAfterMs) : now + verdict.retryAfterMs;
        instance.pauseUntil(resumeAt);
        instance.probeNext();
      }
      grant.answered(verdict.retryAfterMs === undefined); // a 429 did not use the limit
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
    stats: (): SchedulerStats => ({ ...counters, limit: adaptive.limit() }),
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
