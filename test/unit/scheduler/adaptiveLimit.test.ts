import fc from "fast-check";
import {
  adaptiveLimitParams,
  afterAccepted,
  afterThrottle,
  grantsPerWindow,
  initialAdaptiveLimit,
  isEcho,
  recovery,
  type AdaptiveLimitState,
} from "../../../src/scheduler/adaptiveLimit";

const WINDOW = 10_000;

/** An answer Clerk gives, as the scheduler reports it to the limit. */
type Event =
  { kind: "accepted"; dt: number } | { kind: "throttled"; dt: number; sentAgo: number; acceptedInWindow: number };

const eventArb: fc.Arbitrary<Event> = fc.oneof(
  fc.record({ kind: fc.constant("accepted" as const), dt: fc.integer({ min: 0, max: 3000 }) }),
  fc.record({
    kind: fc.constant("throttled" as const),
    dt: fc.integer({ min: 0, max: 3000 }),
    sentAgo: fc.integer({ min: 0, max: 5000 }),
    acceptedInWindow: fc.integer({ min: 0, max: 1000 }),
  }),
);

/** Replays events from t=0, checking `check` after each. */
function replay(
  ceiling: number,
  events: Event[],
  check: (before: AdaptiveLimitState, after: AdaptiveLimitState, e: Event, now: number) => void,
): AdaptiveLimitState {
  const params = adaptiveLimitParams(ceiling, WINDOW);
  let state = initialAdaptiveLimit(params);
  let now = 0;
  for (const e of events) {
    now += e.dt;
    const before = state;
    state =
      e.kind === "accepted"
        ? afterAccepted(state, params, now)
        : afterThrottle(state, params, { sentAt: now - e.sentAgo, now, acceptedInWindow: e.acceptedInWindow });
    check(before, state, e, now);
  }
  return state;
}

describe("adaptiveLimitParams", () => {
  it("development and production defaults: halve, recover 20 % per window at first, floor 1 %", () => {
    expect(adaptiveLimitParams(100, WINDOW)).toEqual({
      ceiling: 100,
      floor: 1,
      decreaseFactor: 0.5,
      recoveryPerWindow: 20,
      windowMs: WINDOW,
      maxDoublings: 3,
    });
    expect(adaptiveLimitParams(1000, WINDOW)).toMatchObject({ floor: 10, recoveryPerWindow: 200 });
    expect(adaptiveLimitParams(3, WINDOW)).toMatchObject({ floor: 1, recoveryPerWindow: 1 });
  });
});

describe("afterThrottle / afterAccepted (properties)", () => {
  const ceilingArb = fc.integer({ min: 1, max: 2000 });

  it("the limit always stays between the floor and the configured limit", () => {
    fc.assert(
      fc.property(ceilingArb, fc.array(eventArb, { maxLength: 300 }), (ceiling, events) => {
        const { floor } = adaptiveLimitParams(ceiling, WINDOW);
        replay(ceiling, events, (_b, after) => {
          expect(after.limit).toBeGreaterThanOrEqual(floor);
          expect(after.limit).toBeLessThanOrEqual(ceiling);
          expect(grantsPerWindow(after)).toBeLessThanOrEqual(ceiling);
          expect(grantsPerWindow(after)).toBeGreaterThanOrEqual(1);
        });
      }),
    );
  });

  it("an accepted request never lowers the limit; a 429 never raises it", () => {
    fc.assert(
      fc.property(ceilingArb, fc.array(eventArb, { maxLength: 300 }), (ceiling, events) => {
        replay(ceiling, events, (before, after, e) => {
          if (e.kind === "accepted") expect(after.limit).toBeGreaterThanOrEqual(before.limit);
          else expect(after.limit).toBeLessThanOrEqual(before.limit);
        });
      }),
    );
  });

  it("a new 429 lowers to at most half, and to at most what Clerk accepted (never below the floor)", () => {
    fc.assert(
      fc.property(ceilingArb, fc.array(eventArb, { maxLength: 300 }), (ceiling, events) => {
        const { floor } = adaptiveLimitParams(ceiling, WINDOW);
        replay(ceiling, events, (before, after, e, now) => {
          if (e.kind !== "throttled" || isEcho(before, now - e.sentAgo)) return;
          expect(after.limit).toBeLessThanOrEqual(Math.max(floor, Math.min(before.limit / 2, e.acceptedInWindow)));
          expect(after.throttledAt).toBe(now);
        });
      }),
    );
  });

  it("a 429 for a request sent before the current event began is an echo: nothing changes", () => {
    fc.assert(
      fc.property(ceilingArb, fc.array(eventArb, { maxLength: 300 }), (ceiling, events) => {
        replay(ceiling, events, (before, after, e, now) => {
          if (e.kind === "throttled" && isEcho(before, now - e.sentAgo)) expect(after).toBe(before);
        });
      }),
    );
  });

  it("requests that keep succeeding bring the limit back to the configured one within four windows", () => {
    fc.assert(
      fc.property(
        ceilingArb,
        fc.array(eventArb, { maxLength: 100 }),
        fc.integer({ min: 1, max: 500 }),
        (ceiling, events, gap) => {
          const params = adaptiveLimitParams(ceiling, WINDOW);
          let state = replay(ceiling, events, () => undefined);
          let now = events.reduce((t, e) => t + e.dt, 0);
          // 20 % + 40 % + 80 % + 160 % of the limit in four windows: more than enough from anywhere.
          const end = now + 4 * WINDOW + gap;
          while (now < end) {
            now += gap;
            state = afterAccepted(state, params, now);
          }
          expect(state.limit).toBe(ceiling);
        },
      ),
    );
  });
});

describe("afterThrottle / afterAccepted (examples)", () => {
  const params = adaptiveLimitParams(100, WINDOW);
  const start = initialAdaptiveLimit(params);

  it("halves when we had most of the instance; falls to our accepted share when we had less", () => {
    expect(afterThrottle(start, params, { sentAt: 900, now: 1000, acceptedInWindow: 90 })).toEqual({
      limit: 50,
      throttledAt: 1000,
      limitAfterThrottle: 50,
      climbingSince: Number.NEGATIVE_INFINITY,
    });
    expect(afterThrottle(start, params, { sentAt: 900, now: 1000, acceptedInWindow: 30 }).limit).toBe(30);
    expect(afterThrottle(start, params, { sentAt: 900, now: 1000, acceptedInWindow: 0 }).limit).toBe(1);
  });

  it("one event lowers once: the requests that were already out get 429s too, and change nothing", () => {
    const lowered = afterThrottle(start, params, { sentAt: 900, now: 1000, acceptedInWindow: 90 });
    expect(afterThrottle(lowered, params, { sentAt: 950, now: 1010, acceptedInWindow: 90 })).toBe(lowered);
    expect(afterThrottle(lowered, params, { sentAt: 1000, now: 1020, acceptedInWindow: 90 })).toBe(lowered);
    // A request sent after the event began is new evidence.
    expect(afterThrottle(lowered, params, { sentAt: 2000, now: 2100, acceptedInWindow: 40 }).limit).toBe(25);
  });

  it("recovery climbs with time from the first success after the 429, not during the pause", () => {
    const lowered = afterThrottle(start, params, { sentAt: 0, now: 0, acceptedInWindow: 30 });
    // Retry-After kept us quiet until 9 s: the first success starts the climb, it does not jump.
    const first = afterAccepted(lowered, params, 9000);
    expect(first).toMatchObject({ limit: 30, climbingSince: 9000 });
    // Then 20 per window in the first window, 40 in the second, 80, 160...
    expect(afterAccepted(first, params, 9000 + WINDOW / 2).limit).toBeCloseTo(40, 10);
    expect(afterAccepted(first, params, 9000 + WINDOW).limit).toBeCloseTo(50, 10);
    expect(afterAccepted(first, params, 9000 + 1.5 * WINDOW).limit).toBeCloseTo(70, 10);
    expect(afterAccepted(first, params, 9000 + 2.25 * WINDOW).limit).toBeCloseTo(100, 10);
    // However many answers arrive at one instant, the limit only follows the clock.
    let burst = first;
    for (let i = 0; i < 100; i++) burst = afterAccepted(burst, params, 9000 + 1000);
    expect(burst.limit).toBeCloseTo(32, 10);
  });

  it("recovery(): 1, 2, 4 and then 8 × recoveryPerWindow per successive window", () => {
    expect(recovery(0, params)).toBe(0);
    expect(recovery(-5, params)).toBe(0);
    expect(recovery(WINDOW, params)).toBe(20);
    expect(recovery(2 * WINDOW, params)).toBe(60);
    expect(recovery(3 * WINDOW, params)).toBe(140);
    expect(recovery(5 * WINDOW, params)).toBe(140 + 2 * 160);
  });
});
