import type { ConnectionProbe } from "../../src/clerk/connectionCause";
import { createRetryNotice } from "../../src/sweep/retryNotice";

/** The waiting line's logic with an injected probe; the CLI tests prove it against real sockets. */

function setup(result: ConnectionProbe) {
  const lines: string[] = [];
  const probes: string[] = [];
  const notice = createRetryNotice({
    apiUrl: "http://127.0.0.1:5000",
    budgetMs: 300_000,
    write: (l) => lines.push(l),
    probe: (url) => {
      probes.push(url);
      return Promise.resolve(result);
    },
  });
  return { notice, lines, probes };
}

const event = (reason: string, status?: number) => ({
  label: "GET /users",
  reason,
  attempt: 2,
  delayMs: 300,
  ...(status !== undefined ? { status } : {}),
});

it("the first transport failure: one line naming the URL, the cause and how long it keeps trying; one probe", async () => {
  const { notice, lines, probes } = setup({ reachable: false, cause: "connection refused (ECONNREFUSED)" });
  notice.onRetry("m", event("fetch failed"));
  notice.onRetry("m", event("fetch failed"));
  await notice.settled();
  expect(lines).toEqual([
    "clerk-sweep: Clerk at http://127.0.0.1:5000 could not be reached: connection refused (ECONNREFUSED); " +
      "still retrying, for up to 300 s (CLERK_RETRY_TIMEOUT_SECONDS)",
  ]);
  await expect(notice.cause()).resolves.toBe("connection refused (ECONNREFUSED)");
  expect(probes).toEqual(["http://127.0.0.1:5000"]);
});

it("a 5xx names Clerk's answer without probing; a 429 says nothing (that is the rate limiter at work)", async () => {
  const { notice, lines, probes } = setup({ reachable: true, status: 404 });
  notice.onRetry("m", event("429 Too Many Requests", 429));
  await notice.settled();
  expect(lines).toEqual([]);
  notice.onRetry("m", event("503 Service Unavailable", 503));
  await notice.settled();
  expect(lines).toEqual([
    "clerk-sweep: Clerk at http://127.0.0.1:5000 answered 503 Service Unavailable; " +
      "still retrying, for up to 300 s (CLERK_RETRY_TIMEOUT_SECONDS)",
  ]);
  expect(probes).toEqual([]);
});

it("a failure without status while the host answers says so", async () => {
  const { notice, lines } = setup({ reachable: true, status: 200 });
  notice.onRetry("m", event("terminated"));
  await notice.settled();
  expect(lines).toEqual([
    "clerk-sweep: a request to Clerk at http://127.0.0.1:5000 failed (terminated) although the host answers; " +
      "still retrying, for up to 300 s (CLERK_RETRY_TIMEOUT_SECONDS)",
  ]);
});

it("cause() probes when no retry did (a failure that is not retried), and only once", async () => {
  const { notice, lines, probes } = setup({ reachable: false, cause: "DNS lookup failed: host not found (ENOTFOUND)" });
  await expect(notice.cause()).resolves.toBe("DNS lookup failed: host not found (ENOTFOUND)");
  await notice.cause();
  expect(probes).toHaveLength(1);
  expect(lines).toEqual([]);
  await notice.settled();
});
