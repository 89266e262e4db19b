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
 * - **Additive recovery, clocked by time.** From the first accepted request after a 429 (not during the pause:
 *   nothing is learnt then), the limit climbs back by `recoveryPerWindow` per window of time while requests
 *   succeed, and the climb doubles for every whole window without a 429 (at most `2^maxDoublings` times). Clocked by time, not by answers: a host whose window has room gets answers as
 *   fast as it can send, and raising per answer let every host grow at once the moment a window opened, all
 *   overshooting together. Slow right after a 429, so several processes probing do not collide; faster once
 *   the instance has been quiet, so a process whose neighbours finished does not need ten windows to take it back.
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
  /** Rise per window of time, in the first window after a 429. */
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
  /** The limit it left: recovery climbs from here... */
  limitAfterThrottle: number;
  /** ...from the first accepted request after it (−∞: none yet, or never throttled). */
  climbingSince: number;
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
 * The defaults for a configured limit: halve on a 429 (or fall to our accepted share), climb back by 20 % of the
 * limit in the first window after it, 40 % in the next, then 80 %, then 160 % per window; never below 1 %.
 */
export function adaptiveLimitParams(ceiling: number, windowMs: number): AdaptiveLimitParams {
  return {
    ceiling,
    floor: Math.max(1, Math.ceil(ceiling / 100)),
    decreaseFactor: 0.5,
    recoveryPerWindow: Math.max(1, ceiling / 5),
    windowMs,
    maxDoublings: 3,
  };
}

export function initialAdaptiveLimit(params: AdaptiveLimitParams): AdaptiveLimitState {
  return {
    limit: params.ceiling,
    throttledAt: Number.NEGATIVE_INFINITY,
    limitAfterThrottle: params.ceiling,
    climbingSince: Number.NEGATIVE_INFINITY,
  };
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
  const limit = Math.min(state.limit, clamp(lowered, params));
  return { limit, throttledAt: evidence.now, limitAfterThrottle: limit, climbingSince: Number.NEGATIVE_INFINITY };
}

/** The state after an accepted request at `now`: the limit climbs to where the time since the last 429 allows. */
export function afterAccepted(state: AdaptiveLimitState, params: AdaptiveLimitParams, now: number): AdaptiveLimitState {
  if (state.limit >= params.ceiling) return state;
  if (state.climbingSince === Number.NEGATIVE_INFINITY) return { ...state, climbingSince: now };
  const target = state.limitAfterThrottle + recovery(now - state.climbingSince, params);
  return target > state.limit ? { ...state, limit: clamp(target, params) } : state;
}

/** How far the limit climbs in `elapsedMs` after a 429: `recoveryPerWindow` × 1, 2, 4, … per successive window. */
export function recovery(elapsedMs: number, params: AdaptiveLimitParams): number {
  const windows = Math.max(0, elapsedMs / params.windowMs);
  let climbed = 0;
  for (let k = 0; k <= params.maxDoublings; k++) {
    const span = k < params.maxDoublings ? Math.min(Math.max(windows - k, 0), 1) : Math.max(windows - k, 0);
    climbed += params.recoveryPerWindow * 2 ** k * span;
  }
  return climbed;
}

/** The whole requests per window a state allows. */
export function grantsPerWindow(state: AdaptiveLimitState): number {
  return Math.max(1, Math.floor(state.limit));
}

function clamp(limit: number, { floor, ceiling }: AdaptiveLimitParams): number {
  return Math.min(ceiling, Math.max(floor, limit));
}
