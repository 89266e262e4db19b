import { createHash } from "node:crypto";
import { CLERK_WINDOW_MS, createScheduler, WINDOW_SAFETY_MS } from "./scheduler";
import { createFileSharedWindow, defaultSharedWindowRoot, sharedWindowDir, type SharedWindow } from "./sharedWindow";
import type { Scheduler, SchedulerOptions } from "./types";

/** Identifies a Clerk instance: Clerk rate-limits per secret key. */
export interface ClerkInstanceKey {
  apiUrl: string;
  secretKey: string;
}

/** Options that may be set when the scheduler of an instance is first created. */
export type SchedulerOverrides = Partial<SchedulerOptions>;

/**
 * Environment variable naming the directory where processes on this machine share their use of each instance's
 * limit (default `<os temp dir>/pulumi-clerk-rate-limit`); `off` turns same-machine coordination off.
 */
export const RATE_LIMIT_DIR_ENV = "CLERK_RATE_LIMIT_DIR";

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
/** The shared windows the registry opened, closed on reset. */
const sharedWindows: SharedWindow[] = [];

/**
 * Returns the process-wide scheduler of the instance, creating it on first use. `overrides` only apply to
 * that first call: later callers get the existing scheduler unchanged. `maxRequestsPer10s` defaults to
 * `defaultRequestsPer10s(secretKey)`; `sharedWindow` to `defaultSharedWindow(key)`.
 */
export function getScheduler(key: ClerkInstanceKey, overrides: SchedulerOverrides = {}): Scheduler {
  const id = registryKey(key);
  let scheduler = schedulers.get(id);
  if (scheduler === undefined) {
    const shared =
      "sharedWindow" in overrides ? overrides.sharedWindow : defaultSharedWindow(key, overrides, process.env);
    if (shared !== undefined && !("sharedWindow" in overrides)) sharedWindows.push(shared);
    scheduler = createScheduler({
      ...overrides,
      maxRequestsPer10s: overrides.maxRequestsPer10s ?? defaultRequestsPer10s(key.secretKey),
      ...(shared !== undefined ? { sharedWindow: shared } : {}),
    });
    schedulers.set(id, scheduler);
  }
  return scheduler;
}

/**
 * Same-machine coordination for the instance, on by default: a directory under the OS temp dir named by a hash of
 * the instance (`CLERK_RATE_LIMIT_DIR` moves it, `off` disables it). Only with real time: its announcements are
 * epoch milliseconds that other processes compare with their own clock, so an injected clock gets none.
 */
export function defaultSharedWindow(
  key: ClerkInstanceKey,
  overrides: SchedulerOverrides,
  env: NodeJS.ProcessEnv,
): SharedWindow | undefined {
  if (overrides.clock !== undefined) return undefined;
  const setting = env[RATE_LIMIT_DIR_ENV]?.trim();
  if (setting?.toLowerCase() === "off") return undefined;
  const root = setting !== undefined && setting !== "" ? setting : defaultSharedWindowRoot();
  const debug = overrides.debug;
  return createFileSharedWindow({
    dir: sharedWindowDir(root, key.apiUrl, key.secretKey),
    windowMs: CLERK_WINDOW_MS + WINDOW_SAFETY_MS,
    onDisabled: (reason) =>
      debug?.(`Clerk rate limit: not coordinating with other processes on this machine (${reason})`),
  });
}

/** Map keys currently registered (apiUrl + key hash), for diagnostics and tests. */
export function registeredSchedulerIds(): string[] {
  return [...schedulers.keys()];
}

/** Forgets every scheduler. For tests; running schedulers keep working for their current holders. */
export function resetSchedulerRegistry(): void {
  schedulers.clear();
  for (const w of sharedWindows.splice(0)) w.close();
}

/** `https://api.clerk.com/` and `https://api.clerk.com` are the same instance. */
function registryKey({ apiUrl, secretKey }: ClerkInstanceKey): string {
  const url = apiUrl.trim().replace(/\/+$/, "");
  const hash = createHash("sha256").update(secretKey, "utf8").digest("hex");
  return `${url} sha256:${hash}`;
}
