/**
 * `npm run bench`: the benchmark of pulumi-clerk. Not a timed test — it measures and reports ratios, side by side:
 *
 *  (a) create + refresh + destroy of N users through the real dynamic-provider host against the local Clerk
 *      limited to R requests/s, over the floor the limit sets (requests ÷ R)          goal ≤ 1.10, no 429
 *  (b) per-operation overhead without a limit, against a plain `@clerk/backend` loop   goal ≤ 1.2
 *  (c) requests per refreshed user                                                      goal ≤ 0.05
 *  (c'') the same on a production key (reads batched by user_id), engine parallel = N
 *  (d) serialized provider size
 *  (e) peak memory (RSS) of the host
 *  (f) 429s when N users are destroyed at once under the development limit              goal ≤ 0.05 per deletion
 *  (g) K concurrent stacks (one host each) against ONE instance, and a clerk-sweep beside 2 stacks: wall time
 *      against the floor, share of 429s, failures        goals: K=4 ≤ 5 % 429s and ≤ 1.3× floor; K=8 0 failures, ≤ 10 %
 *  (h) an organization with M members (M users, 1 organization, M memberships deletedWith it), create + destroy,
 *      at R, over the floor as in (a); Clerk left empty                                  goal ≤ 1.10, no 429
 *
 * Writes bench/results/latest.json (+ latest.md, the table), prints the table, and (a full run of every
 * measurement with the default output) puts it into bench/README.md between its `bench:latest` markers.
 *
 * Flags (argv or env):
 *   --quick                   small, fast smoke run (N=10, 1 repetition) → bench/results/quick.json
 *   --users=100,500           BENCH_USERS            user counts
 *   --per10s=100              BENCH_REQUESTS_PER_10S the local Clerk's and the provider's limit (R = per10s / 10)
 *   --parallel=8              BENCH_PARALLEL         engine --parallel (default 4 × CPUs, the engine's default)
 *   --reps=3                  BENCH_REPS             repetitions of (b), median reported
 *   --burst=400               BENCH_BURST            users destroyed at once in (f)
 *   --production=250          BENCH_PRODUCTION       users refreshed on a production key in (c'')
 *   --out=path.json           BENCH_OUT              where to write the JSON
 *   --stacks=2,4,8            BENCH_STACKS           (g) concurrent stacks against one instance (none in --quick)
 *   --stack-users=30          BENCH_STACK_USERS      (g) users per stack (and leaked users the sweep deletes)
 *   --members=50              BENCH_MEMBERS          (h) members of the organization (none in --quick)
 *   --only=g                  BENCH_ONLY             run only these: a (with c, e), b (with c'), c'', d, f, g, h
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { defaultParallel, log, repoRoot, setQuiet } from "./common";
import { MB } from "./hostMemory";
import { runLifecycle, type LifecycleResult } from "./lifecycle";
import { runOrganizationBench, type OrganizationBenchResult } from "./organization";
import { runOverhead, type OverheadReport } from "./overhead";
import { measureProviderSize, type ProviderSizeResult } from "./providerSize";
import {
  buildOrganizationRows,
  buildRows,
  buildSharedRows,
  GOALS,
  ORGANIZATION_GOALS,
  renderNotes,
  renderOrganizationNotes,
  renderSharedNotes,
  renderTable,
  SHARED_GOALS,
  type Row,
  type ScaleProbes,
} from "./report";
import { runBurst, runProductionRefresh } from "./scaleProbes";
import { runSharedInstance, type SharedInstanceResult } from "./sharedInstance";

/** What `--only` can name; (c) and (e) come with (a), (c') with (b). (d) is always measured: it takes no time. */
export const MEASUREMENTS = ["a", "b", "c''", "d", "f", "g", "h"] as const;

export interface BenchOptions {
  quick: boolean;
  users: number[];
  requestsPer10s: number;
  parallel: number;
  reps: number;
  warmupUsers: number;
  refreshProbe: boolean;
  /** (f): users destroyed at once; (c''): users refreshed on a production key. */
  burstUsers: number[];
  productionUsers: number[];
  /** (g): concurrent stacks per row; a sweep row runs beside 2 stacks whenever this is not empty. */
  stacks: number[];
  stackUsers: number;
  /** (h): members of the one organization; none: no (h) (the quick run). */
  members: number[];
  /** Measurements to run (of MEASUREMENTS); all by default. */
  only: Set<string>;
  /** JSON output path; the table goes next to it with a .md extension. */
  outFile: string;
  /** Print the table to stdout (default true). */
  print: boolean;
  /** Write the table into bench/README.md (only a full run of everything with the default output does). */
  readme: boolean;
}

export interface BenchResult {
  schema: "pulumi-clerk-bench/1";
  date: string;
  mode: "full" | "quick";
  command: string;
  durationMs: number;
  machine: {
    cpus: number;
    cpuModel: string;
    totalMemoryMB: number;
    node: string;
    platform: string;
    arch: string;
    clerkBackend: string;
    pulumi: string;
  };
  settings: {
    users: number[];
    requestsPer10s: number;
    requestsPerSecond: number;
    parallel: number;
    reps: number;
    warmupUsers: number;
  };
  goals: typeof GOALS;
  lifecycle: LifecycleResult[];
  overhead: OverheadReport;
  providerSize: ProviderSizeResult;
  probes: ScaleProbes;
  sharedGoals: typeof SHARED_GOALS;
  shared: SharedInstanceResult[];
  organizationGoals: typeof ORGANIZATION_GOALS;
  organization: OrganizationBenchResult[];
  hostMemory: { users: number; peakRssBytes: number | null; peakRssMB: number | null; startRssBytes: number | null }[];
  rows: Row[];
  /** Every goal met and no run failed. */
  allGoalsMet: boolean;
  failures: string[];
  table: string;
  /** Where the time goes (phase breakdown), printed under the table. */
  notes: string;
  outFile: string;
}

function positiveInt(name: string, v: string | undefined): number | undefined {
  if (v === undefined || v === "") return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`bench: ${name} must be a positive integer, got ${v}`);
  return n;
}

function intList(name: string, v: string | undefined): number[] | undefined {
  if (v === undefined || v === "") return undefined;
  return v.split(",").map((x) => positiveInt(name, x.trim())!);
}

/** Options from argv (`--key=value`, `--quick`) over the environment (`BENCH_*`) over the defaults. */
export function parseOptions(
  argv: string[] = process.argv.slice(2),
  env: NodeJS.ProcessEnv = process.env,
): BenchOptions {
  const flags = new Map<string, string>();
  for (const a of argv) {
    const m = /^--([a-z0-9-]+)(?:=(.*))?$/i.exec(a);
    if (!m) throw new Error(`bench: unknown argument ${a}`);
    flags.set(m[1]!, m[2] ?? "true");
  }
  const known = new Set([
    ...["quick", "users", "per10s", "parallel", "reps", "out", "burst", "production"],
    ...["stacks", "stack-users", "members", "only"],
  ]);
  for (const k of flags.keys()) if (!known.has(k)) throw new Error(`bench: unknown flag --${k}`);
  const quick = flags.has("quick") || env["BENCH_QUICK"] === "1";
  const results = path.join(repoRoot(), "bench", "results");
  const onlyFlag = flags.get("only") ?? env["BENCH_ONLY"];
  const only = new Set((onlyFlag ?? MEASUREMENTS.join(",")).split(",").map((x) => x.trim()));
  for (const m of only)
    if (!(MEASUREMENTS as readonly string[]).includes(m))
      throw new Error(`bench: --only takes ${MEASUREMENTS.join(", ")}; got ${m}`);
  return {
    quick,
    users: intList("users", flags.get("users") ?? env["BENCH_USERS"]) ?? (quick ? [10] : [100, 500]),
    requestsPer10s: positiveInt("per10s", flags.get("per10s") ?? env["BENCH_REQUESTS_PER_10S"]) ?? 100,
    parallel: positiveInt("parallel", flags.get("parallel") ?? env["BENCH_PARALLEL"]) ?? defaultParallel(),
    reps: positiveInt("reps", flags.get("reps") ?? env["BENCH_REPS"]) ?? (quick ? 1 : 3),
    warmupUsers: quick ? 5 : 20,
    refreshProbe: true,
    burstUsers: intList("burst", flags.get("burst") ?? env["BENCH_BURST"]) ?? (quick ? [10] : [400]),
    productionUsers:
      intList("production", flags.get("production") ?? env["BENCH_PRODUCTION"]) ?? (quick ? [10] : [250]),
    stacks: intList("stacks", flags.get("stacks") ?? env["BENCH_STACKS"]) ?? (quick ? [] : [2, 4, 8]),
    stackUsers: positiveInt("stack-users", flags.get("stack-users") ?? env["BENCH_STACK_USERS"]) ?? 30,
    members: intList("members", flags.get("members") ?? env["BENCH_MEMBERS"]) ?? (quick ? [] : [50]),
    only,
    outFile: flags.get("out") ?? env["BENCH_OUT"] ?? path.join(results, quick ? "quick.json" : "latest.json"),
    print: true,
    readme: !quick && onlyFlag === undefined && !flags.has("out") && !env["BENCH_OUT"],
  };
}

function versionOf(pkg: string): string {
  try {
    return (require(`${pkg}/package.json`) as { version: string }).version;
  } catch {
    return "unknown";
  }
}

function commandLine(): string {
  const args = process.argv.slice(2).join(" ");
  if (process.env["npm_lifecycle_event"] === "bench") return `npm run bench${args ? ` -- ${args}` : ""}`;
  return `node dist/bench/run.js${args ? ` ${args}` : ""}`;
}

export async function runBench(partial: Partial<BenchOptions> = {}): Promise<BenchResult> {
  const opts: BenchOptions = { ...parseOptions(partial.quick ? ["--quick"] : [], {}), ...partial };
  setQuiet(!opts.print);
  const started = Date.now();
  const date = new Date().toISOString();

  const only = opts.only;
  log("(d) serialized provider size");
  const providerSize = await measureProviderSize();

  let overhead: OverheadReport = { results: [], refreshProbes: [] };
  if (only.has("b")) {
    log(`(b) overhead, N=${opts.users.join(",")}, parallel ${opts.parallel}, ${opts.reps} repetition(s)`);
    overhead = await runOverhead({
      users: opts.users,
      parallel: opts.parallel,
      reps: opts.reps,
      warmupUsers: opts.warmupUsers,
      refreshProbe: opts.refreshProbe,
    });
  }

  const lifecycle: LifecycleResult[] = [];
  for (const users of only.has("a") ? opts.users : []) {
    log(`(a)(c)(e) lifecycle N=${users} at ${opts.requestsPer10s} requests / 10 s`);
    lifecycle.push(await runLifecycle({ users, requestsPer10s: opts.requestsPer10s, parallel: opts.parallel }));
  }

  const probes: ScaleProbes = { production: [], burst: [] };
  for (const users of only.has("c''") ? opts.productionUsers : []) {
    probes.production.push(await runProductionRefresh(users));
  }
  for (const users of only.has("f") ? opts.burstUsers : []) probes.burst.push(await runBurst(users));

  const shared = only.has("g") ? await runShared(opts) : [];

  const organization: OrganizationBenchResult[] = [];
  for (const members of only.has("h") ? opts.members : []) {
    log(`(h) organization with ${members} members, create + destroy at ${opts.requestsPer10s} requests / 10 s`);
    organization.push(
      await runOrganizationBench({ members, requestsPer10s: opts.requestsPer10s, parallel: opts.parallel }),
    );
  }

  const rows = [
    ...buildRows(lifecycle, overhead, providerSize, probes),
    ...buildSharedRows(shared),
    ...buildOrganizationRows(organization),
  ];
  const table = renderTable(rows);
  const notes = [renderNotes(lifecycle, overhead), renderSharedNotes(shared), renderOrganizationNotes(organization)]
    .filter((x) => x !== "")
    .join("\n");
  const failures = [
    ...lifecycle.flatMap((l) => l.failures),
    ...overhead.results.flatMap((o) => o.failures),
    ...overhead.refreshProbes.flatMap((p) => p.failures),
    ...probes.production.flatMap((p) => p.failures),
    ...probes.burst.flatMap((b) => b.failures),
    ...shared.flatMap((r) => r.failures),
    ...organization.flatMap((o) => o.failures),
  ];
  const cpus = os.cpus();
  const result: BenchResult = {
    schema: "pulumi-clerk-bench/1",
    date,
    mode: opts.quick ? "quick" : "full",
    command: commandLine(),
    durationMs: Date.now() - started,
    machine: {
      cpus: cpus.length,
      cpuModel: cpus[0]?.model.trim() ?? "unknown",
      totalMemoryMB: Math.round(os.totalmem() / MB),
      node: process.version,
      platform: process.platform,
      arch: process.arch,
      clerkBackend: versionOf("@clerk/backend"),
      pulumi: versionOf("@pulumi/pulumi"),
    },
    settings: {
      users: opts.users,
      requestsPer10s: opts.requestsPer10s,
      requestsPerSecond: opts.requestsPer10s / 10,
      parallel: opts.parallel,
      reps: opts.reps,
      warmupUsers: opts.warmupUsers,
    },
    goals: GOALS,
    lifecycle,
    overhead,
    providerSize,
    probes,
    sharedGoals: SHARED_GOALS,
    shared,
    organizationGoals: ORGANIZATION_GOALS,
    organization,
    hostMemory: lifecycle.map((l) => ({
      users: l.users,
      peakRssBytes: l.host.peakRssBytes ?? null,
      peakRssMB: l.host.peakRssBytes !== undefined ? Math.round((l.host.peakRssBytes / MB) * 10) / 10 : null,
      startRssBytes: l.host.startRssBytes ?? null,
    })),
    rows,
    allGoalsMet: failures.length === 0 && rows.every((r) => r.met !== false),
    failures,
    table,
    notes,
    outFile: opts.outFile,
  };

  fs.mkdirSync(path.dirname(opts.outFile), { recursive: true });
  fs.writeFileSync(opts.outFile, JSON.stringify(result, null, 2) + "\n");
  const header =
    `pulumi-clerk bench (${result.mode}) — ${date}, node ${process.version}, ${cpus.length} × ${result.machine.cpuModel}\n` +
    `R = ${opts.requestsPer10s / 10} requests/s (${opts.requestsPer10s} / 10 s, server and provider), ` +
    `engine parallel ${opts.parallel}, (b) median of ${opts.reps}\n` +
    `command: ${result.command}`;
  fs.writeFileSync(opts.outFile.replace(/\.json$/, "") + ".md", `${header}\n\n${table}\n\n${notes}\n`);
  if (opts.readme) writeReadme(path.join(repoRoot(), "bench", "README.md"), `${header}\n\n${table}\n\n${notes}`);
  if (opts.print) {
    process.stdout.write(`\n${header}\n\n${table}\n\n${notes}\n\n`);
    if (failures.length)
      process.stdout.write(
        `failures (${failures.length}):\n${failures
          .slice(0, 20)
          .map((f) => `  ${f}`)
          .join("\n")}\n\n`,
      );
    process.stdout.write(`JSON: ${path.relative(process.cwd(), opts.outFile) || opts.outFile}\n`);
  }
  return result;
}

/**
 * (g) Every K with same-machine coordination (what K stacks on one runner get), a sweep beside 2 stacks, and the
 * larger K again without it: what K stacks on K separate runners get from the adaptive limit alone.
 */
async function runShared(opts: BenchOptions): Promise<SharedInstanceResult[]> {
  if (opts.stacks.length === 0) return [];
  const runs = [
    ...opts.stacks.map((stacks) => ({ stacks, sweepUsers: 0, coordinated: true })),
    { stacks: 2, sweepUsers: opts.stackUsers, coordinated: true },
    ...opts.stacks.filter((k) => k >= 4).map((stacks) => ({ stacks, sweepUsers: 0, coordinated: false })),
  ];
  const shared: SharedInstanceResult[] = [];
  for (const r of runs) {
    log(`(g) ${r.stacks} stacks${r.sweepUsers ? " + clerk-sweep" : ""} × ${opts.stackUsers} users, one instance`);
    shared.push(
      await runSharedInstance({
        ...r,
        usersPerStack: opts.stackUsers,
        requestsPer10s: opts.requestsPer10s,
        parallel: opts.parallel,
      }),
    );
  }
  return shared;
}

const START = "<!-- bench:latest:start -->";
const END = "<!-- bench:latest:end -->";

/** Replaces what stands between the README's `bench:latest` markers with this run's table, in a text block. */
export function writeReadme(file: string, text: string): void {
  const readme = fs.readFileSync(file, "utf8");
  const from = readme.indexOf(START);
  const to = readme.indexOf(END);
  if (from < 0 || to < from) throw new Error(`bench: ${file} has no ${START} … ${END} section`);
  const block = `${START}\n\n\`\`\`text\n${text}\n\`\`\`\n\n`;
  fs.writeFileSync(file, readme.slice(0, from) + block + readme.slice(to));
}

if (require.main === module) {
  let opts: BenchOptions;
  try {
    opts = parseOptions();
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(2);
  }
  runBench(opts).then(
    (r) => {
      // Goals are reported, not enforced: exit non-zero only when a run itself failed.
      process.exitCode = r.failures.length ? 1 : 0;
    },
    (e: unknown) => {
      process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
