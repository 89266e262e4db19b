/**
 * Smoke test of `npm run bench` in quick mode (N=10, one repetition), in-process. It checks the JSON's shape and
 * the numbers that follow from the request log — never timings: the benchmark reports ratios, it is not a timed test.
 *
 * Needs the build (`npm test` runs it): the host loads dist/src, the plain loop runs dist/bench/plainLoop.js.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runBench, type BenchResult } from "../../bench/run";

const N = 10;
const PER_10S = 100;
let dir: string;
let result: BenchResult;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-smoke-"));
  result = await runBench({
    quick: true,
    users: [N],
    requestsPer10s: PER_10S,
    parallel: 8,
    reps: 1,
    outFile: path.join(dir, "out.json"),
    print: false,
  });
}, 180_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it("writes the JSON and the table it returns", () => {
  const onDisk = JSON.parse(fs.readFileSync(path.join(dir, "out.json"), "utf8")) as BenchResult;
  expect(onDisk.schema).toBe("pulumi-clerk-bench/1");
  expect(onDisk.mode).toBe("quick");
  expect(onDisk.table).toBe(result.table);
  expect(fs.readFileSync(path.join(dir, "out.md"), "utf8")).toContain(result.table);
  expect(onDisk.machine.cpus).toBe(os.cpus().length);
  expect(onDisk.machine.node).toBe(process.version);
  expect(Number.isNaN(Date.parse(onDisk.date))).toBe(false);
  expect(onDisk.settings).toMatchObject({
    users: [N],
    requestsPer10s: PER_10S,
    requestsPerSecond: PER_10S / 10,
    parallel: 8,
    reps: 1,
  });
  expect(onDisk.goals).toEqual({
    lifecycleRatio: 1.1,
    lifecycleThrottled: 0,
    overheadRatio: 1.2,
    requestsPerRefreshedUser: 0.05,
    throttledPerDelete: 0.05,
  });
  expect(result.failures).toEqual([]);
  expect(onDisk.sharedGoals).toEqual({ k4ThrottledShare: 0.05, k4Ratio: 1.3, k8ThrottledShare: 0.1 });
  // The quick run has no (g): K stacks against one instance take minutes.
  expect(onDisk.shared).toEqual([]);
  // One row per measurement; every goal row has a verdict.
  expect(new Set(result.rows.map((r) => r.id))).toEqual(new Set(["a", "b", "c", "c'", "c''", "d", "e", "f"]));
  for (const r of result.rows) expect(result.table).toContain(r.measurement);
  for (const r of result.rows.filter((x) => x.goal !== "—")) expect(typeof r.met).toBe("boolean");
});

it("(a)(c): the lifecycle's requests, floor and requests per refreshed user come from the server's log", () => {
  expect(result.lifecycle).toHaveLength(1);
  const l = result.lifecycle[0]!;
  expect(l.failures).toEqual([]);
  expect(l.usersAfterUp).toBe(N);
  expect(l.usersAfterDestroy).toBe(0);
  // Which instance the key belongs to: asked once per provider process that creates (or checks a 404).
  expect(l.phases.up.routes).toEqual({ "GET /v1/instance": 1, "POST /v1/users": N });
  // Destroy reads each user's marker first (batched: it must still be this resource's), then deletes it.
  const destroyRoutes = l.phases.destroy.routes;
  expect(destroyRoutes["DELETE /v1/users/user_X"]).toBe(N);
  expect(
    Object.keys(destroyRoutes)
      .filter((r) => r !== "GET /v1/instance")
      .sort(),
  ).toEqual(["DELETE /v1/users/user_X", "GET /v1/users"]);
  const peeks = destroyRoutes["GET /v1/users"]!;
  expect(peeks).toBeGreaterThanOrEqual(Math.ceil(N / 100));
  expect(peeks).toBeLessThanOrEqual(N);
  // The bench's key is a development key: the refresh is answered by snapshot lists of the instance (one, unless
  // a starved host let a snapshot go idle: that count is what the bench reports, not what this test asserts).
  expect(Object.keys(l.phases.refresh.routes)).toEqual(["GET /v1/users"]);
  const refresh = l.phases.refresh.requests;
  expect(refresh).toBeGreaterThanOrEqual(1);
  expect(l.requestsPerRefreshedUser).toBeCloseTo(refresh / N, 10);
  // Every request of the run is one of the phases' (no 429 at this size).
  const sum = (routes: Record<string, number>) => Object.values(routes).reduce((a, b) => a + b, 0);
  expect(l.requests).toBe(sum(l.phases.up.routes) + refresh + sum(destroyRoutes));
  expect(l.throttled).toBe(0);
  expect(l.requestsPerSecond).toBe(PER_10S / 10);
  expect(l.floorMs).toBeCloseTo((l.requests / (PER_10S / 10)) * 1000, 1);
  expect(l.ratio).toBeCloseTo(l.wallMs / l.floorMs, 2);
  expect(l.wallMs).toBeCloseTo(l.phases.up.ms + l.phases.refresh.ms + l.phases.destroy.ms, 0);
});

it("(b): provider and plain loop do the same users; the plain loop makes exactly 3N requests", () => {
  const [o] = result.overhead.results;
  expect(o!.failures).toEqual([]);
  expect(o!.reps).toHaveLength(1);
  const rep = o!.reps[0]!;
  expect(rep.plain.requests).toBe(3 * N);
  expect(rep.provider.routes["POST /v1/users"]).toBe(N);
  expect(rep.provider.routes["DELETE /v1/users/user_X"]).toBe(N);
  expect(rep.provider.requests).toBe(Object.values(rep.provider.routes).reduce((a, b) => a + b, 0));
  expect(o!.ratio).toBeCloseTo(rep.provider.totalMs / rep.plain.totalMs, 2);
  const [probe] = result.overhead.refreshProbes;
  expect(probe!.failures).toEqual([]);
  expect(probe!.requestsPerRefreshedUser).toBeCloseTo(probe!.refreshRequests / N, 10);
  expect(probe!.refreshRequests).toBeGreaterThanOrEqual(1);
});

it("(d)(e): provider size from the serializer and a captured registration; host peak RSS", () => {
  expect(result.providerSize.serializedBytes).toBeGreaterThan(0);
  expect(result.providerSize.registrationBytes).toBe(result.providerSize.serializedBytes);
  expect(result.providerSize.requiresRuntime).toBe(true);
  if (process.platform === "linux") {
    const [m] = result.hostMemory;
    expect(m!.users).toBe(N);
    expect(m!.peakRssBytes).toBeGreaterThan(0);
    expect(m!.peakRssBytes!).toBeGreaterThanOrEqual(m!.startRssBytes!);
  }
});

it("(c'')(f): the production refresh lists by user_id; the burst deletes every user, 429s counted from the log", () => {
  const [p] = result.probes.production;
  expect(p!.failures).toEqual([]);
  expect(p!.fewestLists).toBe(1);
  expect(p!.listRequests).toBeGreaterThanOrEqual(1);
  expect(p!.requestsPerRefreshedUser).toBeCloseTo(p!.listRequests / N, 10);
  const [b] = result.probes.burst;
  expect(b!.failures).toEqual([]);
  expect(b!.deletes).toBe(N + b!.throttled);
  expect(b!.throttledPerDelete).toBeCloseTo(b!.throttled / N, 10);
});
