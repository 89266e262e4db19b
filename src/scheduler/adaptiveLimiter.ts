import {
  adaptiveLimitParams,
  afterAccepted,
  afterThrottle,
  grantsPerWindow,
  initialAdaptiveLimit,
  isEcho,
  type AdaptiveLimitParams,
  type AdaptiveLimitState,
} from "./adaptiveLimit";
import type { Clock } from "./types";

/**
 * The stateful side of `adaptiveLimit.ts` for one scheduler: remembers which of our requests Clerk accepted in the
 * last window, turns each answer into the next limit, decides when to resume after a 429, and logs each change of
 * the limit once. The scheduler applies the limit to its sliding window through `onLimit`.
 */
export interface AdaptiveLimiter {
  /** Clerk answered a request sent at `sentAt` with anything but a 429. */
  accepted(sentAt: number): void;
  /**
   * Clerk answered 429 to a request sent at `sentAt`. Returns the instant the instance may be tried again:
   * Retry-After from now plus a random part of it (`RESUME_JITTER`, at most `MAX_RESUME_JITTER_MS`), drawn once
   * per congestion event, so that processes throttled together do not all come back at the same instant.
   */
  throttled(sentAt: number, retryAfterMs: number): number;
  /** Whole requests per window currently allowed. */
  limit(): number;
}

export interface AdaptiveLimiterParams {
  /** The configured limit, requests per window. */
  ceiling: number;
  /** Clerk's window, ms. */
  windowMs: number;
  clock: Clock;
  /** Uniform in [0, 1). */
  random: () => number;
  /** Debug-level log: one line per change of the limit (raises at most once per window). */
  debug?: (message: string) => void;
  /** Called with the new whole limit whenever it changes. */
  onLimit: (limit: number) => void;
  /** Overrides of the AIMD parameters (tests). */
  aimd?: Partial<AdaptiveLimitParams>;
}

/** Resume after Retry-After plus up to this share of it... */
export const RESUME_JITTER = 0.25;
/** ...but at most this much later, ms. */
export const MAX_RESUME_JITTER_MS = 2000;

export function createAdaptiveLimiter({
  ceiling,
  windowMs,
  clock,
  random,
  debug,
  onLimit,
  aimd,
}: AdaptiveLimiterParams): AdaptiveLimiter {
  const params: AdaptiveLimitParams = { ...adaptiveLimitParams(ceiling, windowMs), ...aimd };
  let state: AdaptiveLimitState = initialAdaptiveLimit(params);
  let applied = grantsPerWindow(state);
  /** Send times of our accepted requests within the last window, ascending. */
  const acceptedStamps: number[] = [];
  /** The resume jitter of the current congestion event. */
  let jitterMs = 0;
  let lastRaiseLog = Number.NEGATIVE_INFINITY;
  const per = `${windowMs / 1000} s`;

  const say = (message: string): void => {
    try {
      debug?.(message);
    } catch {
      // Logging must never change what the scheduler does.
    }
  };

  const apply = (now: number, why: string): void => {
    const next = grantsPerWindow(state);
    if (next === applied) return;
    const lowered = next < applied;
    applied = next;
    onLimit(next);
    if (!lowered && next < ceiling && now - lastRaiseLog < windowMs) return;
    if (!lowered) lastRaiseLog = now;
    say(
      `Clerk rate limit ${lowered ? "lowered" : "raised"} to ${next} requests / ${per} (configured ${ceiling}): ${why}`,
    );
  };

  const prune = (now: number): void => {
    while (acceptedStamps.length > 0 && (acceptedStamps[0] as number) <= now - windowMs) acceptedStamps.shift();
  };

  return {
    accepted(sentAt) {
      const now = clock.now();
      let i = acceptedStamps.length; // answers arrive out of send order
      while (i > 0 && (acceptedStamps[i - 1] as number) > sentAt) i--;
      acceptedStamps.splice(i, 0, sentAt);
      prune(now);
      state = afterAccepted(state, params, now);
      apply(now, "requests succeed");
    },
    throttled(sentAt, retryAfterMs) {
      const now = clock.now();
      prune(now);
      if (!isEcho(state, sentAt)) {
        const r = Math.min(Math.max(random(), 0), 1);
        jitterMs = Math.floor(r * Math.min(retryAfterMs * RESUME_JITTER, MAX_RESUME_JITTER_MS));
        const accepted = acceptedStamps.length;
        state = afterThrottle(state, params, { sentAt, now, acceptedInWindow: accepted });
        apply(now, `429 after ${accepted} accepted in the last ${per}; another client is using this instance's limit`);
      }
      return now + retryAfterMs + jitterMs;
    },
    limit: () => applied,
  };
}
