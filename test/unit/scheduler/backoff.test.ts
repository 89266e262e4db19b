import fc from "fast-check";
import { backoffDelay, createBackoff } from "../../../src/scheduler/backoff";

describe("backoffDelay (full jitter)", () => {
  const params = { baseMs: 250, maxMs: 15_000 };

  it("doubles the ceiling per retry up to the cap, scaled by the random draw", () => {
    const half = createBackoff({ ...params, random: () => 0.5 });
    expect([1, 2, 3, 4, 5, 6, 7, 8, 50, 5000].map(half)).toEqual([
      125, 250, 500, 1000, 2000, 4000, 7500, 7500, 7500, 7500,
    ]);
  });

  it("spans [0, ceiling): random 0 gives 0, random just below 1 stays below the ceiling", () => {
    expect(backoffDelay(3, { ...params, random: () => 0 })).toBe(0);
    expect(backoffDelay(3, { ...params, random: () => 0.999999 })).toBe(999);
  });

  it("property: always an integer within [0, min(cap, base * 2^(n-1))]", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 5_000 }),
        fc.integer({ min: 1, max: 100_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (retry, baseMs, maxMs, r) => {
          const d = backoffDelay(retry, { baseMs, maxMs, random: () => r });
          expect(Number.isInteger(d)).toBe(true);
          expect(d).toBeGreaterThanOrEqual(0);
          expect(d).toBeLessThanOrEqual(Math.min(maxMs, baseMs * 2 ** Math.min(retry - 1, 30)));
        },
      ),
    );
  });
});
