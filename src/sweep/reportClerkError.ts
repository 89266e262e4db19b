import type { ClerkSettings } from "../clerk/settings";
import { describeError } from "./describeError";
import { escapeText } from "./escapeText";
import { ExitCode } from "./exitCodes";
import type { RetryNotice } from "./retryNotice";

/**
 * The final line of a Clerk call that failed before anything was deleted (a listing, the instance lookup): the
 * URL, and for a transport failure the cause the probe found. 401 is `ExitCode.Auth`, anything else `Failed`.
 */
export async function reportClerkError(
  e: unknown,
  what: string,
  settings: ClerkSettings,
  err: (l: string) => void,
  notice: RetryNotice,
): Promise<ExitCode> {
  const d = describeError(e, what);
  if (d.status === 401) {
    err(
      `clerk-sweep: Clerk rejected the secret key at ${settings.apiUrl}: ${escapeText(d.reason)}. ` +
        "Check CLERK_SECRET_KEY (and CLERK_API_URL / --api-url). Nothing was deleted.",
    );
    return ExitCode.Auth;
  }
  if (d.unreachable) {
    const cause = await notice.cause();
    if (cause !== undefined) {
      err(
        `clerk-sweep: ${what} failed: Clerk at ${settings.apiUrl} could not be reached: ${cause}` +
          `${d.gaveUp !== undefined ? `: ${d.gaveUp}` : ""}. Nothing was deleted.`,
      );
      return ExitCode.Failed;
    }
  }
  err(`clerk-sweep: ${what} at ${settings.apiUrl} failed: ${escapeText(d.reason)}. Nothing was deleted.`);
  return ExitCode.Failed;
}
