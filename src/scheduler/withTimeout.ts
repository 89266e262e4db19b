import type { AbortableClock } from "./clock";
import { RequestTimeoutError } from "./RequestTimeoutError";

/**
 * Resolves or rejects like `attempt()`, or rejects with `RequestTimeoutError` after `timeoutMs`, whichever
 * comes first. The timer is aborted as soon as the race is decided so no 30-s timers pile up.
 * A non-positive or non-finite `timeoutMs` disables the timeout.
 */
export async function withTimeout<T>(
  attempt: () => Promise<T>,
  timeoutMs: number,
  label: string,
  clock: AbortableClock,
): Promise<T> {
  if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs)) return attempt();
  const abort = new AbortController();
  // Throws only if it really timed out: after an abort nobody may be listening (e.g. `attempt` threw
  // synchronously), and a rejection then would be unhandled.
  const timeout = clock.sleep(timeoutMs, abort.signal).then((): never | undefined => {
    if (abort.signal.aborted) return undefined;
    throw new RequestTimeoutError(label, timeoutMs);
  });
  try {
    return (await Promise.race([attempt(), timeout])) as T;
  } finally {
    abort.abort();
  }
}
