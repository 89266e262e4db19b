import { createScheduler, WINDOW_SAFETY_MS, CLERK_WINDOW_MS } from "../../../src/scheduler/scheduler";
import { RetryBudgetExhaustedError } from "../../../src/scheduler/RetryBudgetExhaustedError";
import { RequestTimeoutError } from "../../../src/scheduler/RequestTimeoutError";
import type { SchedulerOptions } from "../../../src/scheduler/types";
import { FakeClock } from "./FakeClock";

/** The window the scheduler enforces (Clerk's 10 s plus the send-jitter allowance). */
const WINDOW = CLERK_WINDOW_MS + WINDOW_SAFETY_MS;

function clerkError(status: number | undefined, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(status === undefined ? "" : `HTTP ${status}`), {
    name: "ClerkAPIResponseError",
    status,
    clerkTraceId: "trace_x",
    errors:
      status === undefined
        ? [{ code: "unexpected_error", message: "fetch failed" }]
        : [{ code: "some_code", message: "m", longMessage: "lm", meta: {} }],
    ...extra,
  });
}

function setup(opts: Partial<SchedulerOptions> = {}) {
  const clock = new FakeClock();
  const logs: string[] = [];
  const scheduler = createScheduler({
    maxRequestsPer10s: 100,
    clock,
    random: () => 0.5,
    backoffBaseMs: 1000,
    log: (m) => logs.push(m),
    ...opts,
  });
  return { clock, logs, scheduler };
}

/** An attempt function that records the virtual start time of each attempt and delegates by attempt number. */
function scripted<T>(clock: FakeClock, step: (n: number) => Promise<T>) {
  const starts: number[] = [];
  const attempt = (): Promise<T> => {
    starts.push(clock.now());
    return step(starts.length);
  };
  return { starts, attempt };
}

describe("createScheduler: retries", () => {
  it("retries 5xx with exponential backoff, then succeeds (exactly 3 attempts)", async () => {
    const { clock, logs, scheduler } = setup();
    const { starts, attempt } = scripted(clock, async (n) => {
      if (n === 1) throw clerkError(503);
      if (n === 2) throw clerkError(500);
      return "ok";
    });
    const result = await clock.runUntilSettled(scheduler.run({ label: "GET /users/user_1" }, attempt));
    expect(result).toBe("ok");
    // random 0.5, base 1000: retry 1 waits 500, retry 2 waits 1000
    expect(starts).toEqual([0, 500, 1500]);
    expect(logs).toEqual([
      "Clerk GET /users/user_1: 503 Service Unavailable, retrying in 0.5 s (attempt 2)",
      "Clerk GET /users/user_1: 500 Internal Server Error, retrying in 1.0 s (attempt 3)",
    ]);
    expect(scheduler.stats()).toEqual({ sent: 3, retried: 2, throttled: 0, inFlight: 0, queued: 0, limit: 100 });
  });

  it.each([422, 404, 401])("does not retry %i: exactly one attempt, the original error rethrown", async (status) => {
    const { clock, logs, scheduler } = setup();
    const error = clerkError(status);
    const { starts, attempt } = scripted(clock, () => Promise.reject(error));
    await expect(clock.runUntilSettled(scheduler.run({ label: "POST /users" }, attempt))).rejects.toBe(error);
    expect(starts).toEqual([0]);
    expect(logs).toEqual([]);
    expect(scheduler.stats()).toEqual({ sent: 1, retried: 0, throttled: 0, inFlight: 0, queued: 0, limit: 100 });
  });

  it("does not retry an unknown error, including one thrown synchronously by the attempt", async () => {
    const { clock, scheduler } = setup();
    const error = new TypeError("bug");
    const { starts, attempt } = scripted<string>(clock, () => {
      throw error;
    });
    await expect(clock.runUntilSettled(scheduler.run({ label: "GET /users" }, attempt))).rejects.toBe(error);
    expect(starts).toEqual([0]);
    expect(clock.pending()).toBe(0);
  });

  it("retries a network failure (SDK 'fetch failed')", async () => {
    const { clock, logs, scheduler } = setup();
    const { starts, attempt } = scripted(clock, async (n) => {
      if (n === 1) throw clerkError(undefined);
      return 1;
    });
    await expect(clock.runUntilSettled(scheduler.run({ label: "DELETE /users/user_9" }, attempt))).resolves.toBe(1);
    expect(starts).toEqual([0, 500]);
    expect(logs).toEqual(["Clerk DELETE /users/user_9: fetch failed, retrying in 0.5 s (attempt 2)"]);
  });

  it("times out an attempt that never answers, retries it, and leaves no timer behind", async () => {
    const { clock, logs, scheduler } = setup({ requestTimeoutMs: 2000 });
    const { starts, attempt } = scripted(clock, (n) =>
      n === 1 ? new Promise<string>(() => {}) : Promise.resolve("late ok"),
    );
    await expect(clock.runUntilSettled(scheduler.run({ label: "GET /users" }, attempt))).resolves.toBe("late ok");
    expect(starts).toEqual([0, 2500]);
    expect(logs).toEqual(["Clerk GET /users: no response within 2.0 s, retrying in 0.5 s (attempt 2)"]);
    expect(clock.pending()).toBe(0);
  });

  it("an attempt that answers just before the timeout is not timed out", async () => {
    const { clock, scheduler } = setup({ requestTimeoutMs: 2000 });
    const { starts, attempt } = scripted(clock, () => clock.sleep(1999).then(() => "ok"));
    await expect(clock.runUntilSettled(scheduler.run({ label: "GET /users" }, attempt))).resolves.toBe("ok");
    expect(starts).toEqual([0]);
    expect(clock.now()).toBe(1999);
    expect(clock.pending()).toBe(0);
  });

  it("throws RetryBudgetExhaustedError when the next wait would pass the budget, with attempts and cause", async () => {
    const { clock, logs, scheduler } = setup({ retryBudgetMs: 5000 });
    const errors: Error[] = [];
    const { starts, attempt } = scripted(clock, () => {
      const e = clerkError(503);
      errors.push(e);
      return Promise.reject(e);
    });
    const outcome = await clock
      .runUntilSettled(scheduler.run({ label: "POST /users" }, attempt))
      .catch((e: unknown) => e);
    // waits 500, 1000, 2000; the next (4000) would end at 7500 > 5000
    expect(starts).toEqual([0, 500, 1500, 3500]);
    expect(RetryBudgetExhaustedError.isInstance(outcome)).toBe(true);
    const err = outcome as RetryBudgetExhaustedError;
    expect(err).toMatchObject({
      code: "retry_budget_exhausted",
      label: "POST /users",
      attempts: 4,
      elapsedMs: 3500,
      budgetMs: 5000,
      reason: "503 Service Unavailable",
    });
    expect(err.cause).toBe(errors[3]);
    expect(err.message).toBe(
      "Clerk POST /users: gave up after 4 attempts in 3.5 s (retry budget 5.0 s); last failure: 503 Service Unavailable",
    );
    expect(logs).toHaveLength(3);
    expect(clock.now()).toBe(3500); // failed fast instead of sleeping into the budget
  });

  it("a retry keeps its place in the queue ahead of later callers (FIFO by arrival)", async () => {
    const { clock, scheduler } = setup({ maxConcurrency: 1 });
    const order: string[] = [];
    let aCalls = 0;
    const a = scheduler.run({ label: "A" }, async () => {
      order.push(`A@${clock.now()}`);
      if (++aCalls === 1) throw clerkError(502);
      return "a";
    });
    const b = scheduler.run({ label: "B" }, async () => {
      order.push(`B@${clock.now()}`);
      await clock.sleep(1000);
      return "b";
    });
    const c = scheduler.run({ label: "C" }, async () => {
      order.push(`C@${clock.now()}`);
      return "c";
    });
    await clock.runUntilSettled(Promise.all([a, b, c]));
    // A fails at 0 and sleeps 500 while B holds the only slot; at 1000 A (arrived first) goes before C.
    expect(order).toEqual(["A@0", "B@0", "A@1000", "C@1000"]);
  });
});

describe("createScheduler: 429", () => {
  it("pauses the whole instance until Retry-After: the throttled request and everyone queued behind it wait", async () => {
    const { clock, logs, scheduler } = setup({ maxConcurrency: 4 });
    const starts: Record<string, number[]> = { A: [], B: [], C: [] };
    const a = scheduler.run({ label: "POST /users" }, async () => {
      starts.A!.push(clock.now());
      await clock.sleep(100);
      if (starts.A!.length === 1) throw clerkError(429, { retryAfter: 3 });
      return "a";
    });
    await clock.advanceTo(200); // the 429 has arrived
    const others = ["B", "C"].map((name) =>
      scheduler.run({ label: `GET /users/${name}` }, async () => {
        starts[name]!.push(clock.now());
        return name;
      }),
    );
    expect(scheduler.stats()).toMatchObject({ throttled: 1, queued: 2, inFlight: 0 });
    await clock.runUntilSettled(Promise.all([a, ...others]));
    // Retry-After 3 s from t=100, plus the resume jitter: random 0.5 × 25 % of 3 s = 375 ms. B, first in line,
    // goes alone (the probe). None of ours had been accepted when the 429 came, so the limit fell to its floor,
    // one request per window, which B now holds until 10.25 s after its answer; by then the limit has climbed
    // (20 per window from B's success), and C and A go together.
    expect(starts).toEqual({ A: [0, 13725], B: [3475], C: [13725] });
    expect(logs).toEqual([
      "Clerk POST /users: 429 Too Many Requests, retrying in 3.0 s (attempt 2)",
      "Clerk throttled 1 request; another client is using this instance's limit",
    ]);
    // 1 + 20 × (10 250 ÷ 10 000 windows, the second one climbing twice as fast) = 1 + 20 + 40 × 0.025 = 22.
    expect(scheduler.stats()).toEqual({ sent: 4, retried: 1, throttled: 1, inFlight: 0, queued: 0, limit: 22 });
  });

  it("without Retry-After waits 1 s", async () => {
    const { clock, logs, scheduler } = setup();
    const { starts, attempt } = scripted(clock, async (n) => {
      if (n === 1) throw clerkError(429);
      return "ok";
    });
    await clock.runUntilSettled(scheduler.run({ label: "GET /users" }, attempt));
    // 1 s, plus the resume jitter (0.5 × 25 % of 1 s).
    expect(starts).toEqual([0, 1125]);
    expect(logs).toEqual([
      "Clerk GET /users: 429 Too Many Requests, retrying in 1.0 s (attempt 2)",
      "Clerk throttled 1 request; another client is using this instance's limit",
    ]);
  });
});

describe("createScheduler: rate limits", () => {
  it("instance limit: never more than N per window, each counted until one window after its answer", async () => {
    const { clock, scheduler } = setup({ maxRequestsPer10s: 100, maxConcurrency: 16 });
    const starts: number[] = [];
    const runs = Array.from({ length: 250 }, (_, i) =>
      scheduler.run({ label: `GET /users/user_${i}` }, async () => {
        starts.push(clock.now());
        await clock.sleep(50);
      }),
    );
    await clock.runUntilSettled(Promise.all(runs));
    expect(starts).toHaveLength(250);
    for (let i = 100; i < starts.length; i++) expect(starts[i]! - starts[i - 100]!).toBeGreaterThanOrEqual(WINDOW);
    // Every attempt answers 50 ms after it is sent, so a slot frees one window after that answer.
    expect(starts[0]).toBe(0);
    expect(starts[99]).toBe(300); // 16 in flight at a time
    expect(starts[100]).toBe(50 + WINDOW);
    expect(starts[200]).toBe(2 * (50 + WINDOW));
  });

  it("a request answered only after a whole window keeps its slot until its answer, however long that takes", async () => {
    const { clock, scheduler } = setup({ maxRequestsPer10s: 1 });
    const starts: number[] = [];
    const run = (answerAfterMs: number) =>
      scheduler.run({ label: "GET /users" }, async () => {
        starts.push(clock.now());
        await clock.sleep(answerAfterMs);
      });
    // Clerk may count the first when it finally arrives, 15 s after the send: the second goes a window after that.
    await clock.runUntilSettled(Promise.all([run(15_000), run(0)]));
    expect(starts).toEqual([0, 15_000 + WINDOW]);
  });

  it("per-user writes: the 11th write to one user waits a window; writes to other users are not delayed", async () => {
    const { clock, scheduler } = setup({ maxRequestsPer10s: 100 });
    const sends: string[] = [];
    const write = (user: string, i: number) =>
      scheduler.run({ label: `PATCH /users/${user}`, userWrite: user }, async () => {
        sends.push(`${user}#${i}@${clock.now()}`);
      });
    const runs = [
      ...Array.from({ length: 11 }, (_, i) => write("user_1", i)),
      write("user_2", 0),
      write("user_3", 0),
      scheduler.run({ label: "GET /users/user_1" }, async () => {
        sends.push(`read@${clock.now()}`);
      }),
    ];
    await clock.runUntilSettled(Promise.all(runs));
    // Everything but the 11th write to user_1 goes out at t=0 (their interleaving within t=0 is not asserted).
    expect(sends.slice(0, 13).sort()).toEqual(
      [...Array.from({ length: 10 }, (_, i) => `user_1#${i}@0`), "user_2#0@0", "user_3#0@0", "read@0"].sort(),
    );
    expect(sends.slice(13)).toEqual([`user_1#10@${WINDOW}`]);
  });

  it("per-user window counts the real send time, not the time the user slot was reserved", async () => {
    // One slot, held by a slow read until t=9000. Three writes to user u arrive at t=0 and wait for it.
    // Stamping the user window at t=0 would let the third write go at 10 250, i.e. three writes to u within
    // [9000, 19 250) on the wire. Stamping at the real send (9000) makes the third wait until 9000 + window.
    const { clock, scheduler } = setup({ maxRequestsPer10s: 100, maxUserWritesPer10s: 2, maxConcurrency: 1 });
    const sends: number[] = [];
    const slow = scheduler.run({ label: "GET /users" }, () => clock.sleep(9000));
    const writes = Array.from({ length: 3 }, () =>
      scheduler.run({ label: "PATCH /users/u", userWrite: "u" }, async () => {
        sends.push(clock.now());
      }),
    );
    await clock.runUntilSettled(Promise.all([slow, ...writes]));
    expect(sends).toEqual([9000, 9000, 9000 + WINDOW]);
  });
});

describe("createScheduler: concurrency", () => {
  it("400 callers: in flight never exceeds the bound and reaches it, all complete, served FIFO", async () => {
    const { clock, scheduler } = setup({ maxRequestsPer10s: 1000, maxConcurrency: 16 });
    let inFlight = 0;
    let maxInFlight = 0;
    const order: number[] = [];
    const runs = Array.from({ length: 400 }, (_, i) =>
      scheduler.run({ label: `GET /users/user_${i}` }, async () => {
        order.push(i);
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await clock.sleep(20 + ((i * 7) % 13));
        inFlight--;
        return i;
      }),
    );
    await FakeClock.flush();
    expect(scheduler.stats()).toEqual({ sent: 16, retried: 0, throttled: 0, inFlight: 16, queued: 384, limit: 1000 });
    const results = await clock.runUntilSettled(Promise.all(runs));
    expect(results).toEqual(Array.from({ length: 400 }, (_, i) => i));
    expect(maxInFlight).toBe(16);
    expect(order).toEqual(Array.from({ length: 400 }, (_, i) => i));
    expect(scheduler.stats()).toEqual({ sent: 400, retried: 0, throttled: 0, inFlight: 0, queued: 0, limit: 1000 });
  });

  it("rejects a nonsensical limit", () => {
    expect(() => createScheduler({ maxRequestsPer10s: 0 })).toThrow(RangeError);
  });
});

describe("createScheduler: logging", () => {
  it("hands the logger each retry as data too: label, fixed reason, status when Clerk answered, next attempt, wait", async () => {
    const events: unknown[] = [];
    const { clock, scheduler } = setup({ log: (_m, e) => events.push(e) });
    const { attempt } = scripted(clock, async (n) => {
      if (n === 1) throw clerkError(undefined);
      if (n === 2) throw clerkError(503);
      return "ok";
    });
    await clock.runUntilSettled(scheduler.run({ label: "GET /users" }, attempt));
    expect(events).toEqual([
      { label: "GET /users", reason: "fetch failed", attempt: 2, delayMs: 500 },
      { label: "GET /users", reason: "503 Service Unavailable", status: 503, attempt: 3, delayMs: 1000 },
    ]);
  });

  it("a throwing logger does not break the retry", async () => {
    const { clock, scheduler } = setup({
      log: () => {
        throw new Error("logger down");
      },
    });
    const { starts, attempt } = scripted(clock, async (n) => {
      if (n === 1) throw new RequestTimeoutError("GET /users", 10);
      return "ok";
    });
    await expect(clock.runUntilSettled(scheduler.run({ label: "GET /users" }, attempt))).resolves.toBe("ok");
    expect(starts).toEqual([0, 500]);
  });
});
