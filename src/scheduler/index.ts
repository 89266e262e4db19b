/** Request scheduling for Clerk calls: rate limits, concurrency, retries, read batching. Re-exports only. */
export type {
  Clock,
  FailureClass,
  RequestSpec,
  RetryEvent,
  RetryLog,
  Scheduler,
  SchedulerOptions,
  SchedulerStats,
} from "./types";
export { systemClock, type AbortableClock } from "./clock";
export {
  createSlidingWindowLimiter,
  type Grant,
  type Reservation,
  type SlidingWindowLimiter,
  type SlidingWindowLimiterParams,
} from "./slidingWindowLimiter";
export {
  createKeyedSlidingWindowLimiter,
  type KeyedSlidingWindowLimiter,
  type KeyedSlidingWindowLimiterParams,
} from "./keyedSlidingWindowLimiter";
export { createConcurrencyLimiter, type ConcurrencyLimiter } from "./concurrencyLimiter";
export { backoffDelay, createBackoff, type BackoffParams } from "./backoff";
export { classifyError, DEFAULT_RETRY_AFTER_MS } from "./classifyError";
export { RequestTimeoutError } from "./RequestTimeoutError";
export { RetryBudgetExhaustedError, type RetryBudgetExhaustedErrorInit } from "./RetryBudgetExhaustedError";
export { createScheduler, CLERK_WINDOW_MS, SCHEDULER_DEFAULTS, WINDOW_SAFETY_MS } from "./scheduler";
export {
  defaultRequestsPer10s,
  defaultSharedWindow,
  DEV_REQUESTS_PER_10S,
  PROD_REQUESTS_PER_10S,
  RATE_LIMIT_DIR_ENV,
  type ClerkInstanceKey,
} from "./registry";
export {
  createFileSharedWindow,
  sharedWindowDir,
  type FileSharedWindowParams,
  type PeerView,
  type SharedWindow,
} from "./sharedWindow";
export { createBatcher, type Batcher, type BatcherParams } from "./batcher";
export { createSnapshot, type Snapshot, type SnapshotParams } from "./snapshot";
