const BRAND = "pulumi-clerk/RetryBudgetExhaustedError";

export interface RetryBudgetExhaustedErrorInit {
  /** The request, e.g. "POST /users". Never contains secrets. */
  label: string;
  /** Attempts actually sent. */
  attempts: number;
  /** Time from the first attempt to giving up, in ms. */
  elapsedMs: number;
  budgetMs: number;
  /** Why the last attempt failed, e.g. "429 Too Many Requests". */
  reason: string;
  /** The last attempt's error. */
  cause: unknown;
}

/**
 * Clerk kept failing retryably (429, 5xx, network, timeout) until the next wait would pass the retry budget.
 * The provider maps it to `ErrorCode.RetryBudgetExhausted`; the original error is kept as `cause` so its
 * status, Clerk code and trace id stay available. `kind` brand instead of `instanceof`, as everywhere.
 */
export class RetryBudgetExhaustedError extends Error {
  readonly kind = BRAND;
  /** Same value as `ErrorCode.RetryBudgetExhausted`. */
  readonly code = "retry_budget_exhausted";
  readonly label: string;
  readonly attempts: number;
  readonly elapsedMs: number;
  readonly budgetMs: number;
  readonly reason: string;
  override readonly cause: unknown;

  constructor(init: RetryBudgetExhaustedErrorInit) {
    super(
      `Clerk ${init.label}: gave up after ${init.attempts} attempt${init.attempts === 1 ? "" : "s"} in ` +
        `${(init.elapsedMs / 1000).toFixed(1)} s (retry budget ${(init.budgetMs / 1000).toFixed(1)} s); last failure: ${init.reason}`,
      { cause: init.cause },
    );
    this.name = "RetryBudgetExhaustedError";
    this.label = init.label;
    this.attempts = init.attempts;
    this.elapsedMs = init.elapsedMs;
    this.budgetMs = init.budgetMs;
    this.reason = init.reason;
    this.cause = init.cause;
  }

  static isInstance(e: unknown): e is RetryBudgetExhaustedError {
    return typeof e === "object" && e !== null && (e as { kind?: unknown }).kind === BRAND;
  }
}
