import type { SharedWindow } from "./sharedWindow";

/**
 * Contracts of the request scheduler: the one place that decides when a Clerk request may go out,
 * whether a failure is retried, and how long to wait. Pure modules with injected time implement them.
 */

/** What a request is, as far as scheduling is concerned. */
export interface RequestSpec {
  /** For logs and errors, e.g. "POST /users" or "GET /users/user_123". Never contains secrets. */
  label: string;
  /** Set for `PATCH /users/{id}` and the metadata endpoints: they count against Clerk's 10 writes / 10 s per user. */
  userWrite?: string;
}

/** How a failed attempt is treated. */
export type FailureClass =
  | { retry: false }
  | {
      retry: true;
      /** Human-readable reason for the log line, e.g. "429 Too Many Requests" or "ECONNRESET". */
      reason: string;
      /** Clerk's Retry-After, in ms; when set, the whole instance bucket pauses this long. */
      retryAfterMs?: number;
    };

/** Injected time so that every module can be tested with fake timers. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** One retry, as data: for callers that react to the first failure rather than print every line. */
export interface RetryEvent {
  /** The request, e.g. "GET /users". */
  label: string;
  /** Why the attempt failed, e.g. "429 Too Many Requests" or "fetch failed" (a fixed phrase, never free text). */
  reason: string;
  /** HTTP status of the failed attempt, when Clerk answered. */
  status?: number;
  /** The attempt about to be sent: 2 for the first retry. */
  attempt: number;
  delayMs: number;
}

export interface RetryLog {
  /** Called once per retry, before the wait (with the retry as data); and once, without it, for the summary line. */
  (message: string, event?: RetryEvent): void;
}

export interface SchedulerOptions {
  /** Instance-wide limit Clerk enforces: 100 (development) or 1000 (production) requests per 10 s. */
  maxRequestsPer10s: number;
  /** Per-user write limit for PATCH user and metadata endpoints. Default 10 per 10 s. */
  maxUserWritesPer10s?: number;
  /** Requests in flight at once. Default 16. */
  maxConcurrency?: number;
  /** Timeout of one attempt in ms (the SDK has none). Default 30 000. */
  requestTimeoutMs?: number;
  /** Total time one request may spend retrying, in ms. Default 300 000. */
  retryBudgetMs?: number;
  /** Base and cap of the exponential backoff with full jitter, in ms. Defaults 250 and 15 000. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  clock?: Clock;
  /** Random source in [0,1) for jitter; injectable for tests. */
  random?: () => number;
  /**
   * Retry notices and, when Clerk throttled us, a one-line summary when the scheduler goes idle (the end of an
   * operation, as far as a provider host can tell; decisions/0007).
   */
  log?: RetryLog;
  /** Debug-level log: each change of the adaptive instance limit, once. */
  debug?: (message: string) => void;
  /**
   * Same-machine coordination: the requests other processes announced for this instance count against the limit,
   * and this scheduler announces its own (see sharedWindow.ts). The registry sets it up by default.
   */
  sharedWindow?: SharedWindow;
  /** Decides whether a thrown error is retried; defaults to `classifyError`. */
  classify?: (err: unknown) => FailureClass;
}

export interface Scheduler {
  /**
   * Runs `attempt` when the rate limits allow, retrying per `classify` until it succeeds, a failure is not
   * retryable, or the retry budget is spent. The last error is rethrown (wrapped if the budget ran out).
   */
  run<T>(spec: RequestSpec, attempt: () => Promise<T>): Promise<T>;
  /** Counters for tests and the benchmark. */
  stats(): SchedulerStats;
}

export interface SchedulerStats {
  sent: number;
  retried: number;
  /** 429 answers. */
  throttled: number;
  inFlight: number;
  queued: number;
  /** The adaptive instance limit now, requests per 10 s (the configured limit until Clerk answers 429). */
  limit: number;
}
