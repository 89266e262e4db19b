/**
 * Bounds how many Clerk requests are in flight at once. The Pulumi host may start 400 operations together;
 * without a bound they would all open sockets and wait on the rate limiter at the same time (a stampede),
 * and with an unfair queue some of them could wait forever.
 *
 * Waiters are served in ticket order (FIFO by original arrival). A request that comes back for a retry
 * keeps its ticket, so it goes ahead of callers that arrived after it instead of to the back of a queue of
 * hundreds, which would burn its retry budget in the queue.
 */
export interface ConcurrencyLimiter {
  /** Resolves with a release function once a slot is free; call it exactly once. */
  acquire(ticket: number): Promise<() => void>;
  inUse(): number;
  queued(): number;
}

export function createConcurrencyLimiter(max: number): ConcurrencyLimiter {
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`maxConcurrency must be a positive integer, got ${max}`);
  let inUse = 0;
  /** Sorted by ticket, ascending. */
  const waiters: { ticket: number; grant: () => void }[] = [];

  const release = (): void => {
    inUse--;
    const next = waiters.shift();
    if (next !== undefined) {
      inUse++;
      next.grant();
    }
  };

  const makeRelease = (): (() => void) => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      release();
    };
  };

  return {
    acquire(ticket: number): Promise<() => void> {
      if (inUse < max && waiters.length === 0) {
        inUse++;
        return Promise.resolve(makeRelease());
      }
      return new Promise((resolve) => {
        let i = waiters.length;
        while (i > 0 && (waiters[i - 1] as { ticket: number }).ticket > ticket) i--;
        waiters.splice(i, 0, { ticket, grant: () => resolve(makeRelease()) });
      });
    },
    inUse: () => inUse,
    queued: () => waiters.length,
  };
}
