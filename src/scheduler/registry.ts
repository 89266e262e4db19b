import { CLERK_WINDOW_MS, WINDOW_SAFETY_MS } from "./scheduler";
import { createFileSharedWindow, defaultSharedWindowRoot, sharedWindowDir, type SharedWindow } from "./sharedWindow";
import type { SchedulerOptions } from "./types";

/** Identifies a Clerk instance: Clerk rate-limits per secret key. */
export interface ClerkInstanceKey {
  apiUrl: string;
  secretKey: string;
}

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
 * Same-machine coordination for the instance, on by default: a directory under the OS temp dir named by a hash of
 * the instance (`CLERK_RATE_LIMIT_DIR` moves it, `off` disables it). Only with real time: its announcements are
 * epoch milliseconds that other processes compare with their own clock, so an injected clock gets none.
 */
export function defaultSharedWindow(
  key: ClerkInstanceKey,
  overrides: Pick<Partial<SchedulerOptions>, "clock" | "debug">,
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
