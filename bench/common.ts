/**
 * Shared pieces of the benchmark: where the repository is, the benchmark's Pulumi program, and how a stack
 * (local Clerk + the real dynamic-provider host + the engine-shaped driver) is wired — the way test/host/support.ts
 * wires it, but free of jest.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ClerkUser } from "../src";
import { Engine, startProviderHost, type ConfigValue, type EngineEvent, type ProviderHost } from "../test/harness";
import type { LocalClerk, RequestLogEntry } from "../test/local-clerk";
import { PROJECT, round, userArgs, userName } from "./users";

export { median, nowMs, plainCreateParams, pool, PROJECT, round, userArgs, userName } from "./users";

/**
 * The repository root (a Pulumi project whose node_modules links `pulumi-clerk` to this checkout). Found by walking
 * up, so it works from bench/ (ts-jest) and from dist/bench/ (npm run bench).
 */
export function repoRoot(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    const pkg = path.join(dir, "package.json");
    if (fs.existsSync(pkg)) {
      try {
        if ((JSON.parse(fs.readFileSync(pkg, "utf8")) as { name?: string }).name === "pulumi-clerk") return dir;
      } catch {
        /* not ours */
      }
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`bench: no pulumi-clerk package.json above ${from}`);
    dir = up;
  }
}

/** The engine's default --parallel: 4 × the number of CPUs. */
export function defaultParallel(): number {
  return 4 * Math.max(1, os.cpus().length);
}

/** A Pulumi program declaring `n` ClerkUser resources. */
export function usersProgram(n: number, prefix: string): () => void {
  return () => {
    for (let i = 0; i < n; i++) new ClerkUser(userName(prefix, i), userArgs(prefix, i));
  };
}

export interface BenchStack {
  host: ProviderHost;
  engine: Engine;
}

/**
 * Starts the real dynamic-provider host (cwd = the repository root) with the given client-side limit, or the
 * provider's default for the key when `requestsPer10s` is undefined.
 */
export async function startHost(
  requestsPer10s: number | undefined,
  env: NodeJS.ProcessEnv = {},
): Promise<ProviderHost> {
  return startProviderHost({
    cwd: repoRoot(),
    env: {
      ...process.env,
      // Config alone decides where the provider talks to.
      CLERK_SECRET_KEY: "",
      CLERK_API_URL: "",
      CLERK_MAX_REQUESTS_PER_10S: requestsPer10s === undefined ? "" : String(requestsPer10s),
      ...env,
    },
  });
}

/** The stack config that points a provider at `clerk` (its key as a secret, as a stack would hold it). */
export function clerkConfig(clerk: LocalClerk): Record<string, ConfigValue> {
  return { "clerk:secretKey": { secret: clerk.secretKey }, "clerk:apiUrl": clerk.url };
}

/** The requests `clerk` received since the last call (or since it was cleared), and clears its log. */
export function takeRequests(clerk: LocalClerk): RequestLogEntry[] {
  const rs = clerk.control.requests();
  clerk.control.clearRequests();
  return rs;
}

export function newEngine(
  host: ProviderHost,
  clerk: LocalClerk,
  stack: string,
  parallel: number,
  onEvent?: (e: EngineEvent) => void,
): Engine {
  return new Engine({
    host,
    project: PROJECT,
    stack,
    parallel,
    config: clerkConfig(clerk),
    // As `pulumi up --skip-preview` in CI: a preview runs the program and checks, but sends Clerk nothing.
    skipPreview: true,
    ...(onEvent ? { onEvent } : {}),
  });
}

/** `METHOD /v1/users/user_X` style route of a logged request (ids replaced). */
export function routeOf(r: RequestLogEntry): string {
  return `${r.method} ${r.path.replace(/\b(user|org|orgmem|idn)_[A-Za-z0-9]+/g, "$1_X")}`;
}

export function countRoutes(rs: RequestLogEntry[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rs) {
    const k = routeOf(r);
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

/** One timed phase of a run (up, refresh, destroy) and the requests the server received in it. */
export interface PhaseResult {
  ms: number;
  /** Requests the server received in this phase, 429s included. */
  requests: number;
  throttled: number;
  routes: Record<string, number>;
}

export function phase(ms: number, rs: RequestLogEntry[]): PhaseResult {
  return {
    ms: round(ms, 1),
    requests: rs.length,
    throttled: rs.filter((r) => r.status === 429).length,
    routes: countRoutes(rs),
  };
}

/**
 * Wall time of the phases against the rate floor of (a) and (h): the requests the server received (429s included)
 * divided by R.
 */
export function againstFloor(phases: readonly PhaseResult[], requestsPer10s: number) {
  const wallMs = phases.reduce((sum, p) => sum + p.ms, 0);
  const requests = phases.reduce((sum, p) => sum + p.requests, 0);
  const requestsPerSecond = requestsPer10s / 10;
  const floorMs = (requests / requestsPerSecond) * 1000;
  return {
    requestsPerSecond,
    wallMs: round(wallMs, 1),
    requests,
    throttled: phases.reduce((sum, p) => sum + p.throttled, 0),
    floorMs: round(floorMs, 1),
    ratio: round(wallMs / floorMs),
  };
}

let quiet = false;

/** Progress lines on stderr (off when the caller asked for no output). */
export function setQuiet(q: boolean): void {
  quiet = q;
}

export function log(msg: string): void {
  if (!quiet) process.stderr.write(`[bench] ${msg}\n`);
}
