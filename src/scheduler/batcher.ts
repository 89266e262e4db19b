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
  /** How long the first load of a batch waits for company, in ms. @default 10 */
  windowMs?: number;
  /** Distinct keys per `fetchBatch` call; a full batch is sent at once. @default 100 */
  maxBatch?: number;
  clock?: Clock;
  fetchBatch: (keys: K[]) => Promise<Map<K, V>>;
}

interface Waiter<V> {
  resolve: (value: V | undefined) => void;
  reject: (error: unknown) => void;
}

export function createBatcher<K, V>({
  windowMs = 10,
  maxBatch = 100,
  clock = systemClock,
  fetchBatch,
}: BatcherParams<K, V>): Batcher<K, V> {
  if (!Number.isInteger(maxBatch) || maxBatch < 1)
    throw new RangeError(`maxBatch must be a positive integer, got ${maxBatch}`);
  const sleep = (clock as AbortableClock).sleep.bind(clock);

  /** The batch still collecting keys, if any. */
  let pending: { waiters: Map<K, Waiter<V>[]>; timer: AbortController } | undefined;

  const dispatch = (batch: NonNullable<typeof pending>): void => {
    if (pending === batch) pending = undefined;
    batch.timer.abort();
    const keys = [...batch.waiters.keys()];
    let request: Promise<Map<K, V>>;
    try {
      request = Promise.resolve(fetchBatch(keys));
    } catch (e) {
      request = Promise.reject(e);
    }
    request.then(
      (found) => {
        for (const [key, waiters] of batch.waiters) {
          const value = found instanceof Map ? found.get(key) : undefined;
          for (const w of waiters) w.resolve(value);
        }
      },
      (error: unknown) => {
        for (const waiters of batch.waiters.values()) for (const w of waiters) w.reject(error);
      },
    );
  };

  return {
    load(key: K): Promise<V | undefined> {
      return new Promise<V | undefined>((resolve, reject) => {
        let batch = pending;
        if (batch === undefined) {
          const created = { waiters: new Map<K, Waiter<V>[]>(), timer: new AbortController() };
          batch = pending = created;
          void sleep(windowMs, created.timer.signal).then(() => {
            if (!created.timer.signal.aborted) dispatch(created);
          });
        }
        const existing = batch.waiters.get(key);
        if (existing !== undefined) existing.push({ resolve, reject });
        else batch.waiters.set(key, [{ resolve, reject }]);
        if (batch.waiters.size >= maxBatch) dispatch(batch);
      });
    },
  };
}
