import { createBatcher } from "../../../src/scheduler/batcher";
import { FakeClock } from "./FakeClock";

interface User {
  id: string;
}

/** fetchBatch over a fixed set of existing ids, recording each call's keys and virtual time. */
function fakeUsers(clock: FakeClock, existing: (id: string) => boolean = () => true) {
  const calls: { keys: string[]; t: number }[] = [];
  const fetchBatch = async (keys: string[]): Promise<Map<string, User>> => {
    calls.push({ keys, t: clock.now() });
    await clock.sleep(50);
    return new Map(keys.filter(existing).map((id) => [id, { id }]));
  };
  return { calls, fetchBatch };
}

describe("createBatcher", () => {
  it("coalesces 500 concurrent loads into 5 fetchBatch calls of 100", async () => {
    const clock = new FakeClock();
    const { calls, fetchBatch } = fakeUsers(clock);
    const batcher = createBatcher({ clock, fetchBatch });
    const ids = Array.from({ length: 500 }, (_, i) => `user_${i}`);
    const results = await clock.runUntilSettled(Promise.all(ids.map((id) => batcher.load(id))));
    expect(results).toEqual(ids.map((id) => ({ id })));
    expect(calls.map((c) => c.keys.length)).toEqual([100, 100, 100, 100, 100]);
    expect(calls.map((c) => c.keys)).toEqual([0, 1, 2, 3, 4].map((b) => ids.slice(b * 100, b * 100 + 100)));
    expect(calls.every((c) => c.t === 0)).toBe(true); // full batches do not wait for the window
  });

  it("sends a partial batch once no load arrived for windowMs; each arrival restarts the wait", async () => {
    const clock = new FakeClock();
    const { calls, fetchBatch } = fakeUsers(clock);
    const batcher = createBatcher({ clock, fetchBatch, windowMs: 10 });
    const first = batcher.load("a");
    await clock.advance(9);
    const second = batcher.load("b"); // restarts the wait: the batch goes at 9 + 10
    await clock.advance(9);
    expect(calls).toEqual([]);
    await clock.advance(1);
    expect(calls).toEqual([{ keys: ["a", "b"], t: 19 }]);
    const third = batcher.load("c"); // after dispatch: a new batch
    await clock.runUntilSettled(Promise.all([first, second, third]));
    expect(calls).toEqual([
      { keys: ["a", "b"], t: 19 },
      { keys: ["c"], t: 29 },
    ]);
  });

  it("never waits more than maxWaitMs after the first load, however steady the trickle", async () => {
    const clock = new FakeClock();
    const { calls, fetchBatch } = fakeUsers(clock);
    const batcher = createBatcher({ clock, fetchBatch, windowMs: 10, maxWaitMs: 50 });
    const loads = [batcher.load("k0")];
    for (let i = 1; i <= 8; i++) {
      await clock.advance(8);
      loads.push(batcher.load(`k${i}`));
    }
    await clock.runUntilSettled(Promise.all(loads));
    // k0..k6 arrive at 0..48 and go at 50; k7 (56) and k8 (64) form the next batch, sent 10 ms after k8.
    expect(calls).toEqual([
      { keys: ["k0", "k1", "k2", "k3", "k4", "k5", "k6"], t: 50 },
      { keys: ["k7", "k8"], t: 74 },
    ]);
  });

  it("holdWhileInFlight: a partial batch waits for the batch in flight to be answered, then for quiet", async () => {
    const clock = new FakeClock();
    const calls: { keys: string[]; t: number }[] = [];
    const fetchBatch = async (keys: string[]) => {
      calls.push({ keys, t: clock.now() });
      await clock.sleep(100); // the answer takes 100 ms
      return new Map(keys.map((k) => [k, { id: k }]));
    };
    const batcher = createBatcher({
      clock,
      fetchBatch,
      windowMs: 10,
      busyWindowMs: 10,
      maxWaitMs: 1000,
      maxBatch: 2,
      holdWhileInFlight: true,
    });
    const loads = [batcher.load("a"), batcher.load("b")]; // full: sent at 0
    loads.push(batcher.load("c")); // partial, while a+b are in flight
    await clock.advance(50);
    expect(calls).toEqual([{ keys: ["a", "b"], t: 0 }]);
    await clock.runUntilSettled(Promise.all(loads));
    // a+b answered at 100; "c" then waits 10 ms of quiet.
    expect(calls).toEqual([
      { keys: ["a", "b"], t: 0 },
      { keys: ["c"], t: 110 },
    ]);
  });

  it("dedups keys within a batch: one slot, same result for every caller", async () => {
    const clock = new FakeClock();
    const { calls, fetchBatch } = fakeUsers(clock);
    const batcher = createBatcher({ clock, fetchBatch });
    const loads = ["x", "y", "x", "x", "y"].map((id) => batcher.load(id));
    const results = await clock.runUntilSettled(Promise.all(loads));
    expect(calls.map((c) => c.keys)).toEqual([["x", "y"]]);
    expect(results).toEqual([{ id: "x" }, { id: "y" }, { id: "x" }, { id: "x" }, { id: "y" }]);
    expect(results[0]).toBe(results[2]);
  });

  it("duplicates do not count towards maxBatch", async () => {
    const clock = new FakeClock();
    const { calls, fetchBatch } = fakeUsers(clock);
    const batcher = createBatcher({ clock, fetchBatch, maxBatch: 2 });
    const loads = ["a", "a", "a", "b", "c"].map((id) => batcher.load(id));
    await clock.runUntilSettled(Promise.all(loads));
    expect(calls.map((c) => c.keys)).toEqual([["a", "b"], ["c"]]);
  });

  it("resolves undefined for keys the batch did not return", async () => {
    const clock = new FakeClock();
    const { fetchBatch } = fakeUsers(clock, (id) => id !== "gone");
    const batcher = createBatcher({ clock, fetchBatch });
    const results = await clock.runUntilSettled(Promise.all(["here", "gone"].map((id) => batcher.load(id))));
    expect(results).toEqual([{ id: "here" }, undefined]);
  });

  it("rejects every waiter of a failed batch with that error, and later batches still work", async () => {
    const clock = new FakeClock();
    const failure = new Error("503 from GET /users");
    let call = 0;
    const batcher = createBatcher<string, User>({
      clock,
      fetchBatch: async (keys) => {
        if (++call === 1) throw failure;
        return new Map(keys.map((id) => [id, { id }]));
      },
    });
    const loads = ["a", "b", "a"].map((id) =>
      batcher.load(id).then(
        () => "resolved",
        (e: unknown) => e,
      ),
    );
    expect(await clock.runUntilSettled(Promise.all(loads))).toEqual([failure, failure, failure]);
    await expect(clock.runUntilSettled(batcher.load("a"))).resolves.toEqual({ id: "a" });
  });

  it("a fetchBatch that throws synchronously rejects its waiters too", async () => {
    const clock = new FakeClock();
    const failure = new Error("sync");
    const batcher = createBatcher<string, User>({
      clock,
      fetchBatch: () => {
        throw failure;
      },
    });
    await expect(clock.runUntilSettled(batcher.load("a"))).rejects.toBe(failure);
  });
});
