/** Helpers over ascending arrays of timestamps (epoch ms), as the window limiters keep them. */

/** Drops the stamps that left the window ending at `now` (those at or before `now - windowMs`). */
export function pruneStamps(stamps: number[], now: number, windowMs: number): void {
  while (stamps.length > 0 && (stamps[0] as number) <= now - windowMs) stamps.shift();
}

/** Index of a value equal to `t` in ascending `xs`, or -1. */
export function indexOf(xs: readonly number[], t: number): number {
  const i = insertionPoint(xs, t) - 1;
  return i >= 0 && xs[i] === t ? i : -1;
}

/** First index whose value is greater than `t` in ascending `xs`. */
export function insertionPoint(xs: readonly number[], t: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((xs[mid] as number) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** When `stamps` (ascending) leave room for one more grant under `limit`. */
export function freeAt(stamps: readonly number[], limit: number, windowMs: number, now: number): number {
  return stamps.length < limit ? now : (stamps[stamps.length - limit] as number) + windowMs;
}

/** Merges two ascending arrays. */
export function merge(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = new Array<number>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length)
    out[k++] = (a[i] as number) <= (b[j] as number) ? (a[i++] as number) : (b[j++] as number);
  while (i < a.length) out[k++] = a[i++] as number;
  while (j < b.length) out[k++] = b[j++] as number;
  return out;
}
