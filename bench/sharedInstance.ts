/**
 * (f) Many stacks, one Clerk instance: K provider hosts (K concurrent `pulumi up`s, e.g. one per pull request) each
 * create, refresh and destroy their own users against ONE local Clerk limited to R requests/s, optionally with a
 * `clerk-sweep delete` running beside them in its own process. Every host is configured with the whole limit.
 * With `coordinated` (the default behaviour) they see each other's requests through the announcement files;
 * without it (`CLERK_RATE_LIMIT_DIR=off`) they behave as on separate CI runners: only the adaptive limit helps.
 *
 * Reported: wall time (all stacks and the sweep started together, until the last one is done) against two floors,
 * the share of requests answered 429, and failures (engine failures, users left or duplicated in Clerk).
 *
 *  - floor = (requests served − the instance's burst) ÷ R: the definition. With a sliding window it is not
 *    always reachable: after a burst of `limit` requests the next `limit` can only go one whole window later.
 *  - window floor = one window × ⌊(requests served − 1) ÷ limit⌋: the least time a sliding window of `limit`
 *    requests per 10 s needs to serve that many requests (request i + limit goes ≥ 10 s after request i).
 *  - window bound = the same chain started where this run's requests really started (`slidingWindowBound`): the
 *    least any client could take, given how fast the engines got their first requests out. The wall time over it
 *    is what the limiter itself cost.
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import type { ProviderHost } from "../test/harness";
import { startLocalClerk, type LocalClerk, type RequestLogEntry } from "../test/local-clerk";
import { newId } from "../test/local-clerk/ids";
import { MARKER_KEY, markerFor, mintOwnerId } from "../src/marker/managedByMarker";
import { RATE_LIMIT_DIR_ENV } from "../src/scheduler/registry";
import { clerkConfig, log, newEngine, nowMs, PROJECT, repoRoot, round, startHost, usersProgram } from "./common";
import { slidingWindowBound } from "./windowBound";

export interface SharedInstanceOptions {
  /** Concurrent stacks, one provider host each. */
  stacks: number;
  usersPerStack: number;
  /** The local Clerk's limit per 10 s; every host uses its default for the key (the same limit). */
  requestsPer10s: number;
  /** The engine's --parallel of each stack. */
  parallel: number;
  /** Leaked users (marked for a stack that is gone) that a `clerk-sweep delete` removes beside the stacks; 0: no sweep. */
  sweepUsers: number;
  /** Same-machine coordination on (the default) or off (as if every host ran on its own machine). */
  coordinated: boolean;
}

export interface ParticipantResult {
  name: string;
  /** From the common start to this participant's end, ms. */
  ms: number;
  failures: string[];
  /** The host printed "Clerk throttled N requests; another client is using this instance's limit" (N summed). */
  summaryThrottled: number;
}

export interface SharedInstanceResult {
  stacks: number;
  usersPerStack: number;
  sweepUsers: number;
  coordinated: boolean;
  requestsPer10s: number;
  parallel: number;
  wallMs: number;
  /** When Clerk served the first request, ms after the start (the engine runs the program first). */
  firstRequestMs: number;
  /** Requests Clerk answered with anything but 429. */
  served: number;
  throttled: number;
  /** throttled ÷ (served + throttled). */
  throttledShare: number;
  /** (served − requestsPer10s) ÷ R, ms (≥ 0). */
  floorMs: number;
  ratio: number;
  /** 10 s × ⌊(served − 1) ÷ requestsPer10s⌋, ms. */
  windowFloorMs: number;
  windowRatio: number;
  /** `slidingWindowBound` of the served requests' arrivals, ms after the start. */
  windowBoundMs: number;
  boundRatio: number;
  participants: ParticipantResult[];
  /** When Clerk answered 429, s after the start (0.1 s resolution): where the throttling happened. */
  throttledAtS: number[];
  /** Requests Clerk served in each second after the start (index = second): how the window was used. */
  servedPerSecond: number[];
  /** Users in Clerk at the end (0 when nothing leaked). */
  usersLeft: number;
  failures: string[];
}

const SWEPT_STACK = "pr-closed";

const SUMMARY = /Clerk throttled (\d+) requests?; another client is using this instance's limit/g;

function summedSummaries(text: string): number {
  let n = 0;
  for (const m of text.matchAll(SUMMARY)) n += Number(m[1]);
  return n;
}

function countPerSecond(offsetsMs: number[]): number[] {
  const out: number[] = [];
  for (const ms of offsetsMs) {
    const i = Math.max(0, Math.floor(ms / 1000));
    while (out.length <= i) out.push(0);
    out[i]!++;
  }
  return out;
}

/** Leaked users of a closed pull request's stack, seeded out of band (no request, nothing in the log). */
function seedLeaked(clerk: LocalClerk, n: number): void {
  const now = Date.now();
  for (let i = 0; i < n; i++) {
    const createdAt = now - 86_400_000 - i * 1000;
    const emailId = newId("idn");
    clerk.control.putUser({
      id: newId("user", createdAt),
      created_at: createdAt,
      updated_at: createdAt,
      private_metadata: {
        // A v2 marker, as this release writes: the sweeper deletes v1 (legacy) markers only when asked to.
        [MARKER_KEY]: {
          ...markerFor(
            { project: PROJECT, stack: SWEPT_STACK, name: `leaked-${i}` },
            { ownerId: mintOwnerId(), instanceId: clerk.instanceId, adopted: false },
          ),
        },
      },
      email_addresses: [
        {
          id: emailId,
          email_address: `leaked-${i}@example.com`,
          verified: true,
          reserved: false,
          created_at: createdAt,
          updated_at: createdAt,
        },
      ],
      primary_email_address_id: emailId,
    });
  }
}

/** `clerk-sweep delete --stack pr-closed --yes` in its own process, as CI would run it. */
function runSweep(clerk: LocalClerk, env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  const cli = path.join(repoRoot(), "dist", "src", "sweep", "cli.js");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, "delete", "--project", PROJECT, "--stack", SWEPT_STACK, "--yes"], {
      env: { ...process.env, CLERK_SECRET_KEY: clerk.secretKey, CLERK_API_URL: clerk.url, CI: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (output += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (output += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

/** One stack's `up`, `refresh`, `destroy`, with its outcome checked against Clerk. */
async function runStack(
  clerk: LocalClerk,
  host: ProviderHost,
  stack: string,
  opts: SharedInstanceOptions,
  t0: number,
): Promise<ParticipantResult> {
  const failures: string[] = [];
  const engine = newEngine(host, clerk, stack, opts.parallel);
  const prefix = `${stack}-user`;
  const mine = (): number =>
    clerk.control.users().filter((u) => u.email_addresses.some((e) => e.email_address.startsWith(`${prefix}-`))).length;

  const up = await engine.up(usersProgram(opts.usersPerStack, prefix));
  for (const f of up.failures) failures.push(`${stack} up ${f.name}: ${f.message}`);
  const ids = new Set(engine.state().map((e) => e.id));
  if (ids.size !== opts.usersPerStack) failures.push(`${stack} up: ${ids.size} users in state`);
  const inClerk = mine();
  if (inClerk !== opts.usersPerStack) failures.push(`${stack} up: ${inClerk} of its users in Clerk (duplicates?)`);

  const refreshed = await engine.refresh();
  for (const f of refreshed.failures) failures.push(`${stack} refresh ${f.name}: ${f.message}`);
  if (refreshed.unchanged !== opts.usersPerStack)
    failures.push(`${stack} refresh: ${refreshed.unchanged} unchanged of ${opts.usersPerStack}`);

  const destroyed = await engine.destroy();
  for (const f of destroyed.failures) failures.push(`${stack} destroy ${f.name}: ${f.message}`);
  const left = mine();
  if (left !== 0) failures.push(`${stack} destroy: ${left} of its users left in Clerk`);
  const ms = nowMs() - t0;
  // The host's log reaches us through a pipe, maybe after the engine's last answer: give it a moment.
  await new Promise((resolve) => setTimeout(resolve, 300));
  return { name: stack, ms: round(ms, 1), failures, summaryThrottled: summedSummaries(host.stdout() + host.stderr()) };
}

export async function runSharedInstance(opts: SharedInstanceOptions): Promise<SharedInstanceResult> {
  const { stacks, requestsPer10s } = opts;
  const clerk = await startLocalClerk({ rateLimit: { requestsPer10s } });
  const hosts: ProviderHost[] = [];
  try {
    const env: NodeJS.ProcessEnv = opts.coordinated ? {} : { [RATE_LIMIT_DIR_ENV]: "off" };
    for (let i = 0; i < stacks; i++) hosts.push(await startHost(requestsPer10s, env));
    // Configure outside the timed region (the engine does it before any step; it is no Clerk call).
    await Promise.all(hosts.map((h) => h.configure(clerkConfig(clerk))));
    if (opts.sweepUsers > 0) seedLeaked(clerk, opts.sweepUsers);
    clerk.control.clearRequests();

    log(
      `shared instance: ${stacks} stacks × ${opts.usersPerStack} users` +
        (opts.sweepUsers > 0 ? ` + clerk-sweep of ${opts.sweepUsers}` : "") +
        ` at ${requestsPer10s} requests / 10 s` +
        (opts.coordinated ? "" : ", no same-machine coordination"),
    );
    const t0 = nowMs();
    const epoch0 = Date.now();
    const work: Promise<ParticipantResult>[] = hosts.map((h, i) => runStack(clerk, h, `pr-${i + 1}`, opts, t0));
    if (opts.sweepUsers > 0) {
      work.push(
        runSweep(clerk, env).then(({ code, output }) => ({
          name: "clerk-sweep",
          ms: round(nowMs() - t0, 1),
          failures:
            code === 0 ? [] : [`clerk-sweep exited ${code}: ${output.trim().split("\n").slice(-3).join(" | ")}`],
          summaryThrottled: summedSummaries(output),
        })),
      );
    }
    const participants = await Promise.all(work);
    const wallMs = Math.max(...participants.map((p) => p.ms));

    const requests: RequestLogEntry[] = clerk.control.requests();
    const throttled = requests.filter((r) => r.status === 429).length;
    const served = requests.length - throttled;
    const perSecond = requestsPer10s / 10;
    const floorMs = (Math.max(0, served - requestsPer10s) / perSecond) * 1000;
    const windowFloorMs = 10_000 * Math.floor(Math.max(0, served - 1) / requestsPer10s);
    const servedAt = requests
      .filter((r) => r.status !== 429)
      .map((r) => r.at - epoch0)
      .sort((a, b) => a - b);
    const windowBoundMs = slidingWindowBound(servedAt, requestsPer10s, 10_000);
    const usersLeft = clerk.control.users().length;
    const failures = participants.flatMap((p) => p.failures);
    if (usersLeft !== 0) failures.push(`${usersLeft} users left in Clerk`);
    return {
      stacks,
      usersPerStack: opts.usersPerStack,
      sweepUsers: opts.sweepUsers,
      coordinated: opts.coordinated,
      requestsPer10s,
      parallel: opts.parallel,
      wallMs: round(wallMs, 1),
      firstRequestMs: requests.length > 0 ? Math.max(0, Math.min(...requests.map((r) => r.at)) - epoch0) : 0,
      served,
      throttled,
      throttledShare: round(throttled / Math.max(1, requests.length), 4),
      floorMs: round(floorMs, 1),
      ratio: floorMs > 0 ? round(wallMs / floorMs) : Number.POSITIVE_INFINITY,
      windowFloorMs,
      windowRatio: windowFloorMs > 0 ? round(wallMs / windowFloorMs) : Number.POSITIVE_INFINITY,
      windowBoundMs: round(windowBoundMs, 1),
      boundRatio: windowBoundMs > 0 ? round(wallMs / windowBoundMs) : Number.POSITIVE_INFINITY,
      participants,
      servedPerSecond: countPerSecond(servedAt),
      throttledAtS: requests.filter((r) => r.status === 429).map((r) => round((r.at - epoch0) / 1000, 1)),
      usersLeft,
      failures,
    };
  } finally {
    for (const h of hosts) await h.close();
    await clerk.close();
  }
}
