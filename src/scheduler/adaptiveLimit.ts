/**
 * The share of a Clerk instance's rate limit that this process takes, adapted to what Clerk answers (AIMD, as in
 * TCP's congestion control). Clerk limits per instance, and other clients (another stack's `pulumi up` on another
 * machine, a `clerk-sweep`, the application itself) spend the same limit without telling us. A 429 for a request
 * sent within our own limit is the only evidence of them, so:
 *
 * - **Multiplicative decrease.** A 429 lowers the limit to `decreaseFactor` × the limit, and to no more than the
 *   requests Clerk accepted from us in the last window: the instance was full when it answered 429, so that is the
 *   share we actually got, and processes that all lower to their share together fill the instance without a
 *   second storm. One congestion event lowers once: a 429 for a request sent before the event began is an echo of
 *   it (the request went out under the old limit).
 * - **Additive recovery.** Each accepted request raises the limit by `recoveryPerWindow` ÷ limit, i.e. by
 *   `recoveryPerWindow` per window's worth of accepted requests. The step doubles for every whole window without
 *   a 429 (at most `2^maxDoublings` times): right after a 429 several processes probing at once must not overshoot
 *   together, but a process whose neighbours have finished should not need ten windows to take the instance back.
 * - Always between `floor` and `ceiling` (the configured limit, never exceeded).
 *
 * Pure: the caller keeps the state and decides what an accepted request is.
 */
export interface AdaptiveLimitParams {
  /** The configured limit, requests per window. Never exceeded. */
  ceiling: number;
  /** The lowest the limit goes, requests per window (≥ 1). */
  floor: number;
  /** Factor of a decrease, in (0, 1). */
  decreaseFactor: number;
  /** Rise per window's worth of accepted requests, right after a 429. */
  recoveryPerWindow: number;
  /** Clerk's window, ms. */
  windowMs: number;
  /** The recovery step doubles per whole window without a 429, at most this many times. */
  maxDoublings: number;
}

export interface AdaptiveLimitState {
  /** The current limit, fractional; the window grants `grantsPerWindow(state)`. */
  limit: number;
  /** When the last congestion event began (−∞: never). */
  throttledAt: number;
}

/** What a 429 tells the limiter. */
export interface ThrottleEvidence {
  /** When the throttled request was sent. */
  sentAt: number;
  /** When the 429 arrived. */
  now: number;
  /** Requests of ours Clerk accepted within the last window, up to `now`. */
  acceptedInWindow: number;
}

/**
 * The defaults for a configured limit: halve on a 429 (or fall to our accepted share), recover 10 % of the limit
 * per window, doubling up to 80 % per window after three quiet windows; never below 5 % of the limit.
 */
export function adaptiveLimitParams(ceiling: number, windowMs: number): AdaptiveLimitParams {
  return {
    ceiling,
    floor: Math.max(1, Math.ceil(ceiling / 20)),
    decreaseFactor: 0.5,
    recoveryPerWindow: Math.max(1, ceiling / 10),
    windowMs,
    maxDoublings: 3,
  };
}

export function initialAdaptiveLimit(params: AdaptiveLimitParams): AdaptiveLimitState {
  return { limit: params.ceiling, throttledAt: Number.NEGATIVE_INFINITY };
}

/**
 * True when a 429 for a request sent at `sentAt` belongs to the congestion event already reacted to: it was sent
 * no later than the 429 that began the event arrived (after that, the instance is paused until Retry-After).
 */
export function isEcho(state: AdaptiveLimitState, sentAt: number): boolean {
  return sentAt <= state.throttledAt;
}

/** The state after a 429: a new congestion event lowers the limit (down to the floor); an echo changes nothing. */
export function afterThrottle(
  state: AdaptiveLimitState,
  params: AdaptiveLimitParams,
  evidence: ThrottleEvidence,
): AdaptiveLimitState {
  if (isEcho(state, evidence.sentAt)) return state;
  const lowered = Math.min(state.limit * params.decreaseFactor, Math.max(evidence.acceptedInWindow, 0));
  return { limit: Math.min(state.limit, clamp(lowered, params)), throttledAt: evidence.now };
}

/** The state after an accepted request at `now`. */
export function afterAccepted(state: AdaptiveLimitState, params: AdaptiveLimitParams, now: number): AdaptiveLimitState {
  if (state.limit >= params.ceiling) return state;
  const quietWindows = Math.max(0, Math.floor((now - state.throttledAt) / params.windowMs));
  const perWindow = params.recoveryPerWindow * 2 ** Math.min(quietWindows, params.maxDoublings);
  return { ...state, limit: clamp(state.limit + perWindow / Math.max(state.limit, 1), params) };
}

/** The whole requests per window a state allows. */
export function grantsPerWindow(state: AdaptiveLimitState): number {
  return Math.max(1, Math.floor(state.limit));
}

function clamp(limit: number, { floor, ceiling }: AdaptiveLimitParams): number {
  return Math.min(ceiling, Math.max(floor, limit));
}
