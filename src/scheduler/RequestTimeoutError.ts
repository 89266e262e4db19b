const BRAND = "pulumi-clerk/RequestTimeoutError";

/**
 * One attempt got no answer within the scheduler's per-attempt timeout. @clerk/backend has no timeout and
 * its fetch cannot be aborted, so the scheduler stops waiting and throws this; `classifyError` retries it.
 * `kind` is a brand because `instanceof` breaks across the module copies the Pulumi host loads.
 */
export class RequestTimeoutError extends Error {
  readonly kind = BRAND;
  /** The request, e.g. "GET /users/user_123". */
  readonly label: string;
  readonly timeoutMs: number;

  constructor(label: string, timeoutMs: number) {
    super(`Clerk ${label}: no response within ${(timeoutMs / 1000).toFixed(1)} s`);
    this.name = "RequestTimeoutError";
    this.label = label;
    this.timeoutMs = timeoutMs;
  }

  static isInstance(e: unknown): e is RequestTimeoutError {
    return typeof e === "object" && e !== null && (e as { kind?: unknown }).kind === BRAND;
  }
}
