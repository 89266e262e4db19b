import type { AbortableClock } from "../../../src/scheduler/clock";

interface Sleeper {
  at: number;
  seq: number;
  resolve: () => void;
}

/**
 * Deterministic virtual time. `sleep` registers a sleeper; `advance`/`runUntilSettled` move time forward and
 * wake sleepers one at a time in (wake time, registration order), draining all promise continuations after
 * each wake so that code woken at t can register new sleepers that are still honoured within the same advance.
 * Nothing here waits on real time except `setImmediate` to drain microtasks.
 */
export class FakeClock implements AbortableClock {
  private t: number;
  private seq = 0;
  private sleepers: Sleeper[] = [];

  constructor(start = 0) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const sleeper: Sleeper = { at: this.t + Math.max(0, ms), seq: this.seq++, resolve };
      this.sleepers.push(sleeper);
      signal?.addEventListener(
        "abort",
        () => {
          this.sleepers = this.sleepers.filter((s) => s !== sleeper);
          resolve();
        },
        { once: true },
      );
    });
  }

  /** Sleepers not yet woken. */
  pending(): number {
    return this.sleepers.length;
  }

  /** Lets every queued promise continuation run (microtasks, including ones they queue). */
  static async flush(): Promise<void> {
    for (let i = 0; i < 3; i++) await new Promise<void>((r) => setImmediate(r));
  }

  /** Moves time forward by `ms`, waking due sleepers in order. */
  async advance(ms: number): Promise<void> {
    const target = this.t + ms;
    for (;;) {
      await FakeClock.flush();
      const next = this.nextSleeper();
      if (next === undefined || next.at > target) break;
      this.wake(next);
    }
    this.t = target;
    await FakeClock.flush();
  }

  /** Moves time to an absolute instant. */
  async advanceTo(t: number): Promise<void> {
    await this.advance(t - this.t);
  }

  /**
   * Jumps from sleeper to sleeper until `promise` settles; returns its outcome. Throws if nothing is left to
   * wake (a deadlock) or after `maxWakes` wakes (a livelock).
   */
  async runUntilSettled<T>(promise: Promise<T>, maxWakes = 100_000): Promise<T> {
    let settled = false;
    const tracked = promise.then(
      (v) => {
        settled = true;
        return v;
      },
      (e: unknown) => {
        settled = true;
        throw e;
      },
    );
    tracked.catch(() => undefined);
    for (let i = 0; i < maxWakes; i++) {
      await FakeClock.flush();
      if (settled) return tracked;
      const next = this.nextSleeper();
      if (next === undefined) throw new Error(`FakeClock: deadlock at t=${this.t}, promise still pending`);
      this.wake(next);
    }
    throw new Error(`FakeClock: not settled after ${maxWakes} wakes`);
  }

  private nextSleeper(): Sleeper | undefined {
    let best: Sleeper | undefined;
    for (const s of this.sleepers) {
      if (best === undefined || s.at < best.at || (s.at === best.at && s.seq < best.seq)) best = s;
    }
    return best;
  }

  private wake(s: Sleeper): void {
    this.sleepers = this.sleepers.filter((x) => x !== s);
    this.t = Math.max(this.t, s.at);
    s.resolve();
  }
}
