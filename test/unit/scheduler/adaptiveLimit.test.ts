import fc from "fast-check";
import {
  adaptiveLimitParams,
  afterAccepted,
  afterThrottle,
  grantsPerWindow,
  initialAdaptiveLimit,
  isEcho,
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
  it("development and production defaults: halve, 10 % recovery per window, floor 5 %", () => {
    expect(adaptiveLimitParams(100, WINDOW)).toEqual({
      ceiling: 100,
      floor: 5,
      decreaseFactor: 0.5,
      recoveryPerWindow: 10,
      windowMs: WINDOW,
      maxDoublings: 3,
    });
    expect(adaptiveLimitParams(1000, WINDOW)).toMatchObject({ floor: 50, recoveryPerWindow: 100 });
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

  it("requests that keep succeeding bring the limit back to the configured one, and no further", () => {
    fc.assert(
      fc.property(ceilingArb, fc.array(eventArb, { maxLength: 100 }), (ceiling, events) => {
        const params = adaptiveLimitParams(ceiling, WINDOW);
        let state = replay(ceiling, events, () => undefined);
        let now = events.reduce((t, e) => t + e.dt, 0);
        // At most ceiling / step successes per window are needed; 4 windows of ceiling successes is plenty.
        for (let i = 0; i < 4 * ceiling + 100; i++) {
          now += Math.floor(WINDOW / Math.max(1, state.limit));
          state = afterAccepted(state, params, now);
        }
        expect(state.limit).toBe(ceiling);
      }),
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
    });
    expect(afterThrottle(start, params, { sentAt: 900, now: 1000, acceptedInWindow: 30 }).limit).toBe(30);
    expect(afterThrottle(start, params, { sentAt: 900, now: 1000, acceptedInWindow: 0 }).limit).toBe(5);
  });

  it("one event lowers once: the requests that were already out get 429s too, and change nothing", () => {
    const lowered = afterThrottle(start, params, { sentAt: 900, now: 1000, acceptedInWindow: 90 });
    expect(afterThrottle(lowered, params, { sentAt: 950, now: 1010, acceptedInWindow: 90 })).toBe(lowered);
    // A request sent after the event began is new evidence.
    expect(afterThrottle(lowered, params, { sentAt: 2000, now: 2100, acceptedInWindow: 40 }).limit).toBe(25);
  });

  it("recovery: +10 per window's worth of accepted requests, doubling for each quiet window (up to 8×)", () => {
    const at = (limit: number, now: number) => afterAccepted({ limit, throttledAt: 0 }, params, now).limit;
    expect(at(20, 5_000)).toBeCloseTo(20 + 10 / 20, 10);
    expect(at(20, 15_000)).toBeCloseTo(20 + 20 / 20, 10);
    expect(at(20, 25_000)).toBeCloseTo(20 + 40 / 20, 10);
    expect(at(20, 35_000)).toBeCloseTo(20 + 80 / 20, 10);
    expect(at(20, 95_000)).toBeCloseTo(20 + 80 / 20, 10);
    expect(at(99.9, 95_000)).toBe(100);
  });
});
