import { ErrorCode } from "../errors/ClerkProviderError";
import { toProviderError } from "../errors/toProviderError";
import { RetryBudgetExhaustedError } from "../scheduler/RetryBudgetExhaustedError";

/** A gateway failure reduced to what a person running the sweeper needs. */
export interface ErrorDescription {
  /** One line, e.g. `Clerk 401 clerk_key_invalid: The provided Clerk Secret Key is invalid.` Never the key. */
  reason: string;
  /** HTTP status Clerk answered with, when it answered. */
  status?: number;
  clerkCode?: string;
  /** No HTTP answer at all (connection refused, DNS, TLS, timeout): the cause is worth a probe. */
  unreachable: boolean;
  /** "gave up after N attempts (retry budget exhausted)" when the retry budget ran out. */
  gaveUp?: string;
}

/**
 * Describes whatever a gateway call threw: Clerk's status, code and long message (via `toProviderError`),
 * "gave up after N attempts" when the retry budget ran out, and the trace id to quote to Clerk support.
 */
export function describeError(err: unknown, operation: string): ErrorDescription {
  const e = toProviderError(err, { operation });
  const unreachable = e.code === ErrorCode.ClerkUnreachable || (e.status === undefined && isNetworkBudget(err));
  const parts: string[] = [];
  if (unreachable) {
    parts.push(e.longMessage ?? "Clerk could not be reached");
  } else {
    if (e.status !== undefined) parts.push(`Clerk ${e.status} ${e.clerkCode ?? "unknown_error"}`);
    if (e.longMessage) parts.push(e.longMessage);
  }
  const gaveUp = RetryBudgetExhaustedError.isInstance(err)
    ? `gave up after ${err.attempts} attempts (retry budget exhausted)`
    : undefined;
  if (gaveUp !== undefined) parts.push(gaveUp);
  if (parts.length === 0) parts.push(e.message);
  const reason = parts.join(": ") + (e.traceId ? ` (clerk_trace_id ${e.traceId})` : "");
  return {
    reason,
    ...(e.status !== undefined ? { status: e.status } : {}),
    ...(e.clerkCode !== undefined ? { clerkCode: e.clerkCode } : {}),
    unreachable,
    ...(gaveUp !== undefined ? { gaveUp } : {}),
  };
}

/** A retry budget spent on attempts that never got an HTTP answer. */
function isNetworkBudget(err: unknown): boolean {
  if (!RetryBudgetExhaustedError.isInstance(err)) return false;
  const cause = err.cause as { status?: unknown } | null | undefined;
  return typeof cause?.status !== "number";
}
