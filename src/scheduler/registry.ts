import { createHash } from "node:crypto";
import { createScheduler } from "./scheduler";
import type { Scheduler, SchedulerOptions } from "./types";

/** Identifies a Clerk instance: Clerk rate-limits per secret key. */
export interface ClerkInstanceKey {
  apiUrl: string;
  secretKey: string;
}

/** Options that may be set when the scheduler of an instance is first created. */
export type SchedulerOverrides = Partial<SchedulerOptions>;

/** Clerk's documented instance limits per 10 s. */
export const DEV_REQUESTS_PER_10S = 100;
export const PROD_REQUESTS_PER_10S = 1000;

/**
 * Clerk allows 1000 requests / 10 s on production instances (`sk_live_` keys) and 100 on development
 * instances (`sk_test_` keys). Unknown prefixes get the lower limit: too slow is safe, too fast earns 429s.
 */
export function defaultRequestsPer10s(secretKey: string): number {
  return secretKey.startsWith("sk_live_") ? PROD_REQUESTS_PER_10S : DEV_REQUESTS_PER_10S;
}

/**
 * One scheduler per Clerk instance per process. The Pulumi host runs hundreds of resource operations at once
 * in one process, each with its own Clerk client; the limit is per instance, so they must all share one
 * scheduler or each would believe it has the whole budget.
 *
 * The map key is the apiUrl plus a SHA-256 hash of the secret key; the key itself is never stored here.
 */
const schedulers = new Map<string, Scheduler>();

/**
 * Returns the process-wide scheduler of the instance, creating it on first use. `overrides` only apply to
 * that first call: later callers get the existing scheduler unchanged. `maxRequestsPer10s` defaults to
 * `defaultRequestsPer10s(secretKey)`.
 */
export function getScheduler(key: ClerkInstanceKey, overrides: SchedulerOverrides = {}): Scheduler {
  const id = registryKey(key);
  let scheduler = schedulers.get(id);
  if (scheduler === undefined) {
    scheduler = createScheduler({
      ...overrides,
      maxRequestsPer10s: overrides.maxRequestsPer10s ?? defaultRequestsPer10s(key.secretKey),
    });
    schedulers.set(id, scheduler);
  }
  return scheduler;
}

/** Map keys currently registered (apiUrl + key hash), for diagnostics and tests. */
export function registeredSchedulerIds(): string[] {
  return [...schedulers.keys()];
}

/** Forgets every scheduler. For tests; running schedulers keep working for their current holders. */
export function resetSchedulerRegistry(): void {
  schedulers.clear();
}

/** `https://api.clerk.com/` and `https://api.clerk.com` are the same instance. */
function registryKey({ apiUrl, secretKey }: ClerkInstanceKey): string {
  const url = apiUrl.trim().replace(/\/+$/, "");
  const hash = createHash("sha256").update(secretKey, "utf8").digest("hex");
  return `${url} sha256:${hash}`;
}
