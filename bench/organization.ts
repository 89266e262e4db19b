/**
 * (h) An organization with M members, create + destroy, through the real dynamic-provider host against a fresh
 * local Clerk limited to R requests/s, with the provider given the same limit: M `ClerkUser`s, one
 * `ClerkOrganization` (an explicit `maxAllowedMemberships` of M: an organization created without one gets the
 * instance's default limit), and M `ClerkOrganizationMembership`s (member 0 `org:admin`, the rest `org:member`), each
 * with `deletedWith` the organization, as the root program declares them (decision 4 of issue 12): destroy deletes
 * the organization, which takes its memberships along, and never meets Clerk's last-admin rule.
 *
 * Wall time (up + destroy) over the floor as (a) defines it: requests the server received (429s included) ÷ R.
 * Clerk must hold M users, one organization and M memberships after `up`, and nothing after `destroy`.
 */
import { ClerkOrganization, ClerkOrganizationMembership, ClerkUser } from "../src";
import { startLocalClerk } from "../test/local-clerk";
import {
  againstFloor,
  clerkConfig,
  log,
  newEngine,
  nowMs,
  phase,
  startHost,
  takeRequests,
  userArgs,
  userName,
  type PhaseResult,
} from "./common";

export interface OrganizationBenchOptions {
  /** Members of the one organization, and users created for them. */
  members: number;
  /** Both the local Clerk's and the provider's limit (requests per 10 s). */
  requestsPer10s: number;
  /** The engine's --parallel. */
  parallel: number;
}

export interface OrganizationBenchResult {
  members: number;
  parallel: number;
  requestsPer10s: number;
  /** R, requests per second. */
  requestsPerSecond: number;
  phases: { up: PhaseResult; destroy: PhaseResult };
  /** up + destroy, ms. */
  wallMs: number;
  /** All requests the server received (429s included). */
  requests: number;
  /** 429 answers. */
  throttled: number;
  /** requests ÷ R, ms. */
  floorMs: number;
  /** wallMs ÷ floorMs. */
  ratio: number;
  /** Memberships the engine dropped without a provider delete (their deletedWith organization was deleted). */
  deletedWithOrganization: number;
  afterUp: ClerkCounts;
  afterDestroy: ClerkCounts;
  failures: string[];
}

export interface ClerkCounts {
  users: number;
  organizations: number;
  memberships: number;
}

const ORG = "bench-org";

/** The program of (h): M users, one organization, M memberships that go with the organization. */
export function organizationProgram(members: number, prefix: string): () => void {
  return () => {
    const org = new ClerkOrganization(ORG, {
      name: "Bench Tenant",
      slug: `${prefix}-tenant`,
      maxAllowedMemberships: members,
    });
    for (let i = 0; i < members; i++) {
      const user = new ClerkUser(userName(prefix, i), userArgs(prefix, i));
      new ClerkOrganizationMembership(
        `${prefix}-member-${i}`,
        { organizationId: org.organizationId, userId: user.userId, role: i === 0 ? "org:admin" : "org:member" },
        { deletedWith: org },
      );
    }
  };
}

/** `METHOD /path` with every Clerk id replaced by its prefix and `X`. */
/** A step that threw (a check failure, the host gone) is a failure of the run, not of the whole bench. */
function thrown(step: string, failures: string[]): (e: unknown) => undefined {
  return (e) => {
    failures.push(`${step} threw: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  };
}

export async function runOrganizationBench(opts: OrganizationBenchOptions): Promise<OrganizationBenchResult> {
  const { members, requestsPer10s, parallel } = opts;
  const clerk = await startLocalClerk({ rateLimit: { requestsPer10s } });
  const host = await startHost(requestsPer10s);
  const failures: string[] = [];
  const counts = (): ClerkCounts => ({
    users: clerk.control.users().length,
    organizations: clerk.control.organizations().length,
    memberships: clerk.control.memberships().length,
  });
  try {
    const engine = newEngine(host, clerk, "bench", parallel);
    // Configure outside the timed region (the engine does it before any step; it is no Clerk call).
    await host.configure(clerkConfig(clerk));
    clerk.control.clearRequests();

    log(`organization with ${members} members: up (R=${requestsPer10s / 10}/s, parallel ${parallel})`);
    const t0 = nowMs();
    const up = await engine.up(organizationProgram(members, "bench")).catch(thrown("up", failures));
    const t1 = nowMs();
    const upReqs = takeRequests(clerk);
    for (const f of up?.failures ?? []) failures.push(`up ${f.name}: ${f.message}`);
    const afterUp = counts();
    const expectedUp: ClerkCounts = { users: members, organizations: 1, memberships: members };
    if (JSON.stringify(afterUp) !== JSON.stringify(expectedUp)) {
      failures.push(`up: Clerk holds ${JSON.stringify(afterUp)}, expected ${JSON.stringify(expectedUp)}`);
    }

    log(`organization with ${members} members: destroy`);
    const t2 = nowMs();
    const destroyed = await engine.destroy().catch(thrown("destroy", failures));
    const t3 = nowMs();
    const destroyReqs = takeRequests(clerk);
    for (const f of destroyed?.failures ?? []) failures.push(`destroy ${f.name}: ${f.message}`);
    const afterDestroy = counts();
    if (afterDestroy.users !== 0 || afterDestroy.organizations !== 0 || afterDestroy.memberships !== 0) {
      failures.push(`destroy: Clerk still holds ${JSON.stringify(afterDestroy)}`);
    }
    // The harness engine counts the deletes it skipped for deletedWith.
    const deletedWithOrganization = destroyed?.deletedWith ?? 0;
    if (deletedWithOrganization !== members) {
      failures.push(`destroy: ${deletedWithOrganization} memberships went with the organization, expected ${members}`);
    }

    const phases = { up: phase(t1 - t0, upReqs), destroy: phase(t3 - t2, destroyReqs) };
    return {
      members,
      parallel,
      requestsPer10s,
      phases,
      ...againstFloor([phases.up, phases.destroy], requestsPer10s),
      deletedWithOrganization,
      afterUp,
      afterDestroy,
      failures,
    };
  } finally {
    if (failures.length) {
      const err = host.stderr().trim();
      if (err) log(`host stderr (last 2000 chars):\n${err.slice(-2000)}`);
    }
    await host.close();
    await clerk.close();
  }
}
