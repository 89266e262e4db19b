import fc from "fast-check";
import { createSlidingWindowLimiter, type Grant } from "../../../src/scheduler/slidingWindowLimiter";
import { createKeyedSlidingWindowLimiter } from "../../../src/scheduler/keyedSlidingWindowLimiter";
import { FakeClock } from "./FakeClock";

/**
 * Starts `n` acquires now and records each grant's virtual time, in grant order, with its caller index. Each request
 * is answered the moment it is granted (a grant counts until a window after its answer).
 */
function acquireMany(
  limiter: { acquire(): Promise<Grant> },
  clock: FakeClock,
  n: number,
  grants: { i: number; t: number }[],
  offset = 0,
): Promise<void>[] {
  return Array.from({ length: n }, (_, k) =>
    limiter.acquire().then((g) => {
      g.answered();
      grants.push({ i: offset + k, t: clock.now() });
    }),
  );
}

describe("createSlidingWindowLimiter", () => {
  it("grants `limit` at once and the next batch exactly at the window boundary, FIFO", async () => {
    const clock = new FakeClock();
    const limiter = createSlidingWindowLimiter({ limit: 3, windowMs: 1000, clock });
    const grants: { i: number; t: number }[] = [];
    const all = acquireMany(limiter, clock, 8, grants);
    await FakeClock.flush();
    expect(grants.map((g) => g.t)).toEqual([0, 0, 0]);
    await clock.advance(999);
    expect(grants).toHaveLength(3);
    await clock.advance(1);
    expect(grants.map((g) => g.t)).toEqual([0, 0, 0, 1000, 1000, 1000]);
    await clock.advanceTo(2000);
    await Promise.all(all);
    expect(grants).toEqual([0, 0, 0, 1000, 1000, 1000, 2000, 2000].map((t, i) => ({ i, t })));
  });

  it("keeps the sliding window over staggered grants (no full-bucket burst after idling)", async () => {
    const clock = new FakeClock();
    const limiter = createSlidingWindowLimiter({ limit: 2, windowMs: 1000, clock });
    const grants: { i: number; t: number }[] = [];
    void acquireMany(limiter, clock, 1, grants, 0); // t=0
    await clock.advanceTo(600);
    void acquireMany(limiter, clock, 3, grants, 1); // one now, then at 1000 (0 expires), then at 1600
    await clock.advanceTo(5000);
    expect(grants.map((g) => g.t)).toEqual([0, 600, 1000, 1600]);
  });

  it("pauseUntil holds every waiter, including ones queued earlier, until the pause ends", async () => {
    const clock = new FakeClock();
    const limiter = createSlidingWindowLimiter({ limit: 10, windowMs: 1000, clock });
    const grants: { i: number; t: number }[] = [];
    void acquireMany(limiter, clock, 2, grants);
    await FakeClock.flush();
    limiter.pauseUntil(3000);
    void acquireMany(limiter, clock, 3, grants, 2);
    await clock.advance(2999);
    expect(grants).toHaveLength(2);
    limiter.pauseUntil(2000); // never shortens a pause
    await clock.advance(1);
    expect(grants.map((g) => g.t)).toEqual([0, 0, 3000, 3000, 3000]);
  });

  it("pauseUntil extended while the limiter sleeps is honoured", async () => {
    const clock = new FakeClock();
    const limiter = createSlidingWindowLimiter({ limit: 1, windowMs: 1000, clock });
    const grants: { i: number; t: number }[] = [];
    void acquireMany(limiter, clock, 2, grants); // 0, then sleeping until 1000
    await clock.advanceTo(500);
    limiter.pauseUntil(4000);
    await clock.advanceTo(10_000);
    expect(grants.map((g) => g.t)).toEqual([0, 4000]);
  });

  it("reserve(): nobody else is granted until commit, and the grant is stamped at commit time", async () => {
    const clock = new FakeClock();
    const limiter = createSlidingWindowLimiter({ limit: 1, windowMs: 1000, clock });
    const grants: { i: number; t: number }[] = [];
    const reservation = await limiter.reserve(); // granted at 0, not yet counted
    void acquireMany(limiter, clock, 1, grants);
    await clock.advanceTo(700);
    expect(grants).toEqual([]);
    reservation.commit(); // counted at 700
    await clock.advanceTo(1699);
    expect(grants).toEqual([]);
    await clock.advanceTo(1700);
    expect(grants).toEqual([{ i: 0, t: 1700 }]);
  });

  it("reserve() then cancel() gives the grant back uncounted", async () => {
    const clock = new FakeClock();
    const limiter = createSlidingWindowLimiter({ limit: 1, windowMs: 1000, clock });
    const grants: { i: number; t: number }[] = [];
    const reservation = await limiter.reserve();
    void acquireMany(limiter, clock, 1, grants);
    await clock.advanceTo(200);
    reservation.cancel();
    reservation.commit(); // ignored: already finished
    await FakeClock.flush();
    expect(grants).toEqual([{ i: 0, t: 200 }]);
  });

  it("isIdle only once the window has emptied", async () => {
    const clock = new FakeClock();
    const limiter = createSlidingWindowLimiter({ limit: 5, windowMs: 1000, clock });
    expect(limiter.isIdle()).toBe(true);
    (await limiter.acquire()).answered();
    expect(limiter.isIdle()).toBe(false);
    await clock.advanceTo(1000);
    expect(limiter.isIdle()).toBe(true);
  });

  it("a grant unanswered for a whole window keeps its slot until its answer, then counts a window from it", async () => {
    const clock = new FakeClock();
    const limiter = createSlidingWindowLimiter({ limit: 1, windowMs: 1000, clock });
    const slow = await limiter.acquire(); // t=0; Clerk may count it whenever it arrives
    const grants: { i: number; t: number }[] = [];
    void acquireMany(limiter, clock, 1, grants);
    await clock.advanceTo(5000);
    expect(grants).toEqual([]);
    expect(limiter.isIdle()).toBe(false);
    slow.answered(); // at 5000: counts until 6000
    await clock.advanceTo(5999);
    expect(grants).toEqual([]);
    await clock.advanceTo(6000);
    expect(grants).toEqual([{ i: 0, t: 6000 }]);
  });

  it("while one grant waits for its answer, only the other slots turn over", async () => {
    const clock = new FakeClock();
    const limiter = createSlidingWindowLimiter({ limit: 2, windowMs: 1000, clock });
    await limiter.acquire(); // t=0, never answered here
    (await limiter.acquire()).answered(); // t=0, counts until 1000
    const grants: { i: number; t: number }[] = [];
    void acquireMany(limiter, clock, 3, grants);
    await clock.advanceTo(3000);
    // One per window, not two: the unanswered grant holds the other slot.
    expect(grants.map((g) => g.t)).toEqual([1000, 2000, 3000]);
  });

  it("the answer to a grant that held the last slot lets the next waiter in at once when it did not count", async () => {
    const clock = new FakeClock();
    const limiter = createSlidingWindowLimiter({ limit: 1, windowMs: 1000, clock });
    const slow = await limiter.acquire();
    const grants: { i: number; t: number }[] = [];
    void acquireMany(limiter, clock, 1, grants);
    await clock.advanceTo(3000);
    expect(grants).toEqual([]);
    slow.answered(false); // a 429: Clerk did not count it
    await FakeClock.flush();
    expect(grants).toEqual([{ i: 0, t: 3000 }]);
  });

  it("rejects nonsensical parameters", () => {
    const clock = new FakeClock();
    expect(() => createSlidingWindowLimiter({ limit: 0, windowMs: 1000, clock })).toThrow(RangeError);
    expect(() => createSlidingWindowLimiter({ limit: 1.5, windowMs: 1000, clock })).toThrow(RangeError);
    expect(() => createSlidingWindowLimiter({ limit: 1, windowMs: 0, clock })).toThrow(RangeError);
  });

  /**
   * Property: for random arrival patterns, (a) no half-open window of `windowMs` holds more than `limit` grants,
   * and (b) the limiter is work-conserving: every grant happens at the earliest instant FIFO and the window
   * allow, i.e. grant[i] = max(arrival[i], grant[i-1], grant[i-limit] + windowMs). (b) is what "reaches the
   * rate" means. Does not prove: behaviour under real timers (setTimeout drift) or the server's own counting.
   */
  it("property: never more than `limit` per sliding window, and every grant is as early as possible", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 2000 }),
        fc.array(fc.record({ gap: fc.integer({ min: 0, max: 1500 }), burst: fc.integer({ min: 1, max: 12 }) }), {
          minLength: 1,
          maxLength: 12,
        }),
        async (limit, windowMs, pattern) => {
          const clock = new FakeClock();
          const limiter = createSlidingWindowLimiter({ limit, windowMs, clock });
          const arrivals: number[] = [];
          const grants: { i: number; t: number }[] = [];
          const all: Promise<void>[] = [];
          for (const { gap, burst } of pattern) {
            await clock.advance(gap);
            for (let k = 0; k < burst; k++) arrivals.push(clock.now());
            all.push(...acquireMany(limiter, clock, burst, grants, arrivals.length - burst));
          }
          await clock.runUntilSettled(Promise.all(all));

          expect(grants.map((g) => g.i)).toEqual(arrivals.map((_, i) => i)); // FIFO
          const times = grants.map((g) => g.t);
          for (let i = limit; i < times.length; i++) {
            expect(times[i]! - times[i - limit]!).toBeGreaterThanOrEqual(windowMs);
          }
          const expected: number[] = [];
          arrivals.forEach((a, i) => {
            expected.push(Math.max(a, i > 0 ? expected[i - 1]! : a, i >= limit ? expected[i - limit]! + windowMs : a));
          });
          expect(times).toEqual(expected);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe("createKeyedSlidingWindowLimiter", () => {
  it("limits each key independently", async () => {
    const clock = new FakeClock();
    const limiter = createKeyedSlidingWindowLimiter({ limit: 2, windowMs: 1000, clock });
    const grants: string[] = [];
    for (const key of ["a", "a", "a", "b", "b"])
      void limiter.acquire(key).then((g) => {
        g.answered();
        grants.push(`${key}@${clock.now()}`);
      });
    await FakeClock.flush();
    expect(grants).toEqual(["a@0", "a@0", "b@0", "b@0"]);
    await clock.advanceTo(1000);
    expect(grants).toEqual(["a@0", "a@0", "b@0", "b@0", "a@1000"]);
  });

  it("drops idle keys once their window has passed", async () => {
    const clock = new FakeClock();
    const limiter = createKeyedSlidingWindowLimiter({ limit: 2, windowMs: 1000, clock });
    for (let u = 0; u < 50; u++) (await limiter.acquire(`user_${u}`)).answered();
    expect(limiter.size()).toBe(50);
    await clock.advanceTo(999);
    expect(limiter.size()).toBe(50);
    await clock.advanceTo(1000);
    (await limiter.acquire("user_new")).answered();
    expect(limiter.size()).toBe(1);
  });

  it("keeps a key that still has waiters", async () => {
    const clock = new FakeClock();
    const limiter = createKeyedSlidingWindowLimiter({ limit: 1, windowMs: 1000, clock });
    limiter.pauseUntil("x", 5000);
    const granted = limiter.acquire("x");
    await clock.advanceTo(2000);
    expect(limiter.size()).toBe(1);
    await clock.advanceTo(5000);
    (await granted).answered();
    await clock.advanceTo(6000);
    expect(limiter.size()).toBe(0);
  });
});
