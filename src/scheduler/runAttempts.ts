import type { AdaptiveLimiter } from "./adaptiveLimiter";
import type { AbortableClock } from "./clock";
import type { ConcurrencyLimiter } from "./concurrencyLimiter";
import type { KeyedSlidingWindowLimiter } from "./keyedSlidingWindowLimiter";
import { RetryBudgetExhaustedError } from "./RetryBudgetExhaustedError";
import type { Grant, Reservation, SlidingWindowLimiter } from "./slidingWindowLimiter";
import type { FailureClass, RequestSpec, RetryLog } from "./types";
import { withTimeout } from "./withTimeout";

/** What one scheduler shares between its calls of `run`: its limiters, its options and its counters. */
export interface SchedulerState {
  readonly clock: AbortableClock;
  readonly timeoutMs: number;
  readonly budgetMs: number;
  readonly classify: (err: unknown) => FailureClass;
  readonly log: RetryLog | undefined;
  readonly backoff: (retry: number) => number;
  readonly instance: SlidingWindowLimiter;
  readonly adaptive: AdaptiveLimiter;
  readonly userWrites: KeyedSlidingWindowLimiter;
  readonly slots: ConcurrencyLimiter;
  readonly counters: { sent: number; retried: number; throttled: number; inFlight: number; queued: number };
  nextTicket: number;
  /** Calls of `run` not yet settled (queued, in flight or waiting to retry), and 429s since the last summary. */
  active: number;
  throttledSinceSummary: number;
}

/** One call of `run` across its attempts. */
interface Call {
  readonly spec: RequestSpec;
  readonly ticket: number;
  attempts: number;
  firstSentAt: number;
}

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** Runs `attempt` through the gates until it succeeds, fails for good or the retry budget runs out (scheduler.ts). */
export async function runAttempts<T>(s: SchedulerState, spec: RequestSpec, attempt: () => Promise<T>): Promise<T> {
  const call: Call = { spec, ticket: s.nextTicket++, attempts: 0, firstSentAt: Number.NaN };
  for (;;) {
    const { release, grant } = await awaitTurn(s, call);
    call.attempts++;
    s.counters.sent++;
    s.counters.inFlight++;
    const sentAt = s.clock.now();
    if (call.attempts === 1) call.firstSentAt = sentAt;
    let outcome: Outcome<T>;
    try {
      const value = await withTimeout(attempt, s.timeoutMs, spec.label, s.clock);
      s.adaptive.accepted(sentAt);
      grant.answered();
      outcome = { ok: true, value };
    } catch (error) {
      outcome = { ok: false, error };
    } finally {
      s.counters.inFlight--;
      release();
    }
    if (outcome.ok) return outcome.value;
    await s.clock.sleep(retryDelay(s, call, outcome.error, sentAt, grant));
  }
}

/** The per-user reservation, then a concurrency slot, then the instance window; the reservation counts from now. */
async function awaitTurn(s: SchedulerState, call: Call): Promise<{ release: () => void; grant: Grant }> {
  s.counters.queued++;
  let reservation: Reservation | undefined;
  let release: () => void;
  let grant: Grant;
  try {
    if (call.spec.userWrite !== undefined) reservation = await s.userWrites.reserve(call.spec.userWrite);
    release = await s.slots.acquire(call.ticket);
    grant = await s.instance.acquire();
  } finally {
    s.counters.queued--;
  }
  reservation?.commit();
  return { release, grant };
}

/**
 * What a failed attempt sent at `sentAt` means: rethrows it when it is not retryable or the wait would cross the
 * retry budget, otherwise records a 429's pause, logs the retry and returns how long to wait before the next.
 */
function retryDelay(s: SchedulerState, call: Call, error: unknown, sentAt: number, grant: Grant): number {
  const verdict = s.classify(error);
  if (!verdict.retry) {
    s.adaptive.accepted(sentAt); // Clerk answered (a 4xx): the request counted, and it was not throttled.
    grant.answered();
    throw error;
  }
  const now = s.clock.now();
  if (verdict.retryAfterMs !== undefined) {
    s.counters.throttled++;
    s.throttledSinceSummary++;
    // A 429 to a per-user write may be that user's limit (another client writing the same user), not the
    // instance's: it pauses like any 429, but is no evidence about the instance's share.
    const resumeAt =
      call.spec.userWrite === undefined
        ? s.adaptive.throttled(sentAt, verdict.retryAfterMs)
        : now + verdict.retryAfterMs;
    s.instance.pauseUntil(resumeAt);
    s.instance.probeNext();
  }
  grant.answered(verdict.retryAfterMs === undefined); // a 429 did not use the limit
  const delay = verdict.retryAfterMs ?? s.backoff(call.attempts);
  const elapsedMs = now - call.firstSentAt;
  if (elapsedMs + delay > s.budgetMs) {
    throw new RetryBudgetExhaustedError({
      label: call.spec.label,
      attempts: call.attempts,
      elapsedMs,
      budgetMs: s.budgetMs,
      reason: verdict.reason,
      cause: error,
    });
  }
  s.counters.retried++;
  logRetry(s, call, verdict.reason, error, delay);
  return delay;
}

function logRetry(s: SchedulerState, call: Call, reason: string, error: unknown, delay: number): void {
  const { label } = call.spec;
  const attempt = call.attempts + 1;
  try {
    const status = (error as { status?: unknown } | null)?.status;
    s.log?.(`Clerk ${label}: ${reason}, retrying in ${(delay / 1000).toFixed(1)} s (attempt ${attempt})`, {
      label,
      reason,
      ...(typeof status === "number" ? { status } : {}),
      attempt,
      delayMs: delay,
    });
  } catch {
    // A failing logger must not turn a retryable failure into a hard one.
  }
}
