/**
 * Clerk-like sliding-window rate limiting (NOTES §3): an instance-wide budget of N requests per 10 s and,
 * for PATCH /users/{id} and PATCH|PUT /users/{id}/metadata, a per-user write budget. A rejected request is not
 * counted and not applied; the caller answers 429 with `Retry-After` = whole seconds until a slot frees (>= 1).
 */
export interface RateLimitConfig {
  requestsPer10s: number;
  perUserWritesPer10s?: number;
}

export const WINDOW_MS = 10_000;

/** Timestamps of admitted events inside the last window. */
class Window {
  private stamps: number[] = [];

  constructor(private readonly limit: number) {}

  /** 0 if an event is admissible now, else ms until the oldest blocking event leaves the window. */
  waitMs(now: number): number {
    this.stamps = this.stamps.filter((t) => t > now - WINDOW_MS);
    if (this.stamps.length < this.limit) return 0;
    const blocking = this.stamps[this.stamps.length - this.limit] ?? now;
    return blocking + WINDOW_MS - now;
  }

  record(now: number): void {
    this.stamps.push(now);
  }
}

export type RateDecision =
  { allowed: true } | { allowed: false; retryAfterSeconds: number; scope: "instance" | "user" };

export class RateLimiter {
  private readonly instance: Window;
  private readonly perUser = new Map<string, Window>();

  constructor(readonly config: RateLimitConfig) {
    if (!(config.requestsPer10s > 0)) throw new Error("local-clerk: rateLimit.requestsPer10s must be > 0");
    this.instance = new Window(config.requestsPer10s);
  }

  /** Admits (and records) the request, or says how long to wait. `userKey` only for per-user write operations. */
  check(now: number, userKey?: string): RateDecision {
    const instanceWait = this.instance.waitMs(now);
    let userWindow: Window | undefined;
    let userWait = 0;
    const perUserLimit = this.config.perUserWritesPer10s;
    if (userKey !== undefined && perUserLimit !== undefined) {
      userWindow = this.perUser.get(userKey);
      if (!userWindow) {
        userWindow = new Window(perUserLimit);
        this.perUser.set(userKey, userWindow);
      }
      userWait = userWindow.waitMs(now);
    }
    const wait = Math.max(instanceWait, userWait);
    if (wait > 0) {
      return {
        allowed: false,
        retryAfterSeconds: Math.max(1, Math.ceil(wait / 1000)),
        scope: userWait > instanceWait ? "user" : "instance",
      };
    }
    this.instance.record(now);
    userWindow?.record(now);
    return { allowed: true };
  }
}
