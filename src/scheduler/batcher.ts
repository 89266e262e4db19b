import { systemClock, type AbortableClock } from "./clock";
import type { Clock } from "./types";

/**
 * Coalesces concurrent single-key reads into batch reads. On `pulumi refresh` of 500 users the host calls
 * `read` 500 times at once; one `GET /users/{id}` each would spend five dev-instance windows (50 s). Loads
 * that arrive within `windowMs` of the first one (or until `maxBatch` distinct keys are waiting) become one
 * `fetchBatch` call, e.g. `GET /users?user_id=…&limit=100`, so 500 reads become 5 requests.
 *
 * - Duplicate keys in one batch share a single slot and result.
 * - A key missing from the returned map resolves `undefined`; the caller confirms with a direct GET, since a
 *   list endpoint omitting a user is weaker evidence than a 404.
 * - If `fetchBatch` fails, every waiter of that batch rejects with the same error.
 */
export interface Batcher<K, V> {
  load(key: K): Promise<V | undefined>;
}

export interface BatcherParams<K, V> {
  /**
   * How long a batch waits for the next load before it is sent, in ms; each arrival restarts the wait, so a
   * burst that the host delivers over tens of milliseconds still becomes one request. @default 10
   */
  windowMs?: number;
  /** The longest a batch waits after its first load, whatever keeps arriving. @default 50 */
  maxWaitMs?: number;
  /**
   * A batch that starts while an earlier one is in flight is part of a larger burst (the caller has more reads
   * than one batch holds, and is still delivering them): hold it until the earlier batch is answered, then wait
   * `busyWindowMs` of quiet (never past `maxWaitMs`). Batches that start with nothing in flight keep the short
   * `windowMs`, so low-concurrency callers pay no extra latency. Full batches always go at once.
   * @default false
   */
  holdWhileInFlight?: boolean;
  /** Quiet to wait for in a held batch, in ms. @default windowMs */
  busyWindowMs?: number;
  /** Distinct keys per `fetchBatch` call; a full batch is sent at once. @default 100 */
  maxBatch?: number;
  clock?: Clock;
  fetchBatch: (keys: K[]) => Promise<Map<K, V>>;
}

interface Waiter<V> {
  resolve: (value: V | undefined) => void;
  reject: (error: unknown) => void;
}

/** A batch still collecting keys, or sent. */
interface Batch<K, V> {
  waiters: Map<K, Waiter<V>[]>;
  timer: AbortController;
  startedAt: number;
  inBurst: boolean;
}

function newBatch<K, V>(startedAt: number, inBurst: boolean): Batch<K, V> {
  return { waiters: new Map<K, Waiter<V>[]>(), timer: new AbortController(), startedAt, inBurst };
}

/** Duplicate keys share one slot (and one result). */
function addWaiter<K, V>(batch: Batch<K, V>, key: K, waiter: Waiter<V>): void {
  const existing = batch.waiters.get(key);
  if (existing !== undefined) existing.push(waiter);
  else batch.waiters.set(key, [waiter]);
}

/** Sends one batch and hands each waiter its value (or the batch's error), then calls `done`. */
function send<K, V>(batch: Batch<K, V>, fetchBatch: (keys: K[]) => Promise<Map<K, V>>, done: () => void): void {
  let request: Promise<Map<K, V>>;
  try {
    request = Promise.resolve(fetchBatch([...batch.waiters.keys()]));
  } catch (e) {
    request = Promise.reject(e);
  }
  request.then(
    (found) => {
      for (const [key, waiters] of batch.waiters) {
        const value = found instanceof Map ? found.get(key) : undefined;
        for (const w of waiters) w.resolve(value);
      }
      done();
    },
    (error: unknown) => {
      for (const waiters of batch.waiters.values()) for (const w of waiters) w.reject(error);
      done();
    },
  );
}

export function createBatcher<K, V>({
  windowMs = 10,
  maxWaitMs = 50,
  holdWhileInFlight = false,
  busyWindowMs = windowMs,
  maxBatch = 100,
  clock = systemClock,
  fetchBatch,
}: BatcherParams<K, V>): Batcher<K, V> {
  if (!Number.isInteger(maxBatch) || maxBatch < 1)
    throw new RangeError(`maxBatch must be a positive integer, got ${maxBatch}`);
  const sleep = (clock as AbortableClock).sleep.bind(clock);

  /** The batch still collecting keys, if any. */
  let pending: Batch<K, V> | undefined;

  /** Batches sent whose answers have not been handed out yet. */
  let inFlight = 0;

  /** (Re)arms the batch's timer: `windowMs` from now, but never past `maxWaitMs` after its first load. */
  const arm = (batch: Batch<K, V>): void => {
    batch.timer.abort();
    const timer = new AbortController();
    batch.timer = timer;
    const quiet = batch.inBurst ? busyWindowMs : windowMs;
    const remaining = batch.startedAt + maxWaitMs - clock.now();
    const delay = Math.max(0, Math.min(quiet, remaining));
    void sleep(delay, timer.signal).then(() => {
      if (timer.signal.aborted) return;
      // Part of a burst, earlier batch still in flight, time left: wait; its answer re-arms this batch.
      if (batch.inBurst && inFlight > 0 && remaining > quiet) return;
      dispatch(batch);
    });
  };

  const settled = (): void => {
    inFlight--;
    if (holdWhileInFlight && inFlight === 0 && pending !== undefined) arm(pending);
  };

  const dispatch = (batch: Batch<K, V>): void => {
    if (pending === batch) pending = undefined;
    batch.timer.abort();
    inFlight++;
    send(batch, fetchBatch, settled);
  };

  return {
    load(key: K): Promise<V | undefined> {
      return new Promise<V | undefined>((resolve, reject) => {
        const batch = (pending ??= newBatch<K, V>(clock.now(), holdWhileInFlight && inFlight > 0));
        arm(batch);
        addWaiter(batch, key, { resolve, reject });
        if (batch.waiters.size >= maxBatch) dispatch(batch);
      });
    },
  };
}
