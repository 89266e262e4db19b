/**
 * Clerk-like sliding-window rate limiting (NOTES §3): an instance-wide budget of N requests per 10 s and, for some
 * writes, a budget per written resource: per user (PATCH /users/{id}, PATCH|PUT /users/{id}/metadata), per
 * organization (PATCH /organizations/{id}, PATCH|PUT …/metadata) and per membership (PATCH …/memberships/{user_id}
 * and its /metadata). A rejected request is not counted and not applied; the caller answers 429 with
 * `Retry-After` = whole seconds until a slot frees (>= 1).
 */
export interface RateLimitConfig {
  requestsPer10s: number;
  perUserWritesPer10s?: number;
  perOrganizationWritesPer10s?: number;
  perMembershipWritesPer10s?: number;
}

/** The resource a write is budgeted against. */
export interface WriteKey {
  scope: "user" | "organization" | "membership";
  id: string;
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
  { allowed: true } | { allowed: false; retryAfterSeconds: number; scope: "instance" | WriteKey["scope"] };

const LIMIT_OF: Record<WriteKey["scope"], keyof RateLimitConfig> = {
  user: "perUserWritesPer10s",
  organization: "perOrganizationWritesPer10s",
  membership: "perMembershipWritesPer10s",
};

export class RateLimiter {
  private readonly instance: Window;
  private readonly perResource = new Map<string, Window>();

  constructor(readonly config: RateLimitConfig) {
    if (!(config.requestsPer10s > 0)) throw new Error("local-clerk: rateLimit.requestsPer10s must be > 0");
    this.instance = new Window(config.requestsPer10s);
  }

  /** Admits (and records) the request, or says how long to wait. `write` only for budgeted write operations. */
  check(now: number, write?: WriteKey): RateDecision {
    const instanceWait = this.instance.waitMs(now);
    let resourceWindow: Window | undefined;
    let resourceWait = 0;
    const limit = write === undefined ? undefined : this.config[LIMIT_OF[write.scope]];
    if (write !== undefined && limit !== undefined) {
      const key = `${write.scope}:${write.id}`;
      resourceWindow = this.perResource.get(key);
      if (!resourceWindow) {
        resourceWindow = new Window(limit);
        this.perResource.set(key, resourceWindow);
      }
      resourceWait = resourceWindow.waitMs(now);
    }
    const wait = Math.max(instanceWait, resourceWait);
    if (wait > 0) {
      return {
        allowed: false,
        retryAfterSeconds: Math.max(1, Math.ceil(wait / 1000)),
        scope: resourceWait > instanceWait && write !== undefined ? write.scope : "instance",
      };
    }
    this.instance.record(now);
    resourceWindow?.record(now);
    return { allowed: true };
  }
}
