import type { FakeClock } from "./FakeClock";

/**
 * Clerk's instance limit as a server sees it, in virtual time: `limit` requests per sliding `windowMs` counted at
 * arrival (`latencyMs` after the send), a rejected request not counted and answered 429 with Retry-After = whole
 * seconds until a slot frees (at least 1), as the local Clerk does. The answer takes `latencyMs` back.
 */
export class FakeClerkWindow {
  private stamps: number[] = [];
  served = 0;
  throttled = 0;

  constructor(
    private readonly clock: FakeClock,
    private readonly limit = 100,
    private readonly latencyMs = 20,
    private readonly windowMs = 10_000,
  ) {}

  async call(): Promise<"ok"> {
    await this.clock.sleep(this.latencyMs);
    const now = this.clock.now();
    this.stamps = this.stamps.filter((t) => t > now - this.windowMs);
    const full = this.stamps.length >= this.limit;
    const waitMs = full ? this.stamps[this.stamps.length - this.limit]! + this.windowMs - now : 0;
    if (!full) this.stamps.push(now);
    await this.clock.sleep(this.latencyMs);
    if (full) {
      this.throttled++;
      throw Object.assign(new Error("Too Many Requests"), {
        status: 429,
        retryAfter: Math.max(1, Math.ceil(waitMs / 1000)),
      });
    }
    this.served++;
    return "ok";
  }
}
