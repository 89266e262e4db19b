/**
 * `clerk-sweep` end to end, in-process (`main(argv, io)`), against the local Clerk on a real port, with
 * 292 seeded users: 240 with a v2 marker of a created user (3 projects × 4 stacks, 1 h to 4.5 days old), 40 unmarked,
 * 12 malformed. Adopted users, v1 markers and the issue-13 edges are in 13-sweeper-ownership-edges.test.ts.
 *
 * Proves: what list/--dry-run/delete send and change, exit codes and summary lines, behaviour under injected
 * 429/503 and persistent failures; for organizations (issue 12, "organizations (--kind)" below): only marked ones of
 * this instance are deleted, with the users' rules, through exact requests, every one before the first user. Does not prove: behaviour against the real Clerk (paging order there is
 * Clerk's), or the progress bar rendering (only shown on a TTY; stderr here is not one).
 */
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { resetGateways } from "../../src/clerk/gateway";
import { ExitCode } from "../../src/sweep/exitCodes";
import type { SweepRow } from "../../src/sweep/sweepRow";
import { startLocalClerk, type LocalClerk } from "../local-clerk";
import { INSTANCE_ID, marker, markerV2, MALFORMED_MARKERS } from "./fixtures";
import { DAY, HOUR, ids, putOrganization, putUser, runSweep, seed, sorted, type Seeded } from "./sweepHarness";

let clerk: LocalClerk;
let seeded: Seeded[];
let now: number;

beforeAll(async () => {
  clerk = await startLocalClerk({ instanceId: INSTANCE_ID });
});
afterAll(async () => {
  resetGateways();
  await clerk.close();
});
beforeEach(() => {
  clerk.control.reset();
  now = Date.now();
  seeded = seed(clerk, now);
});

const run = (args: string[], opts: Omit<Parameters<typeof runSweep>[2], "now"> = {}) =>
  runSweep(clerk, args, { ...opts, now });
const storeIds = (): string[] => sorted(clerk.control.users().map((u) => u.id));
const allIds = (): string[] => sorted(seeded.map((u) => u.id));
const deletes = () => clerk.control.requests().filter((r) => r.method === "DELETE");
const listCalls = () => clerk.control.requests().filter((r) => r.method === "GET" && r.path === "/v1/users");

describe("clerk-sweep list", () => {
  it("--json prints every marked user and nothing else, changes nothing, sends no DELETE", async () => {
    const before = clerk.control.users();
    const r = await run(["list", "--json"]);
    expect(r.code).toBe(ExitCode.Ok);
    const rows = JSON.parse(r.stdout) as SweepRow[];
    expect(sorted(rows.map((x) => x.id))).toEqual(ids(seeded, () => true));
    expect(rows).toHaveLength(240);
    const first = seeded.find((u) => u.id === rows[0]!.id)!;
    expect(rows[0]).toEqual({
      kind: "user",
      id: first.id,
      primaryEmail: expect.stringMatching(/^seed\d+@example\.com$/),
      project: first.marker!.project,
      stack: first.marker!.stack,
      name: first.marker!.name,
      origin: "created",
      createdAt: new Date(now - first.ageMs).toISOString(),
      ageMs: first.ageMs,
    });
    expect(r.stderr).toBe(
      "scanned 0 organizations: 0 carry the pulumi-clerk marker, 0 match the filters\nscanned 292 users: 240 carry the pulumi-clerk marker, 240 match the filters\n",
    );
    expect(deletes()).toEqual([]);
    expect(clerk.control.users()).toEqual(before);
  });

  it("pages GET /users with limit 500, order_by +created_at, and with offsets for smaller pages", async () => {
    await run(["list", "--json"]);
    expect(listCalls().map((c) => c.query)).toEqual([{ limit: "500", order_by: "+created_at" }]);
    clerk.control.clearRequests();
    const r = await run(["list", "--json", "--page-size", "100"]);
    expect((JSON.parse(r.stdout) as unknown[]).length).toBe(240);
    expect(listCalls().map((c) => c.query)).toEqual([
      { limit: "100", order_by: "+created_at" },
      { limit: "100", offset: "100", order_by: "+created_at" },
      { limit: "100", offset: "200", order_by: "+created_at" },
    ]);
    expect(clerk.control.count({ path: "/v1/users/count" })).toBe(0);
  });

  it("prints a table with every filter applied", async () => {
    const r = await run(["list", "--project", "app", "--stack", "ci-1", "--older-than", "3d"]);
    expect(r.code).toBe(ExitCode.Ok);
    const expected = ids(seeded, (u) => u.marker.project === "app" && u.marker.stack === "ci-1" && u.ageMs > 3 * DAY);
    expect(expected.length).toBeGreaterThan(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^USER ID\s+PRIMARY EMAIL\s+PROJECT\s+STACK\s+NAME\s+ORIGIN\s+AGE$/);
    expect(sorted(lines.slice(1).map((l) => l.split(/\s+/)[0]!))).toEqual(expected);
    for (const line of lines.slice(1))
      expect(line).toMatch(/^user_\S+\s+seed\d+@example\.com\s+app\s+ci-1\s+user-\d+\s+created\s+\d+(d|h)$/);
    expect(deletes()).toEqual([]);
  });
});

describe("clerk-sweep delete", () => {
  it("--dry-run lists what it would delete and changes nothing", async () => {
    const before = clerk.control.users();
    const r = await run(["delete", "--dry-run", "--project", "billing"]);
    expect(r.code).toBe(ExitCode.Ok);
    expect(r.stdout.trimEnd().split("\n").pop()).toBe("dry run: would delete 80 users; nothing was deleted");
    expect(deletes()).toEqual([]);
    expect(clerk.control.users()).toEqual(before);
  });

  it("deletes exactly the marked users matching every filter, and nothing else", async () => {
    const r = await run([
      "delete",
      "--yes",
      "--older-than",
      "2d",
      "--keep-stacks",
      "prod",
      "--keep-stacks",
      "search/ci-2",
    ]);
    const expected = ids(
      seeded,
      (u) =>
        u.ageMs > 2 * DAY && u.marker.stack !== "prod" && !(u.marker.project === "search" && u.marker.stack === "ci-2"),
    );
    expect(expected.length).toBeGreaterThan(50);
    expect(r.code).toBe(ExitCode.Ok);
    expect(r.stdout.trimEnd().split("\n").pop()).toBe(`users: deleted ${expected.length}, already gone 0, failed 0`);
    expect(sorted(deletes().map((d) => d.userId!))).toEqual(expected);
    expect(storeIds()).toEqual(allIds().filter((id) => !expected.includes(id)));
    // every unmarked and malformed user is still there
    for (const u of seeded.filter((s) => s.kind !== "marked")) expect(clerk.control.getUser(u.id)).toBeDefined();
  });

  it("with no filters still never touches unmarked or malformed users", async () => {
    const r = await run(["delete", "--yes"]);
    expect(r.code).toBe(ExitCode.Ok);
    expect(r.stdout.trimEnd().split("\n").pop()).toBe("users: deleted 240, already gone 0, failed 0");
    expect(storeIds()).toEqual(sorted(seeded.filter((u) => u.kind !== "marked").map((u) => u.id)));
  });

  it("--only-missing-stacks with --live-stacks deletes only users of stacks that are gone", async () => {
    const r = await run(["delete", "--yes", "--only-missing-stacks", "--live-stacks", "app/ci-1,prod,search/pr-7"]);
    const live = (p: string, s: string) =>
      s === "prod" || (p === "app" && s === "ci-1") || (p === "search" && s === "pr-7");
    const expected = ids(seeded, (u) => !live(u.marker.project, u.marker.stack));
    expect(r.code).toBe(ExitCode.Ok);
    expect(r.stderr).toContain("live stacks (from --live-stacks): app/ci-1, prod, search/pr-7\n");
    expect(sorted(deletes().map((d) => d.userId!))).toEqual(expected);
    expect(storeIds()).toEqual(allIds().filter((id) => !expected.includes(id)));
  });

  it("--only-missing-stacks asks `pulumi stack ls --json --all` when pulumi is on PATH", async () => {
    const bin = mkdtempSync(join(tmpdir(), "fake-pulumi-"));
    const script = join(bin, "pulumi");
    writeFileSync(
      script,
      `#!/bin/sh\n[ "$*" = "stack ls --json --all" ] || { echo "unexpected args: $*" >&2; exit 3; }\n` +
        `echo '[{"name":"acme/billing/ci-1","current":false},{"name":"acme/ci-2"},{"name":"prod"}]'\n`,
    );
    chmodSync(script, 0o755);
    const r = await run(["delete", "--yes", "--only-missing-stacks"], {
      env: (base) => ({ ...base, PATH: `${bin}:${base["PATH"] ?? ""}` }),
    });
    const live = (p: string, s: string) => s === "prod" || s === "ci-2" || (p === "billing" && s === "ci-1");
    expect(r.stderr).toContain("live stacks (from pulumi stack ls): billing/ci-1, ci-2, prod\n");
    expect(r.code).toBe(ExitCode.Ok);
    expect(sorted(deletes().map((d) => d.userId!))).toEqual(
      ids(seeded, (u) => !live(u.marker.project, u.marker.stack)),
    );
  });

  it("--only-missing-stacks without pulumi on PATH and without --live-stacks is a usage error", async () => {
    const r = await run(["delete", "--yes", "--only-missing-stacks"], {
      env: (base) => ({ ...base, PATH: "/nonexistent" }),
    });
    expect(r.code).toBe(ExitCode.Usage);
    expect(r.stderr).toBe(
      "clerk-sweep: --only-missing-stacks needs the list of live stacks: install the pulumi CLI (and log in to your backend) " +
        "or pass them with --live-stacks stack1,project/stack2\n",
    );
    expect(clerk.control.requests()).toEqual([]);
  });

  it("ends with exactly the expected deletions under injected 429s (Retry-After 1) and 503s", async () => {
    clerk.control.inject({
      match: { method: "GET", path: "/v1/users" },
      times: 1,
      kind: "status",
      status: 429,
      retryAfterSeconds: 1,
    });
    clerk.control.inject({ match: { method: "GET", path: "/v1/users" }, times: 1, kind: "status", status: 503 });
    clerk.control.inject({
      match: { method: "DELETE", path: /^\/v1\/users\// },
      times: 4,
      kind: "status",
      status: 429,
      retryAfterSeconds: 1,
    });
    clerk.control.inject({
      match: { method: "DELETE", path: /^\/v1\/users\// },
      times: 6,
      kind: "status",
      status: 503,
    });
    const expected = ids(seeded, (u) => u.marker.project === "search");
    // Someone else deletes one of them after the listing, while the prompt waits: it must count as "already gone".
    const goneMeanwhile = expected[17]!;
    const stdin = Object.assign(
      new Readable({
        read() {
          clerk.control.removeUser(goneMeanwhile);
          this.push("y\n");
          this.push(null);
        },
      }),
      { isTTY: true },
    );
    const r = await run(["delete", "--project", "search"], { stdin });
    expect(clerk.control.pendingFaults()).toEqual([]);
    expect(r.code).toBe(ExitCode.Ok);
    expect(r.stdout.trimEnd().split("\n").pop()).toBe(
      `users: deleted ${expected.length - 1}, already gone 1, failed 0`,
    );
    expect(r.stderr).toMatch(/note: \d+ request attempt\(s\) were retried after 429\/5xx\/network errors/);
    expect(storeIds()).toEqual(allIds().filter((id) => !expected.includes(id)));
    const faulted = clerk.control.requests().filter((q) => q.fault === "status");
    expect(faulted.map((q) => `${q.method} ${q.status}`)).toEqual([
      "GET 429",
      "GET 503",
      ...new Array(4).fill("DELETE 429"),
      ...new Array(6).fill("DELETE 503"),
    ]);
    // every expected user got a successful DELETE or the 404 for the one deleted meanwhile; no other user did
    const answered = deletes().filter((q) => q.fault === undefined);
    expect(sorted(answered.map((q) => q.userId!))).toEqual(expected);
    expect(answered.filter((q) => q.status === 404).map((q) => q.userId)).toEqual([goneMeanwhile]);
  }, 60_000);

  it("under Clerk's own rate limit (5 requests / 10 s) it waits for Retry-After and still deletes exactly the match", async () => {
    clerk.control.setRateLimit({ requestsPer10s: 5 });
    const expected = ids(
      seeded,
      (u) => u.marker.project === "billing" && u.marker.stack === "pr-7" && u.ageMs > 3 * DAY,
    );
    expect(expected.length).toBe(8);
    const r = await run(["delete", "--yes", "--project", "billing", "--stack", "pr-7", "--older-than", "3d"]);
    expect(r.code).toBe(ExitCode.Ok);
    expect(r.stdout.trimEnd().split("\n").pop()).toBe("users: deleted 8, already gone 0, failed 0");
    expect(clerk.control.requests().some((q) => q.status === 429)).toBe(true);
    expect(storeIds()).toEqual(allIds().filter((id) => !expected.includes(id)));
  }, 60_000);

  it("a persistently failing DELETE → exit 1 and the summary names the user and the reason", async () => {
    const targets = seeded.filter((u) => u.marker?.project === "app" && u.marker.stack === "pr-7");
    const forbidden = targets[0]!;
    const flaky = targets[1]!;
    clerk.control.inject({
      match: { method: "DELETE", path: `/v1/users/${forbidden.id}` },
      times: 1000,
      kind: "status",
      status: 403,
      code: "not_allowed",
    });
    clerk.control.inject({
      match: { method: "DELETE", path: `/v1/users/${flaky.id}` },
      times: 1000,
      kind: "status",
      status: 500,
    });
    const r = await run(["delete", "--yes", "--project", "app", "--stack", "pr-7"], {
      env: (base) => ({ ...base, CLERK_RETRY_TIMEOUT_SECONDS: "2" }),
    });
    expect(r.code).toBe(ExitCode.Failed);
    const lines = r.stdout.trimEnd().split("\n");
    const summaryAt = lines.findIndex((l) => l.startsWith("users: deleted "));
    expect(lines[summaryAt]).toBe(`users: deleted ${targets.length - 2}, already gone 0, failed 2`);
    const failures = lines.slice(summaryAt + 1);
    expect(failures).toHaveLength(2);
    const line = (u: Seeded) => failures.find((l) => l.startsWith(`failed user ${u.id} `));
    expect(line(forbidden)).toMatch(
      new RegExp(
        `^failed user ${forbidden.id} \\(app/pr-7/${forbidden.marker!.name}\\): Clerk 403 not_allowed: .+ \\(clerk_trace_id [0-9a-f]{32}\\)$`,
      ),
    );
    expect(line(flaky)).toMatch(
      new RegExp(
        `^failed user ${flaky.id} \\(app/pr-7/${flaky.marker!.name}\\): Clerk 500 internal_clerk_error: .+: gave up after \\d+ attempts \\(retry budget exhausted\\)`,
      ),
    );
    const expectedGone = targets.slice(2).map((u) => u.id);
    expect(storeIds()).toEqual(allIds().filter((id) => !expectedGone.includes(id)));
  }, 60_000);
});

describe("clerk-sweep confirmation", () => {
  it("refuses without --yes in CI (CI=true): exit 2, nothing deleted", async () => {
    const r = await run(["delete", "--project", "app"], { env: (b) => ({ ...b, CI: "true" }), stdinTTY: true });
    expect(r.code).toBe(ExitCode.Usage);
    expect(r.stderr).toContain(
      "clerk-sweep: refusing to delete 80 users without --yes in a non-interactive session (CI, or stdin is not a terminal); nothing was deleted.",
    );
    expect(deletes()).toEqual([]);
    expect(storeIds()).toEqual(allIds());
  });

  it("refuses without --yes when stdin is not a TTY", async () => {
    const r = await run(["delete"], { stdinTTY: false, stdinText: "y\n" });
    expect(r.code).toBe(ExitCode.Usage);
    expect(deletes()).toEqual([]);
  });

  it("asks on a TTY: `y` deletes, anything else does not", async () => {
    const no = await run(["delete", "--stack", "ci-2"], { stdinTTY: true, stdinText: "n\n" });
    expect(no.code).toBe(ExitCode.Usage);
    expect(no.stderr).toContain(
      `Delete 60 users from ${clerk.url}? [y/N] clerk-sweep: not confirmed; nothing was deleted\n`,
    );
    expect(deletes()).toEqual([]);
    const yes = await run(["delete", "--stack", "ci-2"], { stdinTTY: true, stdinText: "yes\n" });
    expect(yes.code).toBe(ExitCode.Ok);
    expect(yes.stdout.trimEnd().split("\n").pop()).toBe("users: deleted 60, already gone 0, failed 0");
  });

  it("nothing matching needs no confirmation", async () => {
    const r = await run(["delete", "--project", "nope"], { env: (b) => ({ ...b, CI: "true" }) });
    expect(r.code).toBe(ExitCode.Ok);
    expect(r.stdout).toBe(
      "nothing to delete\norganizations: deleted 0, already gone 0, failed 0\nusers: deleted 0, already gone 0, failed 0\n",
    );
  });
});

describe("clerk-sweep errors", () => {
  it("missing key → exit 2 with a clear message, no request", async () => {
    const r = await run(["list"], { env: (b) => ({ ...b, CLERK_SECRET_KEY: undefined }) });
    expect(r.code).toBe(ExitCode.Usage);
    expect(r.stderr).toBe(
      "clerk-sweep: no Clerk secret key: set CLERK_SECRET_KEY to the instance's secret key (sk_test_… or sk_live_…), the same one the provider uses\n",
    );
    expect(clerk.control.requests()).toEqual([]);
  });

  it("wrong key → exit 3 naming the 401 and clerk_key_invalid, nothing deleted", async () => {
    const r = await run(["delete", "--yes"], { env: (b) => ({ ...b, CLERK_SECRET_KEY: "sk_test_wrong" }) });
    expect(r.code).toBe(ExitCode.Auth);
    expect(r.stderr).toMatch(
      /^clerk-sweep: Clerk rejected the secret key at http:\/\/127\.0\.0\.1:\d+: Clerk 401 clerk_key_invalid: The provided Clerk Secret Key is invalid\. .*\(clerk_trace_id [0-9a-f]{32}\)\. /,
    );
    expect(r.stderr).toContain("Check CLERK_SECRET_KEY (and CLERK_API_URL / --api-url). Nothing was deleted.");
    expect(r.stderr).not.toContain("sk_test_wrong");
    expect(deletes()).toEqual([]);
    expect(storeIds()).toEqual(allIds());
  });

  it("bad duration → exit 2 with a clear message, no request", async () => {
    const r = await run(["delete", "--yes", "--older-than", "5x"]);
    expect(r.code).toBe(ExitCode.Usage);
    expect(r.stderr).toContain(
      `error: option '--older-than <duration>' argument '5x' is invalid. --older-than: "5x" is not a duration; expected a positive duration with a unit`,
    );
    expect(clerk.control.requests()).toEqual([]);
  });

  it("--api-url overrides CLERK_API_URL", async () => {
    const r = await run(["list", "--json", "--api-url", clerk.url], {
      env: (b) => ({ ...b, CLERK_API_URL: "http://127.0.0.1:9" }),
    });
    expect(r.code).toBe(ExitCode.Ok);
    expect((JSON.parse(r.stdout) as unknown[]).length).toBe(240);
  });

  it("an invalid --api-url is a usage error that names the flag, not the value", async () => {
    const r = await run(["list", "--api-url", "not a url"]);
    expect(r.code).toBe(ExitCode.Usage);
    expect(r.stderr).toBe(
      "clerk-sweep: --api-url must be an http(s) URL such as https://api.clerk.com, but it is not a URL; " +
        "the value is not shown because it may be a secret\n",
    );
    expect(clerk.control.requests()).toEqual([]);
  });

  it("--api-url ending in /v1/ is normalised: requests reach /v1/users, never /v1/v1", async () => {
    const r = await run(["list", "--json", "--api-url", `${clerk.url}/v1/`]);
    expect(r.code).toBe(ExitCode.Ok);
    expect((JSON.parse(r.stdout) as unknown[]).length).toBe(240);
    expect(sorted(new Set(clerk.control.requests().map((q) => q.path)))).toEqual(["/v1/organizations", "/v1/users"]);
  });

  it("ages are relative to the injected clock", async () => {
    const r = await run(["list", "--json", "--older-than", `${Math.round((4 * DAY + 13 * HOUR) / HOUR)}h`]);
    expect((JSON.parse(r.stdout) as unknown[]).length).toBe(ids(seeded, (u) => u.ageMs > 4 * DAY + 13 * HOUR).length);
  });
});

/**
 * Issue 12: organizations carry the same v2 marker in their private metadata and are swept with the users' rules,
 * before the users. Everything here is on stack `pr-12`, which no seeded user names, so `--stack pr-12` selects
 * exactly what each test puts.
 */
describe("organizations (--kind)", () => {
  const STACK = "pr-12";
  const ELSEWHERE = "ins_elsewhere";
  const ORG_HEADER = /^ORGANIZATION ID\s+SLUG\s+PROJECT\s+STACK\s+NAME\s+ORIGIN\s+AGE$/;
  const USER_HEADER = /^USER ID\s+PRIMARY EMAIL\s+PROJECT\s+STACK\s+NAME\s+ORIGIN\s+AGE$/;
  let orgs: Record<"a" | "b" | "unmarked" | "adopted" | "other" | "v1" | "malformed", string>;
  let users: Record<"admin" | "member" | "other", string>;

  beforeEach(() => {
    const org = (slug: string, ageMs: number, pm: Parameters<typeof putOrganization>[4]) =>
      putOrganization(clerk, now, slug, ageMs, pm);
    orgs = {
      a: org("tenant-a", 3 * DAY, markerV2("app", STACK, "tenant-a")),
      b: org("tenant-b", 2 * DAY, { ...markerV2("app", STACK, "tenant-b"), plan: "pro" }),
      unmarked: org("made-by-hand", 9 * DAY, { project: "app", stack: STACK }),
      adopted: org("shared", 8 * DAY, markerV2("app", STACK, "shared", true)),
      other: org("copied", 7 * DAY, markerV2("app", STACK, "copied", false, ELSEWHERE)),
      v1: org("legacy", 6 * DAY, marker("app", STACK, "legacy")),
      malformed: org("broken", 5 * DAY, MALFORMED_MARKERS[3]!),
    };
    const user = (email: string, ageMs: number, pm: Parameters<typeof putUser>[4]) =>
      putUser(clerk, now, email, ageMs, pm);
    users = {
      admin: user("admin@example.com", 3 * DAY, markerV2("app", STACK, "admin")),
      member: user("member@example.com", 2 * DAY, markerV2("app", STACK, "member")),
      other: user("copied@example.com", 2 * DAY, markerV2("app", STACK, "copied-user", false, ELSEWHERE)),
    };
    // tenant-b has both users as members; the kept organization "shared" has the admin too
    clerk.control.putMembership({ organization_id: orgs.b, user_id: users.admin, role: "org:admin" });
    clerk.control.putMembership({ organization_id: orgs.b, user_id: users.member, role: "org:member" });
    clerk.control.putMembership({ organization_id: orgs.adopted, user_id: users.admin, role: "org:admin" });
  });

  const orgIds = () => sorted(clerk.control.organizations().map((o) => o.id));
  const line = (q: { method: string; path: string; query: Record<string, unknown> }) =>
    `${q.method} ${q.path}${Object.keys(q.query).length > 0 ? ` ${JSON.stringify(q.query)}` : ""}`;

  it("deletes the marked organizations of this instance, then the users, through exact requests; keeps the rest", async () => {
    const r = await run(["delete", "--yes", "--stack", STACK, "--include-v1-markers"]);
    expect(r.code).toBe(ExitCode.Ok);
    const out = r.stdout.trimEnd().split("\n");
    expect(out).toEqual([
      expect.stringMatching(ORG_HEADER),
      expect.stringMatching(new RegExp(`^${orgs.a}\\s+tenant-a\\s+app\\s+pr-12\\s+tenant-a\\s+created\\s+3d$`)),
      expect.stringMatching(new RegExp(`^${orgs.b}\\s+tenant-b\\s+app\\s+pr-12\\s+tenant-b\\s+created\\s+2d$`)),
      expect.stringMatching(USER_HEADER),
      expect.stringMatching(
        new RegExp(`^${users.admin}\\s+admin@example\\.com\\s+app\\s+pr-12\\s+admin\\s+created\\s+3d$`),
      ),
      expect.stringMatching(
        new RegExp(`^${users.member}\\s+member@example\\.com\\s+app\\s+pr-12\\s+member\\s+created\\s+2d$`),
      ),
      "kept 1 organization marked as adopted: they existed before pulumi-clerk took them over, and clerk-sweep never deletes them",
      "kept 1 organization with a v1 marker: pulumi-clerk never wrote a v1 marker on an organization, so clerk-sweep never deletes them",
      `kept 1 organization whose marker names another Clerk instance (${ELSEWHERE}; this key's is ${INSTANCE_ID}): ` +
        "they were copied here, not created here, and clerk-sweep never deletes them",
      `kept 1 user whose marker names another Clerk instance (${ELSEWHERE}; this key's is ${INSTANCE_ID}): ` +
        "they were copied here, not created here, and clerk-sweep never deletes them",
      "organizations: deleted 2, already gone 0, failed 0",
      "users: deleted 2, already gone 0, failed 0",
    ]);
    expect(r.stderr).toBe(
      "scanned 7 organizations: 5 carry the pulumi-clerk marker, 5 match the filters\n" +
        "scanned 295 users: 243 carry the pulumi-clerk marker, 3 match the filters\n",
    );
    expect(r.stdout + r.stderr).not.toContain(clerk.secretKey);

    // Exactly: one page of each list, one instance lookup, one DELETE per organization, then one per user
    // (every organization is settled before the first user DELETE goes out), all answered 200.
    const requests = clerk.control.requests();
    expect(requests.every((q) => q.status === 200)).toBe(true);
    const sent = requests.map(line);
    expect(sent.slice(0, 3)).toEqual([
      `GET /v1/organizations {"limit":"500","order_by":"+created_at"}`,
      `GET /v1/users {"limit":"500","order_by":"+created_at"}`,
      "GET /v1/instance",
    ]);
    expect(sorted(sent.slice(3, 5))).toEqual(sorted([orgs.a, orgs.b].map((id) => `DELETE /v1/organizations/${id}`)));
    expect(sorted(sent.slice(5))).toEqual(sorted([users.admin, users.member].map((id) => `DELETE /v1/users/${id}`)));

    // What Clerk holds now: every organization but the two, their memberships gone with them.
    expect(orgIds()).toEqual(sorted([orgs.unmarked, orgs.adopted, orgs.other, orgs.v1, orgs.malformed]));
    expect(clerk.control.memberships({ organizationId: orgs.b })).toEqual([]);
    expect(clerk.control.getUser(users.admin)).toBeUndefined();
    expect(clerk.control.getUser(users.member)).toBeUndefined();
    expect(clerk.control.getUser(users.other)).toBeDefined();
    expect(storeIds()).toEqual(sorted([...allIds(), users.other]));
  });

  it("list shows the organizations first, as a table and as JSON rows of kind organization; nothing is deleted", async () => {
    const table = await run(["list", "--stack", STACK]);
    expect(table.code).toBe(ExitCode.Ok);
    const lines = table.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(ORG_HEADER);
    expect(lines.slice(1, 6).map((l) => l.split(/\s+/)[0])).toEqual([
      orgs.adopted,
      orgs.other,
      orgs.v1,
      orgs.a,
      orgs.b,
    ]);
    expect(lines[6]).toMatch(USER_HEADER);
    expect(lines.slice(7).map((l) => l.split(/\s+/)[0])).toEqual([users.admin, users.member, users.other]);

    const json = await run(["list", "--json", "--stack", STACK, "--older-than", "2d"]);
    const rows = JSON.parse(json.stdout) as SweepRow[];
    expect(rows.map((x) => [x.kind, x.id, x.origin])).toEqual([
      ["organization", orgs.adopted, "adopted"],
      ["organization", orgs.other, "created"],
      ["organization", orgs.v1, "unknown"],
      ["organization", orgs.a, "created"],
      ["user", users.admin, "created"],
    ]);
    expect(rows[3]).toEqual({
      kind: "organization",
      id: orgs.a,
      slug: "tenant-a",
      project: "app",
      stack: STACK,
      name: "tenant-a",
      origin: "created",
      createdAt: new Date(now - 3 * DAY).toISOString(),
      ageMs: 3 * DAY,
    });
    expect(clerk.control.requests().filter((q) => q.method !== "GET")).toEqual([]);
    expect(orgIds()).toHaveLength(7);
  });

  it("--kind users never asks for organizations; --kind organizations never lists or deletes a user", async () => {
    const onlyUsers = await run(["delete", "--yes", "--kind", "users", "--stack", STACK]);
    expect(onlyUsers.code).toBe(ExitCode.Ok);
    expect(onlyUsers.stdout.trimEnd().split("\n").slice(-2)).toEqual([
      expect.stringMatching(/^kept 1 user whose marker names another Clerk instance/),
      "users: deleted 2, already gone 0, failed 0",
    ]);
    expect(clerk.control.count({ path: /^\/v1\/organizations/ })).toBe(0);
    expect(orgIds()).toHaveLength(7);

    clerk.control.clearRequests();
    const onlyOrgs = await run(["delete", "--yes", "--kind", "organizations", "--stack", STACK]);
    expect(onlyOrgs.code).toBe(ExitCode.Ok);
    expect(onlyOrgs.stdout.trimEnd().split("\n").pop()).toBe("organizations: deleted 2, already gone 0, failed 0");
    expect(onlyOrgs.stderr).toBe("scanned 7 organizations: 5 carry the pulumi-clerk marker, 5 match the filters\n");
    expect(clerk.control.count({ path: /^\/v1\/users/ })).toBe(0);
    expect(orgIds()).toEqual(sorted([orgs.unmarked, orgs.adopted, orgs.other, orgs.v1, orgs.malformed]));
  });

  it("--kind users,organizations is both; repeated --kind is a union", async () => {
    const r = await run(["delete", "--dry-run", "--kind", "users", "--kind", "organizations", "--stack", STACK]);
    expect(r.code).toBe(ExitCode.Ok);
    expect(r.stdout.trimEnd().split("\n").pop()).toBe(
      "dry run: would delete 2 organizations and 2 users; nothing was deleted",
    );
    expect(clerk.control.requests().filter((q) => q.method === "DELETE")).toEqual([]);
  });

  it("the same filters apply: --keep-stacks, --older-than and --only-missing-stacks protect organizations too", async () => {
    const kept = await run(["delete", "--yes", "--keep-stacks", `app/${STACK}`, "--stack", STACK]);
    expect(kept.stdout).toBe(
      "nothing to delete\norganizations: deleted 0, already gone 0, failed 0\nusers: deleted 0, already gone 0, failed 0\n",
    );
    const live = await run(["delete", "--yes", "--live-stacks", STACK, "--stack", STACK]);
    expect(live.stdout.trimEnd().split("\n")[0]).toBe("nothing to delete");
    const young = await run(["delete", "--yes", "--older-than", "50h", "--stack", STACK, "--kind", "organizations"]);
    expect(young.stdout.trimEnd().split("\n").pop()).toBe("organizations: deleted 1, already gone 0, failed 0");
    expect(clerk.control.getOrganization(orgs.a)).toBeUndefined();
    expect(clerk.control.getOrganization(orgs.b)).toBeDefined();
  });

  it("asks once for both kinds, and refuses in CI naming both counts", async () => {
    const ci = await run(["delete", "--stack", STACK], { env: (b) => ({ ...b, CI: "true" }), stdinTTY: true });
    expect(ci.code).toBe(ExitCode.Usage);
    expect(ci.stderr).toContain("clerk-sweep: refusing to delete 2 organizations and 2 users without --yes");
    const no = await run(["delete", "--stack", STACK], { stdinTTY: true, stdinText: "n\n" });
    expect(no.stderr).toContain(`Delete 2 organizations and 2 users from ${clerk.url}? [y/N] `);
    expect(clerk.control.requests().filter((q) => q.method === "DELETE")).toEqual([]);
    expect(orgIds()).toHaveLength(7);
  });

  it("an organization deleted by someone else while the prompt waits is already gone (404), as a user would be", async () => {
    const stdin = Object.assign(
      new Readable({
        read() {
          clerk.control.removeOrganization(orgs.a);
          this.push("y\n");
          this.push(null);
        },
      }),
      { isTTY: true },
    );
    const r = await run(["delete", "--stack", STACK, "--kind", "organizations"], { stdin });
    expect(r.code).toBe(ExitCode.Ok);
    expect(r.stdout.trimEnd().split("\n").pop()).toBe("organizations: deleted 1, already gone 1, failed 0");
    const deletes = clerk.control.requests().filter((q) => q.method === "DELETE");
    expect(sorted(deletes.map((q) => `${q.organizationId} ${q.status}`))).toEqual(
      sorted([`${orgs.a} 404`, `${orgs.b} 200`]),
    );
  });

  it("a failing organization delete is reported by kind and id; the users are still deleted after it", async () => {
    clerk.control.inject({
      match: { method: "DELETE", path: `/v1/organizations/${orgs.b}` },
      times: 1000,
      kind: "status",
      status: 403,
      code: "not_allowed",
    });
    const r = await run(["delete", "--yes", "--stack", STACK]);
    expect(r.code).toBe(ExitCode.Failed);
    const out = r.stdout.trimEnd().split("\n");
    expect(out.slice(-3)).toEqual([
      "organizations: deleted 1, already gone 0, failed 1",
      expect.stringMatching(
        new RegExp(
          `^failed organization ${orgs.b} \\(app/pr-12/tenant-b\\): Clerk 403 not_allowed: .+ \\(clerk_trace_id [0-9a-f]{32}\\)$`,
        ),
      ),
      "users: deleted 2, already gone 0, failed 0",
    ]);
    expect(clerk.control.getOrganization(orgs.b)).toBeDefined();
  });

  it("pages GET /organizations like GET /users (limit, offset, order_by +created_at)", async () => {
    const r = await run(["list", "--json", "--stack", STACK, "--page-size", "3", "--kind", "organizations"]);
    expect((JSON.parse(r.stdout) as unknown[]).length).toBe(5);
    expect(
      clerk.control
        .requests()
        .filter((q) => q.path === "/v1/organizations")
        .map((q) => q.query),
    ).toEqual([
      { limit: "3", order_by: "+created_at" },
      { limit: "3", offset: "3", order_by: "+created_at" },
      { limit: "3", offset: "6", order_by: "+created_at" },
    ]);
  });

  it("an instance with organizations turned off is swept for users, with one line saying so", async () => {
    clerk.control.setOrganizationSettings({ enabled: false });
    const r = await run(["delete", "--yes", "--stack", STACK]);
    expect(r.code).toBe(ExitCode.Ok);
    expect(r.stderr).toBe(
      "organizations are not enabled in this Clerk instance (organization_not_enabled_in_instance): none to sweep\n" +
        "scanned 295 users: 243 carry the pulumi-clerk marker, 3 match the filters\n",
    );
    expect(r.stdout.trimEnd().split("\n").slice(-2)).toEqual([
      "organizations: deleted 0, already gone 0, failed 0",
      "users: deleted 2, already gone 0, failed 0",
    ]);
    expect(orgIds()).toHaveLength(7);
  });

  it("a key of another instance (pinned with CLERK_INSTANCE_ID) or a failing instance lookup deletes nothing", async () => {
    const pinned = await run(["delete", "--yes", "--stack", STACK], {
      env: (b) => ({ ...b, CLERK_INSTANCE_ID: "ins_theRightOne" }),
    });
    expect(pinned.code).toBe(ExitCode.Usage);
    expect(pinned.stderr.trimEnd().split("\n").pop()).toBe(
      `clerk-sweep: the secret key belongs to Clerk instance ${INSTANCE_ID}, but clerk:instanceId pins ` +
        "ins_theRightOne: use that instance's secret key (and API URL), or change clerk:instanceId. Nothing was deleted.",
    );

    clerk.control.inject({ match: { method: "GET", path: "/v1/instance" }, times: 1000, kind: "status", status: 500 });
    const failing = await run(["delete", "--yes", "--stack", STACK], {
      env: (b) => ({ ...b, CLERK_RETRY_TIMEOUT_SECONDS: "1" }),
    });
    expect(failing.code).toBe(ExitCode.Failed);
    expect(failing.stderr).toMatch(
      /clerk-sweep: asking Clerk which instance the key belongs to at \S+ failed: Clerk 500 internal_clerk_error: .*Nothing was deleted\.\n$/,
    );
    expect(clerk.control.requests().filter((q) => q.method === "DELETE")).toEqual([]);
    expect(orgIds()).toHaveLength(7);
  }, 30_000);
});
