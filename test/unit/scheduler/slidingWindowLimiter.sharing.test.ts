/**
 * The parts of the sliding window that exist for sharing an instance: a limit that changes while waiters wait,
 * the probe after a 429, counting a request until one window after its answer, and other processes' requests
 * announced through a shared window (here in memory; the file-backed one has its own tests).
 */
import fc from "fast-check";
import { createSlidingWindowLimiter, type Grant } from "../../../src/scheduler/slidingWindowLimiter";
import { FakeClock } from "./FakeClock";
import { MemoryBoard } from "./MemorySharedWindow";

/** Acquires `n` grants now; records each grant's time; answers each grant immediately unless told otherwise. */
function acquireMany(
  limiter: { acquire(): Promise<Grant> },
  clock: FakeClock,
  n: number,
  times: number[],
  answer = true,
): Promise<Grant>[] {
  return Array.from({ length: n }, () =>
    limiter.acquire().then((g) => {
      times.push(clock.now());
      if (answer) g.answered();
      return g;
    }),
  );
}

describe("setLimit", () => {
  it("lowering never revokes grants: nobody goes until the window holds fewer than the new limit", async () => {
    const clock = new FakeClock();
    const limiter = createSlidingWindowLimiter({ limit: 4, windowMs: 1000, clock });
    const times: number[] = [];
    void acquireMany(limiter, clock, 4, times); // all at 0
    await FakeClock.flush();
    limiter.setLimit(2);
    expect(limiter.limit()).toBe(2);
    void acquireMany(limiter, clock, 3, times);
    await clock.advanceTo(5000);
    // The window must drop to one grant (of the four at 0) before the next: all four leave at 1000.
    expect(times).toEqual([0, 0, 0, 0, 1000, 1000, 2000]);
  });

  it("raising wakes a sleeping waiter at once", async () => {
    const clock = new FakeClock();
    const limiter = createSlidingWindowLimiter({ limit: 1, windowMs: 1000, clock });
    const times: number[] = [];
    void acquireMany(limiter, clock, 3, times); // 0, then sleeping until 1000
    await clock.advanceTo(300);
    limiter.setLimit(3);
    await FakeClock.flush();
    expect(times).toEqual([0, 300, 300]);
  });

  it("rejects a nonsensical limit", () => {
    const limiter = createSlidingWindowLimiter({ limit: 1, windowMs: 1000, clock: new FakeClock() });
    expect(() => limiter.setLimit(0)).toThrow(RangeError);
    expect(() => limiter.setLimit(2.5)).toThrow(RangeError);
  });
});

describe("probeNext", () => {
  it("the next grant goes alone; the others wait for its answer, then go together", async () => {
    const clock = new FakeClock();
    const limiter = createSlidingWindowLimiter({ limit: 10, windowMs: 1000, clock });
    limiter.pauseUntil(500);
    limiter.probeNext();
    const times: number[] = [];
    const grants = acquireMany(limiter, clock, 3, times, false);
    await clock.advanceTo(800);
    expect(times).toEqual([500]);
    const probe = await grants[0]!;
    expect(probe.probe).toBe(true);
    probe.answered();
    probe.answered(); // idempotent
    await FakeClock.flush();
    expect(times).toEqual([500, 800, 800]);
    expect((await grants[1]!).probe).toBe(false);
  });
});

describe("answered: a request counts until one window after its answer", () => {
  it("a slow answer holds its slot longer than its send time says", async () => {
    const clock = new FakeClock();
    const limiter = createSlidingWindowLimiter({ limit: 1, windowMs: 1000, clock });
    const times: number[] = [];
    const [first] = acquireMany(limiter, clock, 1, times, false);
    void acquireMany(limiter, clock, 1, times);
    await clock.advanceTo(400);
    (await first!).answered(); // Clerk may have counted it as late as 400
    await clock.advanceTo(1399);
    expect(times).toEqual([0]);
    await clock.advanceTo(1400);
    expect(times).toEqual([0, 1400]);
  });

  it("property: with answers after random delays, each grant waits for the window after the answer `limit` back", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.integer({ min: 0, max: 700 }), { minLength: 1, maxLength: 25 }),
        async (limit, delays) => {
          const clock = new FakeClock();
          const windowMs = 1000;
          const limiter = createSlidingWindowLimiter({ limit, windowMs, clock });
          const sent: number[] = [];
          const answeredAt: number[] = [];
          const all = delays.map((d, i) =>
            limiter.acquire().then(async (g) => {
              sent[i] = clock.now();
              await clock.sleep(d);
              answeredAt[i] = clock.now();
              g.answered();
            }),
          );
          await clock.runUntilSettled(Promise.all(all));
          // FIFO: request i is the i-th grant. It may go once `limit` earlier requests' windows (after their
          // answers) allow; a request counted by Clerk anywhere in [sent, answered] never shares a window with
          // `limit` others.
          for (let i = limit; i < delays.length; i++) {
            const occupied = answeredAt.slice(0, i).filter((a) => a + windowMs > sent[i]!).length;
            expect(occupied).toBeLessThan(limit);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe("shared window (processes on one machine)", () => {
  const windowMs = 1000;

  it("a peer's announced grants count against the limit, and so does its pause", async () => {
    const clock = new FakeClock();
    const board = new MemoryBoard(windowMs);
    const a = createSlidingWindowLimiter({ limit: 3, windowMs, clock, shared: board.join(), random: () => 0 });
    const b = createSlidingWindowLimiter({ limit: 3, windowMs, clock, shared: board.join(), random: () => 0 });
    const aTimes: number[] = [];
    const bTimes: number[] = [];
    void acquireMany(a, clock, 2, aTimes);
    await FakeClock.flush();
    void acquireMany(b, clock, 2, bTimes);
    await clock.advanceTo(100);
    expect(aTimes).toEqual([0, 0]);
    expect(bTimes).toEqual([0]); // one slot was left; the next frees when a's grants leave the window
    await clock.advanceTo(1000);
    expect(bTimes).toEqual([0, 1000]);

    a.pauseUntil(3000);
    void acquireMany(b, clock, 1, bTimes);
    await clock.advanceTo(2999);
    expect(bTimes).toEqual([0, 1000]);
    await clock.advanceTo(3000);
    expect(bTimes).toEqual([0, 1000, 3000]);
  });

  it("a peer's request still unanswered after a whole window holds its slot here too", async () => {
    const clock = new FakeClock();
    const windowMs = 1000;
    const board = new MemoryBoard(windowMs);
    const a = createSlidingWindowLimiter({ limit: 2, windowMs, clock, shared: board.join(), random: () => 0 });
    const b = createSlidingWindowLimiter({ limit: 2, windowMs, clock, shared: board.join(), random: () => 0 });
    const aTimes: number[] = [];
    const [stuck] = acquireMany(a, clock, 1, aTimes, false); // t=0, its answer is slow
    await clock.advanceTo(1500);
    const bTimes: number[] = [];
    void acquireMany(b, clock, 3, bTimes);
    await clock.advanceTo(3999);
    // One slot turns over per window: the other is a's request, which Clerk may still count when it arrives.
    expect(bTimes).toEqual([1500, 2500, 3500]);
    (await stuck!).answered(); // at 3999: counts until 4999 in a's announcement
    void acquireMany(b, clock, 1, bTimes);
    await clock.advanceTo(10_000);
    expect(bTimes).toEqual([1500, 2500, 3500, 4500]);
  });

  it("two processes taking the last slot at the same instant: at most one keeps it, the other retries", async () => {
    const clock = new FakeClock();
    const board = new MemoryBoard(windowMs);
    // The same random value for both: the worst case, both back off equally and collide again... once.
    const limiters = [0.1, 0.9].map((r) =>
      createSlidingWindowLimiter({ limit: 1, windowMs, clock, shared: board.join(), random: () => r }),
    );
    const times: number[][] = [[], []];
    const all = limiters.flatMap((l, i) => acquireMany(l, clock, 2, times[i]!));
    await clock.runUntilSettled(Promise.all(all));
    const grants = [...times[0]!, ...times[1]!].sort((x, y) => x - y);
    expect(grants).toHaveLength(4);
    for (let i = 1; i < grants.length; i++) expect(grants[i]! - grants[i - 1]!).toBeGreaterThanOrEqual(windowMs);
  });

  /**
   * Property: K limiters on one machine, each believing it has the whole limit, with random demand: together they
   * never put more than `limit` grants in a window (counted from send to answer + window). Does not prove: the
   * file-backed board's behaviour under real concurrency (see sharedWindow.test.ts).
   */
  it("property: K processes together never exceed the limit in any window", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 5 }),
        fc.integer({ min: 1, max: 6 }),
        fc.array(
          fc.record({ who: fc.nat(), gap: fc.integer({ min: 0, max: 600 }), n: fc.integer({ min: 1, max: 5 }) }),
          {
            minLength: 1,
            maxLength: 10,
          },
        ),
        fc.integer(),
        async (k, limit, demand, seed) => {
          const clock = new FakeClock();
          const board = new MemoryBoard(windowMs);
          let s = seed >>> 0;
          const random = (): number => {
            s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
            return s / 2 ** 32;
          };
          const limiters = Array.from({ length: k }, () =>
            createSlidingWindowLimiter({ limit, windowMs, clock, shared: board.join(), random }),
          );
          const spans: { sent: number; answered: number }[] = [];
          const all: Promise<void>[] = [];
          for (const { who, gap, n } of demand) {
            await clock.advance(gap);
            for (let j = 0; j < n; j++) {
              all.push(
                limiters[who % k]!.acquire().then(async (g) => {
                  const sent = clock.now();
                  await clock.sleep(30);
                  spans.push({ sent, answered: clock.now() });
                  g.answered();
                }),
              );
            }
          }
          await clock.runUntilSettled(Promise.all(all));
          // Clerk may count each request anywhere in [sent, answered]: at no send are `limit` others still counted.
          for (const r of spans) {
            const counted = spans.filter((o) => o !== r && o.sent <= r.sent && o.answered + windowMs > r.sent);
            expect(counted.length).toBeLessThan(limit);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
