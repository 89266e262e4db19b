/**
 * (a) Wall time of create + refresh + destroy of N users through the real dynamic-provider host against a local
 * Clerk limited to R requests/s, over the floor the limit sets (requests the server received ÷ R).
 * (c) Requests per refreshed user: requests the server logged during `refresh()` ÷ N.
 * (e) Peak RSS of the host that ran it.
 *
 * Each run gets a fresh local Clerk (so the server's window starts empty) and a fresh host (so its scheduler does).
 */
import { startLocalClerk } from "../test/local-clerk";
import {
  againstFloor,
  clerkConfig,
  log,
  newEngine,
  nowMs,
  phase,
  round,
  startHost,
  takeRequests,
  usersProgram,
  type PhaseResult,
} from "./common";
import { MemorySampler } from "./hostMemory";

export interface LifecycleOptions {
  users: number;
  /** Both the local Clerk's and the provider's limit (requests per 10 s). */
  requestsPer10s: number;
  /** The engine's --parallel. */
  parallel: number;
}

export interface LifecycleResult {
  users: number;
  parallel: number;
  requestsPer10s: number;
  /** R, requests per second. */
  requestsPerSecond: number;
  phases: { up: PhaseResult; refresh: PhaseResult; destroy: PhaseResult };
  /** up + refresh + destroy, ms. */
  wallMs: number;
  /** All requests the server received (429s included). */
  requests: number;
  /** 429 answers. */
  throttled: number;
  /** requests ÷ R, ms. */
  floorMs: number;
  /** wallMs ÷ floorMs. */
  ratio: number;
  /** Requests during refresh ÷ users. */
  requestsPerRefreshedUser: number;
  /** Highest concurrency of provider operations the engine reached (up / destroy). */
  engineConcurrency: { up: number; destroy: number };
  /** JSON size of one resource's state entry after `up` (inputs + outputs, `__provider` included), bytes. */
  stateBytesPerResource: number;
  host: { pid: number; startRssBytes?: number; peakRssBytes?: number; endRssBytes?: number };
  /** Users in Clerk after up / after destroy (N and 0 when everything worked). */
  usersAfterUp: number;
  usersAfterDestroy: number;
  failures: string[];
}

export async function runLifecycle(opts: LifecycleOptions): Promise<LifecycleResult> {
  const { users, requestsPer10s, parallel } = opts;
  const clerk = await startLocalClerk({ rateLimit: { requestsPer10s } });
  const host = await startHost(requestsPer10s);
  const sampler = new MemorySampler(host.pid);
  const failures: string[] = [];
  try {
    const engine = newEngine(host, clerk, "bench", parallel);
    const program = usersProgram(users, "bench-user");
    // Configure outside the timed region (the engine does it before any step; it is no Clerk call).
    await host.configure(clerkConfig(clerk));
    clerk.control.clearRequests();

    log(`lifecycle N=${users}: up (R=${requestsPer10s / 10}/s, parallel ${parallel})`);
    const t0 = nowMs();
    const up = await engine.up(program);
    const t1 = nowMs();
    const upReqs = takeRequests(clerk);
    for (const f of up.failures) failures.push(`up ${f.name}: ${f.message}`);
    const usersAfterUp = clerk.control.users().length;
    const firstEntry = engine.state()[0];
    const stateBytesPerResource = firstEntry ? Buffer.byteLength(JSON.stringify(firstEntry)) : 0;

    log(`lifecycle N=${users}: refresh`);
    const t2 = nowMs();
    const refreshed = await engine.refresh();
    const t3 = nowMs();
    const refreshReqs = takeRequests(clerk);
    for (const f of refreshed.failures) failures.push(`refresh ${f.name}: ${f.message}`);
    if (refreshed.unchanged !== usersAfterUp)
      failures.push(`refresh: ${refreshed.unchanged} unchanged of ${usersAfterUp}`);

    log(`lifecycle N=${users}: destroy`);
    const t4 = nowMs();
    const destroyed = await engine.destroy();
    const t5 = nowMs();
    const destroyReqs = takeRequests(clerk);
    for (const f of destroyed.failures) failures.push(`destroy ${f.name}: ${f.message}`);
    const usersAfterDestroy = clerk.control.users().length;
    if (usersAfterUp !== users) failures.push(`up: ${usersAfterUp} users in Clerk, expected ${users}`);
    if (usersAfterDestroy !== 0) failures.push(`destroy: ${usersAfterDestroy} users left in Clerk`);

    const mem = sampler.stop();
    const phases = {
      up: phase(t1 - t0, upReqs),
      refresh: phase(t3 - t2, refreshReqs),
      destroy: phase(t5 - t4, destroyReqs),
    };
    return {
      users,
      parallel,
      requestsPer10s,
      phases,
      ...againstFloor([phases.up, phases.refresh, phases.destroy], requestsPer10s),
      requestsPerRefreshedUser: round(phases.refresh.requests / users, 4),
      engineConcurrency: { up: up.maxConcurrency, destroy: destroyed.maxConcurrency },
      stateBytesPerResource,
      host: {
        pid: host.pid,
        ...(sampler.first ? { startRssBytes: sampler.first.rssBytes } : {}),
        ...(mem ? { peakRssBytes: mem.peakRssBytes, endRssBytes: mem.rssBytes } : {}),
      },
      usersAfterUp,
      usersAfterDestroy,
      failures,
    };
  } finally {
    sampler.stop();
    if (failures.length) {
      const err = host.stderr().trim();
      if (err) log(`host stderr (last 2000 chars):\n${err.slice(-2000)}`);
    }
    await host.close();
    await clerk.close();
  }
}
