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
import { insertionPoint, pruneStamps } from "./sortedStamps";
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

/** What one adaptive limiter remembers between answers. */
interface AdaptiveLimiterRecord {
  readonly ceiling: number;
  readonly windowMs: number;
  readonly debug: ((message: string) => void) | undefined;
  readonly onLimit: (limit: number) => void;
  state: AdaptiveLimitState;
  /** The whole limit last handed to `onLimit`. */
  applied: number;
  /** Send times of our accepted requests within the last window, ascending. */
  readonly acceptedStamps: number[];
  /** The resume jitter of the current congestion event. */
  jitterMs: number;
  lastRaiseLog: number;
}

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
  const state = initialAdaptiveLimit(params);
  const r: AdaptiveLimiterRecord = {
    ceiling,
    windowMs,
    debug,
    onLimit,
    state,
    applied: grantsPerWindow(state),
    acceptedStamps: [],
    jitterMs: 0,
    lastRaiseLog: Number.NEGATIVE_INFINITY,
  };
  return {
    accepted(sentAt) {
      const now = clock.now();
      // Answers arrive out of send order.
      r.acceptedStamps.splice(insertionPoint(r.acceptedStamps, sentAt), 0, sentAt);
      pruneStamps(r.acceptedStamps, now, windowMs);
      r.state = afterAccepted(r.state, params, now);
      applyLimit(r, now, "requests succeed");
    },
    throttled(sentAt, retryAfterMs) {
      const now = clock.now();
      pruneStamps(r.acceptedStamps, now, windowMs);
      if (!isEcho(r.state, sentAt)) {
        const x = Math.min(Math.max(random(), 0), 1);
        r.jitterMs = Math.floor(x * Math.min(retryAfterMs * RESUME_JITTER, MAX_RESUME_JITTER_MS));
        const accepted = r.acceptedStamps.length;
        r.state = afterThrottle(r.state, params, { sentAt, now, acceptedInWindow: accepted });
        const per = perWindow(windowMs);
        applyLimit(
          r,
          now,
          `429 after ${accepted} accepted in the last ${per}; another client is using this instance's limit`,
        );
      }
      return now + retryAfterMs + r.jitterMs;
    },
    limit: () => r.applied,
  };
}

function perWindow(windowMs: number): string {
  return `${windowMs / 1000} s`;
}

/** Hands a changed whole limit to `onLimit` and logs it; raises below the ceiling are logged once per window. */
function applyLimit(r: AdaptiveLimiterRecord, now: number, why: string): void {
  const next = grantsPerWindow(r.state);
  if (next === r.applied) return;
  const lowered = next < r.applied;
  r.applied = next;
  r.onLimit(next);
  if (!lowered && next < r.ceiling && now - r.lastRaiseLog < r.windowMs) return;
  if (!lowered) r.lastRaiseLog = now;
  const change = lowered ? "lowered" : "raised";
  try {
    r.debug?.(
      `Clerk rate limit ${change} to ${next} requests / ${perWindow(r.windowMs)} (configured ${r.ceiling}): ${why}`,
    );
  } catch {
    // Logging must never change what the scheduler does.
  }
}
