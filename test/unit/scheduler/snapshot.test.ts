import { createSnapshot } from "../../../src/scheduler/snapshot";
import { FakeClock } from "./FakeClock";

function instance(clock: FakeClock, users: Record<string, number>, opts: { tooLarge?: boolean; fail?: number } = {}) {
  const fetches: number[] = [];
  let failures = opts.fail ?? 0;
  const fetchAll = async () => {
    fetches.push(clock.now());
    await clock.sleep(5);
    if (failures > 0) {
      failures--;
      throw new Error("500");
    }
    return opts.tooLarge ? undefined : new Map(Object.entries(users));
  };
  return { fetches, fetchAll };
}

it("concurrent lookups share one fetch; absent keys resolve null (confirm directly)", async () => {
  const clock = new FakeClock();
  const { fetches, fetchAll } = instance(clock, { a: 1, b: 2 });
  const snap = createSnapshot({ clock, fetchAll });
  const results = await clock.runUntilSettled(Promise.all(["a", "b", "zz", "a"].map((k) => snap.lookup(k))));
  expect(results).toEqual([1, 2, null, 1]);
  expect(fetches).toEqual([0]);
});

it("keeps answering while lookups keep coming, and is retaken after idleMs of silence or maxAgeMs", async () => {
  const clock = new FakeClock();
  const { fetches, fetchAll } = instance(clock, { a: 1 });
  const snap = createSnapshot({ clock, fetchAll, idleMs: 100, maxAgeMs: 1000 });
  await clock.runUntilSettled(snap.lookup("a"));
  for (let t = 0; t < 9; t++) {
    await clock.advance(90); // a steady refresh: never idle for 100 ms
    await clock.runUntilSettled(snap.lookup("a"));
  }
  expect(fetches).toEqual([0]);
  await clock.advance(200); // now past maxAge (1005 ms after the first fetch)
  await clock.runUntilSettled(snap.lookup("a"));
  expect(fetches).toEqual([0, clock.now() - 5]);
  await clock.advance(101); // idle
  await clock.runUntilSettled(snap.lookup("a"));
  expect(fetches).toHaveLength(3);
});

it("a write (invalidate) forces a fresh snapshot", async () => {
  const clock = new FakeClock();
  const { fetches, fetchAll } = instance(clock, { a: 1 });
  const snap = createSnapshot({ clock, fetchAll });
  await clock.runUntilSettled(snap.lookup("a"));
  snap.invalidate();
  await clock.runUntilSettled(snap.lookup("a"));
  expect(fetches).toHaveLength(2);
});

it("too large: answers undefined (use batched reads) and does not retry for maxAgeMs", async () => {
  const clock = new FakeClock();
  const { fetches, fetchAll } = instance(clock, {}, { tooLarge: true });
  const snap = createSnapshot({ clock, fetchAll, maxAgeMs: 1000 });
  expect(await clock.runUntilSettled(snap.lookup("a"))).toBeUndefined();
  expect(await clock.runUntilSettled(snap.lookup("b"))).toBeUndefined();
  expect(fetches).toEqual([0]);
  await clock.advance(1000);
  await clock.runUntilSettled(snap.lookup("a"));
  expect(fetches).toHaveLength(2);
});

it("a failed fetch rejects its waiters (an error, never 'gone') and is not kept", async () => {
  const clock = new FakeClock();
  const { fetches, fetchAll } = instance(clock, { a: 1 }, { fail: 1 });
  const snap = createSnapshot({ clock, fetchAll });
  const both = Promise.allSettled([snap.lookup("a"), snap.lookup("b")]);
  const settled = await clock.runUntilSettled(both);
  expect(settled.map((s) => s.status)).toEqual(["rejected", "rejected"]);
  expect(await clock.runUntilSettled(snap.lookup("a"))).toBe(1);
  expect(fetches).toHaveLength(2);
});

it("a slow (rate-limited) fetch is not idleness: reads right after its answer still use it", async () => {
  const clock = new FakeClock();
  const fetches: number[] = [];
  const fetchAll = async () => {
    fetches.push(clock.now());
    await clock.sleep(5000); // waited for the instance's rate-limit window
    return new Map([["a", 1]]);
  };
  const snap = createSnapshot({ clock, fetchAll, idleMs: 1000, maxAgeMs: 30_000 });
  expect(await clock.runUntilSettled(snap.lookup("a"))).toBe(1); // answered at 5000
  await clock.advance(50); // the engine's next read
  expect(await clock.runUntilSettled(snap.lookup("a"))).toBe(1);
  expect(fetches).toEqual([0]);
});
