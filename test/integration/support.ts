import { resetGateways } from "../../src/clerk/gateway";
import { resetConfiguredSettings } from "../../src/clerk/settings";
import { startLocalClerk, type LocalClerk } from "../local-clerk";

/**
 * Integration layer: the provider runtime's hooks called in-process, through @clerk/backend, against the local
 * Clerk on a real port. Cheaper than the host; proves hook → SDK → wire → store.
 */
export async function startClerkForHooks(opts: Parameters<typeof startLocalClerk>[0] = {}): Promise<LocalClerk> {
  const clerk = await startLocalClerk(opts);
  resetGateways();
  resetConfiguredSettings();
  process.env["CLERK_SECRET_KEY"] = clerk.secretKey;
  process.env["CLERK_API_URL"] = clerk.url;
  process.env["CLERK_MAX_REQUESTS_PER_10S"] = "100000";
  process.env["CLERK_RETRY_TIMEOUT_SECONDS"] = "20";
  return clerk;
}

export const managedBy = (name: string) => ({ project: "proj", stack: "dev", name });

/** Request log as "METHOD /path" with ids blanked, for exact call-sequence assertions. */
export function calls(clerk: LocalClerk): string[] {
  return clerk.control.requests().map((r) => `${r.method} ${r.path.replace(/\/(user|idn)_\w+/g, "/$1_X")}`);
}
