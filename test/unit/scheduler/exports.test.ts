import * as scheduler from "../../../src/scheduler";

/** The public surface of src/scheduler: any change shows up here in review. */
it("src/scheduler exports exactly these runtime values", () => {
  expect(Object.keys(scheduler).sort()).toEqual(
    [
      "CLERK_WINDOW_MS",
      "DEFAULT_RETRY_AFTER_MS",
      "DEV_REQUESTS_PER_10S",
      "PROD_REQUESTS_PER_10S",
      "RATE_LIMIT_DIR_ENV",
      "RequestTimeoutError",
      "RetryBudgetExhaustedError",
      "SCHEDULER_DEFAULTS",
      "WINDOW_SAFETY_MS",
      "backoffDelay",
      "classifyError",
      "createBackoff",
      "createBatcher",
      "createSnapshot",
      "createConcurrencyLimiter",
      "createFileSharedWindow",
      "createKeyedSlidingWindowLimiter",
      "createScheduler",
      "createSlidingWindowLimiter",
      "defaultRequestsPer10s",
      "defaultSharedWindow",
      "sharedWindowDir",
      "systemClock",
    ].sort(),
  );
});
