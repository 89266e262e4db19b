/**
 * Counts that depend on timing, so the tests assert what the design guarantees and the benchmark reports these:
 *
 *  (f)   A burst: N users destroyed at once (engine --parallel N) by a fresh host with the provider's default limit
 *        for a development key (100 / 10 s), against a local Clerk enforcing Clerk's development limit. The
 *        client-side window keeps under the server's, but the two clocks run in two processes on one machine, and
 *        under load a request can land a moment early: the DELETEs Clerk answered 429, per deletion.
 *        Goal ≤ 0.05. (test/host/scale.test.ts asserts that every user is deleted exactly once and nothing fails.)
 *  (c'') A refresh of N users on a production key (reads batched by user_id) at --parallel N: list requests per
 *        refreshed user, and how far that is from ⌈N/100⌉ batches. Goal as (c).
 */
import { type EngineSnapshot, type ProviderHost } from "../test/harness";
import { startLocalClerk, type LocalClerk } from "../test/local-clerk";
import { log, newEngine, nowMs, round, startHost, usersProgram } from "./common";

export interface BurstResult {
  users: number;
  parallel: number;
  requestsPer10s: number;
  deletes: number;
  throttled: number;
  throttledPerDelete: number;
  destroyMs: number;
  failures: string[];
}

export interface ProductionRefreshResult {
  users: number;
  parallel: number;
  listRequests: number;
  /** ⌈N/100⌉: the fewest batches that can hold N ids. */
  fewestLists: number;
  requestsPerRefreshedUser: number;
  failures: string[];
}

const PRODUCTION_KEY = "sk_live_bench_000000000000000000000000000000";

/** A host whose limit is the provider's default for the key (`CLERK_MAX_REQUESTS_PER_10S` unset) or `limit`. */
const host = (limit?: number): Promise<ProviderHost> => startHost(limit);

async function withClerk<T>(clerk: LocalClerk, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } finally {
    await clerk.close();
  }
}

export async function runBurst(users: number, requestsPer10s = 100): Promise<BurstResult> {
  const clerk = await startLocalClerk();
  return withClerk(clerk, async () => {
    const failures: string[] = [];
    const creator = await host(100_000);
    let state: EngineSnapshot;
    try {
      log(`(f) burst: creating ${users} users without a limit`);
      const engine = newEngine(creator, clerk, "burst", 64);
      const up = await engine.up(usersProgram(users, "burst-user"));
      for (const f of up.failures) failures.push(`burst up ${f.name}: ${f.message}`);
      state = engine.toJSON();
    } finally {
      await creator.close();
    }
    // A new `pulumi destroy`: a fresh host at the provider's default for an sk_test_ key, every delete at once.
    const destroyer = await host();
    try {
      clerk.control.setRateLimit({ requestsPer10s });
      clerk.control.clearRequests();
      const engine = newEngine(destroyer, clerk, "burst", users);
      engine.load(state);
      log(`(f) burst: destroying ${users} users at once under ${requestsPer10s} / 10 s`);
      const t0 = nowMs();
      const destroyed = await engine.destroy();
      const destroyMs = nowMs() - t0;
      for (const f of destroyed.failures) failures.push(`burst destroy ${f.name}: ${f.message}`);
      const left = clerk.control.users().length;
      if (left !== 0) failures.push(`burst: ${left} users left in Clerk`);
      const deletes = clerk.control.requests().filter((r) => r.method === "DELETE");
      const throttled = deletes.filter((r) => r.status === 429).length;
      return {
        users,
        parallel: users,
        requestsPer10s,
        deletes: deletes.length,
        throttled,
        throttledPerDelete: round(throttled / users, 4),
        destroyMs: round(destroyMs, 1),
        failures,
      };
    } finally {
      await destroyer.close();
    }
  });
}

export async function runProductionRefresh(users: number): Promise<ProductionRefreshResult> {
  const clerk = await startLocalClerk({ secretKeys: [PRODUCTION_KEY] });
  return withClerk(clerk, async () => {
    const failures: string[] = [];
    const h = await host(100_000);
    try {
      const engine = newEngine(h, clerk, "production", users);
      log(`(c'') production key: ${users} users, refresh at --parallel ${users}`);
      const up = await engine.up(usersProgram(users, "prod-user"));
      for (const f of up.failures) failures.push(`production up ${f.name}: ${f.message}`);
      clerk.control.clearRequests();
      const refreshed = await engine.refresh();
      for (const f of refreshed.failures) failures.push(`production refresh ${f.name}: ${f.message}`);
      const log_ = clerk.control.requests();
      const lists = log_.filter((r) => r.method === "GET" && r.path === "/v1/users").length;
      if (log_.length !== lists) failures.push(`production refresh: ${log_.length - lists} requests besides lists`);
      const destroyed = await engine.destroy();
      for (const f of destroyed.failures) failures.push(`production destroy ${f.name}: ${f.message}`);
      return {
        users,
        parallel: users,
        listRequests: lists,
        fewestLists: Math.ceil(users / 100),
        requestsPerRefreshedUser: round(lists / users, 4),
        failures,
      };
    } finally {
      await h.close();
    }
  });
}
