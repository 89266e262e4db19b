import { probeConnection, type ConnectionProbe } from "../clerk/connectionCause";
import type { RetryEvent } from "../scheduler";

/**
 * Says, once per run and as soon as the first attempt has failed, that clerk-sweep is waiting on Clerk, which
 * URL it is trying and why it failed: the scheduler retries quietly for up to the retry budget (5 minutes by
 * default), which otherwise looks like a hang. 429s are not announced: waiting for them is the rate limiter
 * working as designed.
 *
 * The cause comes from one credential-free probe of the API host (`probeConnection`), because the SDK's error
 * only says "fetch failed". The same probe result names the cause in the final error.
 */
export interface RetryNotice {
  /** The gateway's retry log: the first non-429 retry triggers the notice. */
  onRetry(message: string, event?: RetryEvent): void;
  /** Why the host cannot be reached (probing now if no retry did), or `undefined` when it answers HTTP. */
  cause(): Promise<string | undefined>;
  /** Resolves once a notice that was started has been written, so later lines come after it. */
  settled(): Promise<void>;
}

export interface RetryNoticeOptions {
  /** The normalised API URL (never a raw environment value). */
  apiUrl: string;
  /** The retry budget in ms, to say how long the waiting lasts. */
  budgetMs: number;
  write: (line: string) => void;
  /** Injectable for tests; default `probeConnection`. */
  probe?: (apiUrl: string) => Promise<ConnectionProbe>;
}

export function createRetryNotice(opts: RetryNoticeOptions): RetryNotice {
  const probe = opts.probe ?? probeConnection;
  let probing: Promise<ConnectionProbe> | undefined;
  let notice: Promise<void> | undefined;
  const probeOnce = (): Promise<ConnectionProbe> => (probing ??= probe(opts.apiUrl));
  const waiting = `still retrying, for up to ${Math.round(opts.budgetMs / 1000)} s (CLERK_RETRY_TIMEOUT_SECONDS)`;

  return {
    onRetry(_message, event) {
      if (notice !== undefined || event === undefined || event.status === 429) return;
      if (event.status !== undefined) {
        // Clerk answered: nothing to probe.
        opts.write(`clerk-sweep: Clerk at ${opts.apiUrl} answered ${event.reason}; ${waiting}`);
        notice = Promise.resolve();
        return;
      }
      notice = probeOnce()
        .then((p) => {
          if (!p.reachable) {
            opts.write(`clerk-sweep: Clerk at ${opts.apiUrl} could not be reached: ${p.cause}; ${waiting}`);
          } else {
            opts.write(
              `clerk-sweep: a request to Clerk at ${opts.apiUrl} failed (${event.reason}) although the host answers; ${waiting}`,
            );
          }
        })
        .catch(() => undefined); // a failed probe or write must not fail the run
    },
    async cause() {
      const p = await probeOnce();
      return p.reachable ? undefined : p.cause;
    },
    async settled() {
      await notice;
    },
  };
}
