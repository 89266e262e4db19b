import { createAdaptiveLimiter } from "./adaptiveLimiter";
import { createBackoff } from "./backoff";
import { classifyError } from "./classifyError";
import { systemClock, type AbortableClock } from "./clock";
import { createConcurrencyLimiter } from "./concurrencyLimiter";
import { createKeyedSlidingWindowLimiter } from "./keyedSlidingWindowLimiter";
import { runAttempts, type SchedulerState } from "./runAttempts";
import { createSlidingWindowLimiter } from "./slidingWindowLimiter";
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
  const s = createSchedulerState(opts);

  async function run<T>(spec: RequestSpec, attempt: () => Promise<T>): Promise<T> {
    s.active++;
    try {
      return await runAttempts(s, spec, attempt);
    } finally {
      settled(s);
    }
  }

  return {
    run,
    stats: (): SchedulerStats => ({ ...s.counters, limit: s.adaptive.limit() }),
  };
}

/** The limiters and counters of a new scheduler, from its (validated) options. */
function createSchedulerState(opts: SchedulerOptions): SchedulerState {
  const limit = opts.maxRequestsPer10s;
  const clock = (opts.clock ?? systemClock) as AbortableClock;
  const random = opts.random ?? Math.random;
  const windowMs = CLERK_WINDOW_MS + WINDOW_SAFETY_MS;
  const instance = createSlidingWindowLimiter({
    limit,
    windowMs,
    clock,
    random,
    ...(opts.sharedWindow ? { shared: opts.sharedWindow } : {}),
  });
  return {
    clock,
    timeoutMs: opts.requestTimeoutMs ?? SCHEDULER_DEFAULTS.requestTimeoutMs,
    budgetMs: opts.retryBudgetMs ?? SCHEDULER_DEFAULTS.retryBudgetMs,
    classify: opts.classify ?? classifyError,
    log: opts.log,
    backoff: createBackoff({
      baseMs: opts.backoffBaseMs ?? SCHEDULER_DEFAULTS.backoffBaseMs,
      maxMs: opts.backoffMaxMs ?? SCHEDULER_DEFAULTS.backoffMaxMs,
      random,
    }),
    instance,
    adaptive: createAdaptiveLimiter({
      ceiling: limit,
      windowMs: CLERK_WINDOW_MS,
      clock,
      random,
      ...(opts.debug ? { debug: opts.debug } : {}),
      onLimit: (l) => instance.setLimit(l),
    }),
    userWrites: createKeyedSlidingWindowLimiter({
      limit: opts.maxUserWritesPer10s ?? SCHEDULER_DEFAULTS.maxUserWritesPer10s,
      windowMs,
      clock,
    }),
    slots: createConcurrencyLimiter(opts.maxConcurrency ?? SCHEDULER_DEFAULTS.maxConcurrency),
    counters: { sent: 0, retried: 0, throttled: 0, inFlight: 0, queued: 0 },
    nextTicket: 0,
    active: 0,
    throttledSinceSummary: 0,
  };
}

/**
 * The end of an operation, as far as a provider host can tell: the engine never says when a `pulumi up` is
 * over (it kills the host), so it is the moment no request is queued, in flight or waiting to retry. If Clerk
 * throttled us since the last such moment, one line says so.
 */
function settled(s: SchedulerState): void {
  s.active--;
  if (s.active > 0 || s.throttledSinceSummary === 0) return;
  const n = s.throttledSinceSummary;
  s.throttledSinceSummary = 0;
  try {
    s.log?.(`Clerk throttled ${n} request${n === 1 ? "" : "s"}; another client is using this instance's limit`);
  } catch {
    // A failing logger must not fail the request that just completed.
  }
}
