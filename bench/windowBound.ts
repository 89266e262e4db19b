/** Arithmetic of a sliding-window rate limit, for the benchmark's (g) rows: pure, unit-tested. */
/**
 * The least time after the start at which a server with a sliding window of `limit` requests per `windowMs` can
 * have admitted the last of `arrivalsMs` (ms after the start, ascending), given when the earlier ones arrived:
 * request i + limit arrives ≥ windowMs after request i, so the last (n) arrives ≥ k windows after request n − k·limit,
 * k = ⌊(n − 1) ÷ limit⌋. With k = 0 it is the last arrival itself.
 */
export function slidingWindowBound(arrivalsMs: readonly number[], limit: number, windowMs: number): number {
  const n = arrivalsMs.length;
  if (n === 0) return 0;
  const k = Math.floor((n - 1) / limit);
  return arrivalsMs[n - 1 - k * limit]! + k * windowMs;
}
