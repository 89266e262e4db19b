/**
 * (b) Per-operation overhead without a rate limit: create + read + delete of N users through the real
 * dynamic-provider host (engine up / refresh / destroy), against a plain loop of `@clerk/backend`
 * `createUser` / `getUser` / `deleteUser` calls at the same concurrency, over the same local Clerk.
 *
 * Both sides run in one process tree on the same server, alternated (provider first on even repetitions, plain
 * first on odd ones) after one warm-up of each; the ratio is the median of the per-repetition ratios.
 *
 * Also (c') the refresh probe: requests per refreshed user when the engine lets all N reads run at once
 * (parallel = N), which is what the read batcher can do when it is not starved by --parallel.
 */
import { fork, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { capture, type ProviderHost } from "../test/harness";
import { startLocalClerk, type LocalClerk } from "../test/local-clerk";
import {
  clerkConfig,
  countRoutes,
  log,
  median,
  newEngine,
  nowMs,
  PROJECT,
  repoRoot,
  round,
  startHost,
  takeRequests,
  usersProgram,
} from "./common";
import type { PlainRunRequest, PlainRunResult } from "./plainLoop";

/** The provider's client-side limit in the unlimited runs: high enough never to bind. */
export const UNLIMITED_PER_10S = 1_000_000;

export interface OverheadOptions {
  users: number[];
  parallel: number;
  reps: number;
  warmupUsers: number;
  /** Also measure refresh at parallel = N (c'). */
  refreshProbe: boolean;
}

export interface ProviderRun {
  upMs: number;
  refreshMs: number;
  destroyMs: number;
  totalMs: number;
  requests: number;
  routes: Record<string, number>;
}

export interface PlainRun {
  createMs: number;
  readMs: number;
  deleteMs: number;
  totalMs: number;
  requests: number;
}

export interface OverheadRep {
  rep: number;
  order: "provider-first" | "plain-first";
  provider: ProviderRun;
  plain: PlainRun;
  ratio: number;
}

export interface OverheadResult {
  users: number;
  parallel: number;
  reps: OverheadRep[];
  /**
   * Median over repetitions, ms. `programMs`: the program alone run under mocks (no host, no Clerk), measured
   * separately — the part of `upMs` spent constructing N ClerkUser resources (the SDK serializes `__provider`
   * for each) and registering them.
   */
  provider: { totalMs: number; upMs: number; refreshMs: number; destroyMs: number; msPerOp: number; programMs: number };
  plain: { totalMs: number; createMs: number; readMs: number; deleteMs: number; msPerOp: number };
  /** Median of per-repetition ratios provider total ÷ plain total. */
  ratio: number;
  /** Per phase, median provider ÷ median plain: create, read, delete. */
  phaseRatios: { create: number; read: number; delete: number };
  failures: string[];
}

export interface RefreshProbeResult {
  users: number;
  parallel: number;
  refreshRequests: number;
  requestsPerRefreshedUser: number;
  refreshMs: number;
  failures: string[];
}

export interface OverheadReport {
  results: OverheadResult[];
  refreshProbes: RefreshProbeResult[];
}

/** The compiled plain-loop entry: next to this file under dist/, or dist/bench/ when running from sources. */
function plainLoopEntry(): string {
  const sibling = path.join(__dirname, "plainLoop.js");
  if (__filename.endsWith(".js") && fs.existsSync(sibling)) return sibling;
  const built = path.join(repoRoot(), "dist", "bench", "plainLoop.js");
  if (!fs.existsSync(built)) throw new Error(`bench: ${built} is missing; run \`npm run build\` first`);
  return built;
}

class PlainChild {
  private readonly child: ChildProcess;
  private seq = 0;
  private readonly waiting = new Map<number, { resolve: (r: PlainRunResult) => void; reject: (e: Error) => void }>();

  constructor() {
    this.child = fork(plainLoopEntry(), [], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
    this.child.on("message", (m: PlainRunResult) => {
      const w = this.waiting.get(m.seq);
      this.waiting.delete(m.seq);
      w?.resolve(m);
    });
    this.child.on("exit", (code, signal) => {
      for (const w of this.waiting.values()) w.reject(new Error(`plain-loop child exited (${code ?? signal})`));
      this.waiting.clear();
    });
  }

  run(req: Omit<PlainRunRequest, "kind" | "seq">): Promise<PlainRunResult> {
    const seq = this.seq++;
    return new Promise((resolve, reject) => {
      this.waiting.set(seq, { resolve, reject });
      this.child.send({ kind: "run", seq, ...req } satisfies PlainRunRequest);
    });
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      this.child.once("exit", () => resolve());
      this.child.disconnect();
      setTimeout(() => this.child.kill("SIGKILL"), 5000).unref();
    });
  }
}

async function providerRun(
  host: ProviderHost,
  clerk: LocalClerk,
  users: number,
  parallel: number,
  tag: string,
  failures: string[],
): Promise<ProviderRun> {
  const engine = newEngine(host, clerk, tag, parallel);
  const program = usersProgram(users, tag);
  clerk.control.clearRequests();
  const t0 = nowMs();
  const up = await engine.up(program);
  const t1 = nowMs();
  const refreshed = await engine.refresh();
  const t2 = nowMs();
  const destroyed = await engine.destroy();
  const t3 = nowMs();
  const rs = takeRequests(clerk);
  for (const f of [...up.failures, ...refreshed.failures, ...destroyed.failures])
    failures.push(`${tag} ${f.op} ${f.name}: ${f.message}`);
  if (up.created !== users) failures.push(`${tag}: created ${up.created} of ${users}`);
  const left = clerk.control.users().length;
  if (left !== 0) failures.push(`${tag}: ${left} users left in Clerk`);
  return {
    upMs: round(t1 - t0, 1),
    refreshMs: round(t2 - t1, 1),
    destroyMs: round(t3 - t2, 1),
    totalMs: round(t3 - t0, 1),
    requests: rs.length,
    routes: countRoutes(rs),
  };
}

async function plainRun(
  child: PlainChild,
  clerk: LocalClerk,
  users: number,
  concurrency: number,
  tag: string,
  failures: string[],
): Promise<PlainRun> {
  clerk.control.clearRequests();
  const r = await child.run({
    url: clerk.url,
    secretKey: clerk.secretKey,
    users,
    concurrency,
    stack: tag,
    prefix: tag,
  });
  const rs = takeRequests(clerk);
  if (r.error) failures.push(`${tag}: ${r.error}`);
  const left = clerk.control.users().length;
  if (left !== 0) {
    failures.push(`${tag}: ${left} users left in Clerk`);
    for (const u of clerk.control.users()) clerk.control.removeUser(u.id);
  }
  return { createMs: r.createMs, readMs: r.readMs, deleteMs: r.deleteMs, totalMs: r.totalMs, requests: rs.length };
}

async function refreshProbe(host: ProviderHost, clerk: LocalClerk, users: number): Promise<RefreshProbeResult> {
  const failures: string[] = [];
  const tag = `probe-${users}`;
  const engine = newEngine(host, clerk, tag, users);
  const up = await engine.up(usersProgram(users, tag));
  for (const f of up.failures) failures.push(`${tag} up ${f.name}: ${f.message}`);
  clerk.control.clearRequests();
  const t0 = nowMs();
  const refreshed = await engine.refresh();
  const t1 = nowMs();
  const rs = takeRequests(clerk);
  for (const f of refreshed.failures) failures.push(`${tag} refresh ${f.name}: ${f.message}`);
  const destroyed = await engine.destroy();
  for (const f of destroyed.failures) failures.push(`${tag} destroy ${f.name}: ${f.message}`);
  clerk.control.clearRequests();
  return {
    users,
    parallel: users,
    refreshRequests: rs.length,
    requestsPerRefreshedUser: round(rs.length / users, 4),
    refreshMs: round(t1 - t0, 1),
    failures,
  };
}

export async function runOverhead(opts: OverheadOptions): Promise<OverheadReport> {
  const clerk = await startLocalClerk(); // no rate limit
  const host = await startHost(UNLIMITED_PER_10S);
  const child = new PlainChild();
  const results: OverheadResult[] = [];
  const refreshProbes: RefreshProbeResult[] = [];
  try {
    await host.configure(clerkConfig(clerk));
    // Warm-up of both paths (JIT, connection pools, the host's first require of the provider runtime).
    const warm: string[] = [];
    log(`overhead: warm-up (${opts.warmupUsers} users each)`);
    await providerRun(host, clerk, opts.warmupUsers, opts.parallel, "warm-provider", warm);
    await plainRun(child, clerk, opts.warmupUsers, opts.parallel, "warm-plain", warm);
    if (warm.length) throw new Error(`overhead warm-up failed: ${warm.slice(0, 3).join("; ")}`);

    for (const users of opts.users) {
      const failures: string[] = [];
      const reps: OverheadRep[] = [];
      for (let rep = 0; rep < opts.reps; rep++) {
        const order = rep % 2 === 0 ? "provider-first" : "plain-first";
        log(`overhead N=${users}: repetition ${rep + 1}/${opts.reps} (${order})`);
        let provider: ProviderRun;
        let plain: PlainRun;
        if (order === "provider-first") {
          provider = await providerRun(host, clerk, users, opts.parallel, `ovh-p${users}-${rep}`, failures);
          plain = await plainRun(child, clerk, users, opts.parallel, `ovh-c${users}-${rep}`, failures);
        } else {
          plain = await plainRun(child, clerk, users, opts.parallel, `ovh-c${users}-${rep}`, failures);
          provider = await providerRun(host, clerk, users, opts.parallel, `ovh-p${users}-${rep}`, failures);
        }
        reps.push({ rep, order, provider, plain, ratio: round(provider.totalMs / plain.totalMs) });
      }
      const med = (f: (r: OverheadRep) => number): number => round(median(reps.map(f)), 1);
      const p = {
        totalMs: med((r) => r.provider.totalMs),
        upMs: med((r) => r.provider.upMs),
        refreshMs: med((r) => r.provider.refreshMs),
        destroyMs: med((r) => r.provider.destroyMs),
        msPerOp: 0,
        programMs: 0,
      };
      p.msPerOp = round(p.totalMs / (3 * users));
      const programRuns: number[] = [];
      for (let rep = 0; rep < opts.reps; rep++) {
        const t0 = nowMs();
        await capture(usersProgram(users, `prog-${users}-${rep}`), {
          project: PROJECT,
          stack: "bench",
          config: clerkConfig(clerk),
        });
        programRuns.push(nowMs() - t0);
      }
      p.programMs = round(median(programRuns), 1);
      const c = {
        totalMs: med((r) => r.plain.totalMs),
        createMs: med((r) => r.plain.createMs),
        readMs: med((r) => r.plain.readMs),
        deleteMs: med((r) => r.plain.deleteMs),
        msPerOp: 0,
      };
      c.msPerOp = round(c.totalMs / (3 * users));
      results.push({
        users,
        parallel: opts.parallel,
        reps,
        provider: p,
        plain: c,
        ratio: round(median(reps.map((r) => r.ratio))),
        phaseRatios: {
          create: round(p.upMs / c.createMs),
          read: round(p.refreshMs / c.readMs),
          delete: round(p.destroyMs / c.deleteMs),
        },
        failures,
      });
    }

    if (opts.refreshProbe) {
      for (const users of opts.users) {
        log(`refresh probe N=${users} (parallel ${users})`);
        refreshProbes.push(await refreshProbe(host, clerk, users));
      }
    }
    return { results, refreshProbes };
  } finally {
    await child.close();
    await host.close();
    await clerk.close();
  }
}
