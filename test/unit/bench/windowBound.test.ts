import fc from "fast-check";
import { slidingWindowBound } from "../../../bench/windowBound";

const W = 10_000;

it("is the last arrival while one window's worth or fewer arrived", () => {
  expect(slidingWindowBound([], 100, W)).toBe(0);
  expect(slidingWindowBound([5], 100, W)).toBe(5);
  expect(slidingWindowBound([1, 2, 3], 3, W)).toBe(3);
});

it("chains whole windows from request n − k·limit", () => {
  // 270 requests, limit 100: the 270th arrives ≥ 2 windows after the 70th.
  const arrivals = Array.from({ length: 270 }, (_, i) => 1000 + i);
  expect(slidingWindowBound(arrivals, 100, W)).toBe(arrivals[69]! + 2 * W);
  // 101 requests: the 101st ≥ one window after the 1st.
  expect(slidingWindowBound(arrivals.slice(0, 101), 100, W)).toBe(1000 + W);
});

it("is tight for requests that each went as early as the window allowed", () => {
  // 7 requests at limit 3, all wanted at 0: 3 at 0, 3 at W, 1 at 2W.
  expect(slidingWindowBound([0, 0, 0, W, W, W, 2 * W], 3, W)).toBe(2 * W);
});

it("never exceeds the last arrival of any sequence a sliding window admits", () => {
  // Build admissible sequences: each request arrives at max(its wish, the arrival `limit` earlier + W).
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 7 }),
      fc.array(fc.integer({ min: 0, max: 3 * W }), { minLength: 1, maxLength: 60 }),
      (limit, wishes) => {
        const sorted = [...wishes].sort((a, b) => a - b);
        const arrivals: number[] = [];
        for (const wish of sorted) {
          const i = arrivals.length;
          arrivals.push(
            i >= limit
              ? Math.max(wish, arrivals[i - limit]! + W, arrivals[i - 1]!)
              : Math.max(wish, arrivals[i - 1] ?? 0),
          );
        }
        expect(slidingWindowBound(arrivals, limit, W)).toBeLessThanOrEqual(arrivals[arrivals.length - 1]!);
      },
    ),
  );
});
