/** A counting semaphore: at most `limit` holders at a time (the engine's `--parallel`). */
export class Semaphore {
  private active = 0;
  private readonly waiters: (() => void)[] = [];
  /** Highest number of simultaneous holders observed. */
  maxActive = 0;

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`parallel must be a positive integer, got ${limit}`);
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((r) => this.waiters.push(r));
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    try {
      return await fn();
    } finally {
      this.active--;
      this.waiters.shift()?.();
    }
  }
}
