import { systemClock } from "../../../src/scheduler/clock";
import { createScheduler } from "../../../src/scheduler/scheduler";

jest.setTimeout(5000);

describe("systemClock (jest fake timers)", () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  it("now() follows the (monotonic) timer clock and sleep resolves after the delay", async () => {
    const start = systemClock.now();
    let done = false;
    void systemClock.sleep(500).then(() => (done = true));
    await jest.advanceTimersByTimeAsync(499);
    expect(done).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    expect(done).toBe(true);
    expect(systemClock.now() - start).toBe(500);
  });

  it("an aborted sleep resolves at once and clears its timer", async () => {
    const abort = new AbortController();
    let done = false;
    void systemClock.sleep(30_000, abort.signal).then(() => (done = true));
    expect(jest.getTimerCount()).toBe(1);
    abort.abort();
    await Promise.resolve();
    await Promise.resolve();
    expect(done).toBe(true);
    expect(jest.getTimerCount()).toBe(0);
  });

  it("the default scheduler leaves no 30-s timeout timer behind after a fast request", async () => {
    const scheduler = createScheduler({ maxRequestsPer10s: 100 });
    await expect(scheduler.run({ label: "GET /users" }, async () => "ok")).resolves.toBe("ok");
    expect(jest.getTimerCount()).toBe(0);
  });

  it("the default scheduler times out a hung attempt after 30 s and retries it", async () => {
    const logs: string[] = [];
    const scheduler = createScheduler({ maxRequestsPer10s: 100, random: () => 0, log: (m) => logs.push(m) });
    let calls = 0;
    const result = scheduler.run({ label: "GET /users" }, () =>
      ++calls === 1 ? new Promise<string>(() => {}) : Promise.resolve("second"),
    );
    await jest.advanceTimersByTimeAsync(29_999);
    expect(calls).toBe(1);
    await jest.advanceTimersByTimeAsync(1); // timeout fires; the retry waits 0 ms (random 0)
    await jest.advanceTimersByTimeAsync(1); // Node runs a 0-ms timer after 1 ms
    await expect(result).resolves.toBe("second");
    expect(calls).toBe(2);
    expect(logs).toEqual(["Clerk GET /users: no response within 30.0 s, retrying in 0.0 s (attempt 2)"]);
    expect(jest.getTimerCount()).toBe(0);
  });
});
