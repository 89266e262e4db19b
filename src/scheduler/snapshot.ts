import { systemClock } from "./clock";
import type { Clock } from "./types";

/**
 * A short-lived picture of a whole (small) Clerk instance, for `pulumi refresh` at the engine's default
 * parallelism. The engine never has more than `--parallel` reads in flight (4 × CPUs), so read batching alone
 * cannot do better than N ÷ parallel requests; one paged `GET /users` of a development instance (at most 100
 * users by Clerk's rules) answers every read of the refresh instead.
 *
 * Freshness: a snapshot answers only while reads keep arriving (`idleMs` apart at most) and for `maxAgeMs` at
 * most; any write through the gateway drops it. A refresh runs in a fresh provider host, so in practice a
 * snapshot lives for one refresh. A key absent from a complete snapshot resolves `null` (the caller confirms with
 * a direct GET: the user may be newer than the snapshot); `undefined` means "no snapshot can answer" (the
 * instance is too large, see `fetchAll`), so the caller falls back to batched reads.
 */
export interface Snapshot<V> {
  lookup(key: string): Promise<V | null | undefined>;
  /** Forget the current snapshot (after a write). */
  invalidate(): void;
}

export interface SnapshotParams<V> {
  /** Every value of the instance, or `undefined` when it is too large to take whole. */
  fetchAll: () => Promise<Map<string, V> | undefined>;
  /** A snapshot unused this long is dropped. @default 1000 */
  idleMs?: number;
  /** A snapshot is never used after this long, nor retried this long after `fetchAll` said "too large". @default 30000 */
  maxAgeMs?: number;
  clock?: Clock;
}

export function createSnapshot<V>({
  fetchAll,
  idleMs = 1000,
  maxAgeMs = 30_000,
  clock = systemClock,
}: SnapshotParams<V>): Snapshot<V> {
  let current: { takenAt: number; lastUse: number; values: Promise<Map<string, V> | undefined> } | undefined;
  let tooLargeUntil = -Infinity;

  return {
    async lookup(key) {
      const now = clock.now();
      if (now < tooLargeUntil) return undefined;
      if (current === undefined || now - current.lastUse > idleMs || now - current.takenAt > maxAgeMs) {
        const taking = { takenAt: now, lastUse: now, values: fetchAll() };
        current = taking;
        // A failed snapshot is not kept: the next lookup tries again (each waiter sees this failure).
        taking.values.catch(() => {
          if (current === taking) current = undefined;
        });
      }
      current.lastUse = now;
      const taken = current;
      const values = await taken.values;
      // Waiting for the fetch (rate limited, slow) is not idleness: the silence counts from the answer.
      taken.lastUse = Math.max(taken.lastUse, clock.now());
      if (values === undefined) {
        tooLargeUntil = now + maxAgeMs;
        if (current === taken) current = undefined;
        return undefined;
      }
      return values.get(key) ?? null;
    },
    invalidate() {
      current = undefined;
    },
  };
}
