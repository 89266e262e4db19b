/**
 * Exponential backoff with "full jitter" (AWS Architecture Blog, "Exponential Backoff And Jitter"): the wait
 * before retry n is uniform in `[0, min(maxMs, baseMs * 2^(n-1)))`. Jitter spreads the retries of the up to
 * 400 concurrent operations that failed together, instead of having them hit Clerk again in lockstep.
 * Pure: the random source is injected so tests get exact values.
 */
export interface BackoffParams {
  /** Ceiling of the first retry's wait, in ms. */
  baseMs: number;
  /** Largest ceiling, in ms. */
  maxMs: number;
  /** Uniform random in [0, 1). */
  random: () => number;
}

/** Wait before retry number `retry` (1 for the first retry), in whole ms. */
export function backoffDelay(retry: number, { baseMs, maxMs, random }: BackoffParams): number {
  const exponent = Math.min(Math.max(retry, 1) - 1, 30); // 2^30 · base is beyond any cap; avoids Infinity
  const ceiling = Math.min(maxMs, baseMs * 2 ** exponent);
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.floor(ceiling * r);
}

/** `backoffDelay` with its parameters bound. */
export function createBackoff(params: BackoffParams): (retry: number) => number {
  return (retry) => backoffDelay(retry, params);
}
