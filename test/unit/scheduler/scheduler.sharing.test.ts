/**
 * The scheduler when another client uses the same instance: the adaptive limit, the jittered resume, the probe,
 * the debug lines and the end-of-operation summary; and several schedulers (several provider hosts) against one
 * instance in virtual time, with and without same-machine coordination. Exact outcomes only: these runs are
 * deterministic (virtual time, seeded randomness), so they prove the design, not the speed of a real machine.
 */
import { createScheduler, CLERK_WINDOW_MS, WINDOW_SAFETY_MS } from "../../../src/scheduler/scheduler";
import type { Scheduler, SchedulerOptions } from "../../../src/scheduler/types";
import { FakeClerkWindow } from "./FakeClerkWindow";
import { FakeClock } from "./FakeClock";
import { MemoryBoard } from "./MemorySharedWindow";

const WINDOW = CLERK_WINDOW_MS + WINDOW_SAFETY_MS;
const SUMMARY = /^Clerk throttled (\d+) requests?; another client is using this instance's limit$/;

function tooMany(retryAfter: number): Error {
  return Object.assign(new Error("Too Many Requests"), { status: 429, retryAfter });
}

function setup(opts: Partial<SchedulerOptions> = {}) {
  const clock = new FakeClock();
  const logs: string[] = [];
  const debug: string[] = [];
  const scheduler = createScheduler({
    maxRequestsPer10s: 100,
    clock,
    random: () => 0.5,
    log: (m) => logs.push(m),
    debug: (m) => debug.push(`${clock.now()} ${m}`),
    ...opts,
  });
  return { clock, logs, debug, scheduler };
}

/** A deterministic uniform [0, 1) source. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe("adaptive limit", () => {
  it("a 429 lowers the limit to the share Clerk accepted from us, once per event, with one debug line", async () => {
    const { clock, debug, scheduler } = setup({ maxConcurrency: 40 });
    // 33 requests at once: Clerk accepts 30 and answers 429 to the other three (one event: sent together).
    let n = 0;
    const answer = async (): Promise<string> => {
      if (clock.now() === 0 && ++n > 30) throw tooMany(2);
      return "ok";
    };
    const runs = Array.from({ length: 33 }, () => scheduler.run({ label: "GET /users" }, answer));
    await clock.runUntilSettled(Promise.all(runs));
    expect(debug.filter((l) => l.includes("lowered"))).toEqual([
      "0 Clerk rate limit lowered to 30 requests / 10 s (configured 100): 429 after 30 accepted in the last 10 s; " +
        "another client is using this instance's limit",
    ]);
    // The window held our 30 accepted requests from t=0 (the three 429s gave their slots back), so the retries went
    // one window later; the climb back starts at the first success after the 429, so it has not moved yet.
    expect(scheduler.stats()).toMatchObject({ throttled: 3, limit: 30 });
  });

  it("never above the configured limit, and back to it after enough success (logged once on arrival)", async () => {
    const { clock, debug, scheduler } = setup({ maxRequestsPer10s: 20 });
    let first = true;
    await clock.runUntilSettled(
      scheduler.run({ label: "GET /users" }, async () => {
        if (first) {
          first = false;
          throw tooMany(1);
        }
        return "ok";
      }),
    );
    // Nothing of ours accepted when the 429 came: the floor, 1 request per window.
    expect(debug).toEqual([
      "0 Clerk rate limit lowered to 1 requests / 10 s (configured 20): 429 after 0 accepted in the last 10 s; " +
        "another client is using this instance's limit",
    ]);
    expect(scheduler.stats().limit).toBe(1);
    for (let i = 0; i < 200; i++) {
      await clock.runUntilSettled(scheduler.run({ label: "GET /users" }, async () => "ok"));
      expect(scheduler.stats().limit).toBeLessThanOrEqual(20);
    }
    expect(scheduler.stats().limit).toBe(20);
    const raised = debug.filter((l) => l.includes("raised"));
    expect(raised.at(-1)).toMatch(/raised to 20 requests \/ 10 s \(configured 20\): requests succeed$/);
    // Raises are logged at most once per window (and on reaching the configured limit).
    const times = raised.slice(0, -1).map((l) => Number(l.split(" ")[0]));
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(CLERK_WINDOW_MS);
  });
});

describe("resume after Retry-After", () => {
  it("resumes after Retry-After plus jitter (random × 25 % of it, at most 2 s); the first request goes alone", async () => {
    const { clock, scheduler } = setup({ random: () => 0.8 });
    const starts: string[] = [];
    // Ten accepted requests first: the 429 then lowers the limit to 10, and their slots are free again by 21.6 s.
    for (let i = 0; i < 10; i++) await scheduler.run({ label: "GET /users" }, async () => "ok");
    let throttle = true;
    const a = scheduler.run({ label: "A" }, async () => {
      starts.push(`A@${clock.now()}`);
      if (throttle) {
        throttle = false;
        throw tooMany(20);
      }
      return "a";
    });
    await FakeClock.flush();
    const others = ["B", "C"].map((name) =>
      scheduler.run({ label: name }, async () => {
        starts.push(`${name}@${clock.now()}`);
        await clock.sleep(100);
        return name;
      }),
    );
    await clock.runUntilSettled(Promise.all([a, ...others]));
    // 20 s + 0.8 × min(25 % of 20 s, 2 s) = 21.6 s. B, first in line since t=0, goes alone (the probe); C and A
    // (back from its 20-s wait) go when B's answer is in, 100 ms later.
    expect(starts).toEqual(["A@0", "B@21600", "C@21700", "A@21700"]);
  });
});

describe("end of an operation", () => {
  it("when the scheduler goes idle after 429s, one line says how many; nothing when there were none", async () => {
    const { clock, logs, scheduler } = setup();
    await clock.runUntilSettled(scheduler.run({ label: "GET /users" }, async () => "ok"));
    expect(logs).toEqual([]);

    let n = 0;
    const runs = Array.from({ length: 4 }, () =>
      scheduler.run({ label: "POST /users" }, async () => {
        if (++n <= 2) throw tooMany(1);
        return "ok";
      }),
    );
    await clock.runUntilSettled(Promise.all(runs));
    expect(logs.filter((l) => SUMMARY.test(l))).toEqual([
      "Clerk throttled 2 requests; another client is using this instance's limit",
    ]);
    // The summary is the last line: it comes when nothing is queued, in flight or waiting to retry.
    expect(logs.at(-1)).toMatch(SUMMARY);

    // The next operation counts afresh.
    let once = true;
    await clock.runUntilSettled(
      scheduler.run({ label: "DELETE /users/u" }, async () => {
        if (once) {
          once = false;
          throw tooMany(1);
        }
        return "ok";
      }),
    );
    expect(logs.at(-1)).toBe("Clerk throttled 1 request; another client is using this instance's limit");
  });
});

/** A provider host's work in one stack: create N users, refresh (one list), destroy N, with --parallel 8. */
async function stack(clock: FakeClock, scheduler: Scheduler, clerk: FakeClerkWindow, users: number, startMs: number) {
  await clock.sleep(startMs);
  const failures: unknown[] = [];
  const op = async (): Promise<void> => {
    await clock.sleep(40); // the engine and the host's own work per operation
    await scheduler.run({ label: "X" }, () => clerk.call()).catch((e: unknown) => failures.push(e));
  };
  const pool = async (n: number): Promise<void> => {
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < n) {
          next++;
          await op();
        }
      }),
    );
  };
  await pool(users);
  await op();
  await pool(users);
  return failures;
}

describe("several provider hosts, one instance (virtual time)", () => {
  async function run(k: number, coordinated: boolean, seed: number) {
    const clock = new FakeClock();
    const clerk = new FakeClerkWindow(clock, 100, 20);
    const board = new MemoryBoard(WINDOW);
    const logs: string[][] = [];
    const schedulers = Array.from({ length: k }, (_, i) => {
      logs.push([]);
      return createScheduler({
        maxRequestsPer10s: 100,
        clock,
        random: seeded(seed * 31 + i),
        log: (m) => logs[i]!.push(m),
        ...(coordinated ? { sharedWindow: board.join() } : {}),
      });
    });
    const start = seeded(seed);
    const failures = await clock.runUntilSettled(
      Promise.all(schedulers.map((s) => stack(clock, s, clerk, 30, Math.floor(start() * 500)))),
      10_000_000,
    );
    return { clerk, schedulers, logs, failures: failures.flat() };
  }

  it.each([1, 2, 3])(
    "8 hosts, as if on separate machines (seed %i): every operation completes under the default retry budget",
    async (seed) => {
      const { clerk, schedulers, logs, failures } = await run(8, false, seed);
      expect(failures).toEqual([]);
      expect(clerk.served).toBe(8 * 61);
      for (const [i, s] of schedulers.entries()) {
        const { throttled, limit } = s.stats();
        expect(limit).toBeLessThanOrEqual(100);
        // Each host that was throttled said so, and its summaries add up to its 429s.
        const said = logs[i]!.map((l) => SUMMARY.exec(l)).reduce((sum, m) => sum + (m ? Number(m[1]) : 0), 0);
        expect(said).toBe(throttled);
      }
    },
  );

  it.each([1, 2, 3])(
    "8 hosts on one machine (seed %i): together they never overfill the instance: no 429 at all",
    async (seed) => {
      const { clerk, failures } = await run(8, true, seed);
      expect(failures).toEqual([]);
      expect(clerk.served).toBe(8 * 61);
      expect(clerk.throttled).toBe(0);
    },
  );
});
