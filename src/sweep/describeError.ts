import { ErrorCode } from "../errors/ClerkProviderError";
import { toProviderError } from "../errors/toProviderError";

/** A gateway failure reduced to what a person running the sweeper needs. */
export interface ErrorDescription {
  /** One line, e.g. `Clerk 401 clerk_key_invalid: The provided Clerk Secret Key is invalid.` Never the key. */
  reason: string;
  /** HTTP status Clerk answered with, when it answered. */
  status?: number;
  clerkCode?: string;
}

/**
 * Describes whatever a gateway call threw: Clerk's status, code and long message (via `toProviderError`),
 * "gave up after N attempts" when the retry budget ran out, and the trace id to quote to Clerk support.
 */
export function describeError(err: unknown, operation: string): ErrorDescription {
  const e = toProviderError(err, { operation });
  const parts: string[] = [];
  if (e.code === ErrorCode.ClerkUnreachable) {
    parts.push(e.longMessage ?? "Clerk could not be reached");
  } else {
    if (e.status !== undefined) parts.push(`Clerk ${e.status} ${e.clerkCode ?? "unknown_error"}`);
    if (e.longMessage) parts.push(e.longMessage);
  }
  const attempts = retryAttempts(err);
  if (attempts !== undefined) parts.push(`gave up after ${attempts} attempts (retry budget exhausted)`);
  if (parts.length === 0) parts.push(e.message);
  const reason = parts.join(": ") + (e.traceId ? ` (clerk_trace_id ${e.traceId})` : "");
  return {
    reason,
    ...(e.status !== undefined ? { status: e.status } : {}),
    ...(e.clerkCode !== undefined ? { clerkCode: e.clerkCode } : {}),
  };
}

/** `attempts` of a RetryBudgetExhaustedError, duck-typed on its brand. */
function retryAttempts(err: unknown): number | undefined {
  if (typeof err !== "object" || err === null) return undefined;
  const { kind, attempts } = err as { kind?: unknown; attempts?: unknown };
  return kind === "pulumi-clerk/RetryBudgetExhaustedError" && typeof attempts === "number" ? attempts : undefined;
}
