/**
 * Issue 13, through the CLI (`main(argv, io)` in-process) against the local Clerk on a real port:
 * - scenario 3: users whose marker says `adopted` are never deleted, whatever the filters say, and the run says
 *   how many it kept; v1 markers (which cannot tell) are kept unless --include-v1-markers;
 * - scenario 7: escaped cells (no forged rows, no ANSI), blank marker fields, empty filter values, repeated
 *   --stack/--project, a waiting line and a final error naming the URL and the cause (refused, DNS, TLS, reserved
 *   port), and a key pasted into CLERK_API_URL never printed.
 *
 * Does not prove: the provider writes `adopted` markers (the lead's host tests); real DNS or certificate failures
 * on other machines (DNS is exercised with the reserved `.invalid` TLD, TLS with https to a plain-HTTP port).
 */
import { createServer, type AddressInfo } from "node:net";
import { ExitCode } from "../../src/sweep/exitCodes";
import type { SweepRow } from "../../src/sweep/sweepRow";
import { startLocalClerk, type LocalClerk } from "../local-clerk";
import { INSTANCE_ID, marker, markerV2 } from "./fixtures";
import { DAY, HOUR, putUser, runSweep, sorted, type RunResult } from "./sweepHarness";

let clerk: LocalClerk;
let now: number;

beforeAll(async () => {
  clerk = await startLocalClerk({ instanceId: INSTANCE_ID });
});
afterAll(() => clerk.close());
beforeEach(() => {
  clerk.control.reset();
  now = Date.now();
});

const run = (args: string[], env: Record<string, string | undefined> = {}) =>
  runSweep(clerk, args, { now, env: (base) => ({ ...base, ...env }) });
const lines = (text: string): string[] => text.trimEnd().split("\n");
const deleted = (): string[] =>
  sorted(
    clerk.control
      .requests()
      .filter((q) => q.method === "DELETE")
      .map((q) => q.userId!),
  );
const storeIds = (): string[] => sorted(clerk.control.users().map((u) => u.id));

/** The secret key never appears in anything the sweeper prints. */
function expectNoKey(r: RunResult, key = clerk.secretKey): void {
  expect(r.stdout + r.stderr).not.toContain(key);
}

const ADOPTED_NOTE =
  "kept 1 user marked as adopted: they existed before pulumi-clerk took them over, and clerk-sweep never deletes them";
const V1_NOTE =
  "kept 1 user with a v1 marker: it cannot tell a created user from an adopted one; " +
  "re-run with --include-v1-markers to delete them too";

describe("scenario 3: adopted users are kept", () => {
  let created: string;
  let adopted: string;
  let legacy: string;
  let handMade: string;
  beforeEach(() => {
    created = putUser(clerk, now, "ci-tmp@example.com", 2 * DAY, markerV2("app", "ci-1", "tmp"));
    // a 400-day-old hand-made user, adopted with retainOnDelete; its stack is destroyed, the marker stays
    adopted = putUser(clerk, now, "shared-admin@example.com", 400 * DAY, markerV2("app", "qa", "shared-admin", true));
    legacy = putUser(clerk, now, "legacy@example.com", 3 * DAY, marker("app", "ci-2", "legacy"));
    handMade = putUser(clerk, now, "human@example.com", 500 * DAY, { note: "made by hand" });
  });

  it("the README's nightly sweep deletes the created user only and says what it kept and why", async () => {
    const r = await run(["delete", "--yes", "--older-than", "1d", "--only-missing-stacks", "--live-stacks", "prod"]);
    expect(r.code).toBe(ExitCode.Ok);
    expect(lines(r.stdout)).toEqual([
      expect.stringMatching(/^USER ID\s+PRIMARY EMAIL\s+PROJECT\s+STACK\s+NAME\s+ORIGIN\s+AGE$/),
      expect.stringMatching(new RegExp(`^${created}\\s+ci-tmp@example\\.com\\s+app\\s+ci-1\\s+tmp\\s+created\\s+2d$`)),
      ADOPTED_NOTE,
      V1_NOTE,
      "organizations: deleted 0, already gone 0, failed 0",
      "users: deleted 1, already gone 0, failed 0",
    ]);
    expect(deleted()).toEqual([created]);
    expect(storeIds()).toEqual(sorted([adopted, legacy, handMade]));
    expectNoKey(r);
  });

  it("filters naming exactly the adopted user still delete nothing", async () => {
    const r = await run(["delete", "--yes", "--project", "app", "--stack", "qa", "--older-than", "1d"]);
    expect(r.code).toBe(ExitCode.Ok);
    expect(r.stdout).toBe(
      `nothing to delete\n${ADOPTED_NOTE}\norganizations: deleted 0, already gone 0, failed 0\nusers: deleted 0, already gone 0, failed 0\n`,
    );
    expect(deleted()).toEqual([]);
    expect(clerk.control.getUser(adopted)).toBeDefined();
  });

  it("--include-v1-markers also deletes the v1-marked user, never the adopted one", async () => {
    const r = await run(["delete", "--yes", "--include-v1-markers"]);
    expect(r.code).toBe(ExitCode.Ok);
    expect(lines(r.stdout).slice(-3)).toEqual([
      ADOPTED_NOTE,
      "organizations: deleted 0, already gone 0, failed 0",
      "users: deleted 2, already gone 0, failed 0",
    ]);
    expect(deleted()).toEqual(sorted([created, legacy]));
    expect(storeIds()).toEqual(sorted([adopted, handMade]));
  });

  it("--dry-run shows the same plan and deletes nothing", async () => {
    const r = await run(["delete", "--dry-run"]);
    expect(r.code).toBe(ExitCode.Ok);
    expect(lines(r.stdout).slice(-3)).toEqual([
      ADOPTED_NOTE,
      V1_NOTE,
      "dry run: would delete 1 user; nothing was deleted",
    ]);
    expect(deleted()).toEqual([]);
  });

  it("list shows every marked user with its origin", async () => {
    const r = await run(["list", "--json"]);
    expect(r.code).toBe(ExitCode.Ok);
    const rows = JSON.parse(r.stdout) as SweepRow[];
    expect(rows.map((x) => [x.id, x.origin])).toEqual([
      [adopted, "adopted"],
      [legacy, "unknown"],
      [created, "created"],
    ]);
    expect(r.stderr).toBe(
      "scanned 0 organizations: 0 carry the pulumi-clerk marker, 0 match the filters\nscanned 4 users: 3 carry the pulumi-clerk marker, 3 match the filters\n",
    );
  });
});

describe("scenario 7: sweeper edges", () => {
  it("a newline in a marker's name cannot forge a row; ANSI escapes are printed escaped", async () => {
    const id = putUser(
      clerk,
      now,
      "evil@example.com",
      HOUR,
      markerV2("app\u001b[31m", "ci-1", "x\nuser_FORGED  victim@example.com  app  prod  admin  created  9d"),
    );
    const r = await run(["list"]);
    expect(r.code).toBe(ExitCode.Ok);
    expect(lines(r.stdout)).toHaveLength(2);
    expect(lines(r.stdout)[1]).toMatch(
      new RegExp(
        `^${id}\\s+evil@example\\.com\\s+app\\\\e\\[31m\\s+ci-1\\s+` +
          "x\\\\nuser_FORGED  victim@example\\.com  app  prod  admin  created  9d\\s+created\\s+1h$",
      ),
    );
    expect(r.stdout + r.stderr).not.toMatch(/\u001b/);
    // JSON keeps the exact values (JSON.stringify escapes control characters itself)
    const json = await run(["list", "--json"]);
    expect((JSON.parse(json.stdout) as SweepRow[])[0]!.project).toBe("app\u001b[31m");
    expect(json.stdout).not.toMatch(/\u001b/);
  });

  it("a marker whose project, stack or name is blank is not a marker: never listed, never deleted", async () => {
    const blankStack = putUser(clerk, now, "b1@example.com", 9 * DAY, marker("app", "   ", "n"));
    const blankName = putUser(clerk, now, "b2@example.com", 9 * DAY, markerV2("app", "ci-1", "\t"));
    const list = await run(["list"]);
    expect(list.stdout).toBe("no organizations or users carrying the pulumi-clerk marker match the filters\n");
    expect(list.stderr).toBe(
      "scanned 0 organizations: 0 carry the pulumi-clerk marker, 0 match the filters\nscanned 2 users: 0 carry the pulumi-clerk marker, 0 match the filters\n",
    );
    const del = await run(["delete", "--yes", "--include-v1-markers"]);
    expect(del.stdout).toBe(
      "nothing to delete\norganizations: deleted 0, already gone 0, failed 0\nusers: deleted 0, already gone 0, failed 0\n",
    );
    expect(storeIds()).toEqual(sorted([blankStack, blankName]));
  });

  it.each([
    [["--keep-stacks", ""], "--keep-stacks: empty value (an unset variable?); name at least one stack"],
    [["--keep-stacks", "prod,"], "--keep-stacks: empty item in the list (an unset variable?)"],
    [["--live-stacks", ""], "--live-stacks: empty value (an unset variable?); name at least one stack"],
    [["--stack", ""], "--stack: empty value (an unset variable?); name the stack"],
    [["--project", " "], "--project: empty value (an unset variable?); name the project"],
  ])("%j is a usage error before any request", async (flags, message) => {
    putUser(clerk, now, "p@example.com", 9 * DAY, markerV2("app", "prod", "p"));
    const r = await run(["delete", "--yes", ...flags]);
    expect(r.code).toBe(ExitCode.Usage);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe("");
    expect(clerk.control.requests()).toEqual([]);
    expect(clerk.control.users()).toHaveLength(1);
  });

  it("repeated --stack and --project are a union", async () => {
    const u = (p: string, s: string) => putUser(clerk, now, `${p}-${s}@example.com`, DAY, markerV2(p, s, "n"));
    const a1 = u("app", "ci-1");
    const a2 = u("app", "ci-2");
    u("app", "prod");
    const b1 = u("billing", "ci-1");
    u("search", "ci-1");
    const r = await run([
      "delete",
      "--yes",
      "--stack",
      "ci-1",
      "--stack",
      "ci-2",
      "--project",
      "app",
      "--project",
      "billing",
    ]);
    expect(r.code).toBe(ExitCode.Ok);
    expect(lines(r.stdout).pop()).toBe("users: deleted 3, already gone 0, failed 0");
    expect(deleted()).toEqual(sorted([a1, a2, b1]));
  });

  it("a key pasted into CLERK_API_URL is refused without being printed", async () => {
    const key = "sk_live_pastedIntoTheUrlSetting0123456789";
    const r = await run(["list"], { CLERK_API_URL: key });
    expect(r.code).toBe(ExitCode.Usage);
    expect(r.stderr).toBe(
      "clerk-sweep: CLERK_API_URL must be an http(s) URL such as https://api.clerk.com, but it looks like a Clerk key, " +
        "not a URL (are the key and the URL settings swapped?); the value is not shown because it may be a secret\n",
    );
    expectNoKey(r, key);
    expectNoKey(r);
    expect(clerk.control.requests()).toEqual([]);
  });
});

describe("scenario 7: an unreachable Clerk names the URL and the cause, early and at the end", () => {
  const quick = { CLERK_RETRY_TIMEOUT_SECONDS: "2" };
  const waiting = (url: string, cause: string) =>
    `clerk-sweep: Clerk at ${url} could not be reached: ${cause}; still retrying, for up to 2 s (CLERK_RETRY_TIMEOUT_SECONDS)`;
  const finalLine = (url: string, cause: string) =>
    new RegExp(
      `^clerk-sweep: listing organizations failed: Clerk at ${escapeRe(url)} could not be reached: ${escapeRe(cause)}: ` +
        "gave up after \\d+ attempts \\(retry budget exhausted\\)\\. Nothing was deleted\\.$",
    );

  async function closedPort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((r) => server.close(() => r()));
    return port;
  }

  it("connection refused", async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const r = await run(["list"], { ...quick, CLERK_API_URL: `${url}/v1/` });
    expect(r.code).toBe(ExitCode.Failed);
    expect(r.stdout).toBe("");
    const err = lines(r.stderr);
    expect(err).toHaveLength(2);
    expect(err[0]).toBe(waiting(url, "connection refused (ECONNREFUSED)"));
    expect(err[1]).toMatch(finalLine(url, "connection refused (ECONNREFUSED)"));
    expectNoKey(r);
  });

  it("the issue's http://127.0.0.1:9: a port fetch refuses to use", async () => {
    const url = "http://127.0.0.1:9";
    const r = await run(["list"], { ...quick, CLERK_API_URL: url });
    expect(r.code).toBe(ExitCode.Failed);
    const cause = "the port is one fetch refuses to use (a reserved port such as 9); use another";
    expect(lines(r.stderr)[0]).toBe(waiting(url, cause));
    expect(lines(r.stderr)[1]).toMatch(finalLine(url, cause));
  });

  it("DNS: a host that does not resolve", async () => {
    const url = "http://pulumi-clerk-sweep.invalid";
    const r = await run(["list"], { ...quick, CLERK_API_URL: url });
    expect(r.code).toBe(ExitCode.Failed);
    const [first, last] = lines(r.stderr);
    const cause = /DNS lookup failed: (host not found \(ENOTFOUND\)|temporary failure \(EAI_AGAIN\))/.exec(first!)?.[0];
    expect(cause).toBeDefined();
    expect(first).toBe(waiting(url, cause!));
    expect(last).toMatch(finalLine(url, cause!));
  });

  it("TLS: https to a plain-HTTP port", async () => {
    const url = clerk.url.replace("http://", "https://");
    const r = await run(["list"], { ...quick, CLERK_API_URL: url });
    expect(r.code).toBe(ExitCode.Failed);
    const [first, last] = lines(r.stderr);
    const cause = /TLS handshake failed \(ERR_SSL_[A-Z_]+\)/.exec(first!)?.[0];
    expect(cause).toBeDefined();
    expect(first).toBe(waiting(url, cause!));
    expect(last).toMatch(finalLine(url, cause!));
    expect(clerk.control.requests()).toEqual([]);
  });

  it("the waiting line comes at the first retry, not at the end: a transient failure prints it and the run succeeds", async () => {
    const id = putUser(clerk, now, "t@example.com", DAY, markerV2("app", "ci-1", "t"));
    clerk.control.inject({ match: { method: "GET", path: "/v1/users" }, times: 2, kind: "reset" });
    const r = await run(["list", "--json"], quick);
    expect(r.code).toBe(ExitCode.Ok);
    expect((JSON.parse(r.stdout) as SweepRow[]).map((x) => x.id)).toEqual([id]);
    expect(lines(r.stderr)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^clerk-sweep: a request to Clerk at ${escapeRe(clerk.url)} failed \\((fetch failed|no response|other side closed|terminated)\\) ` +
            "although the host answers; still retrying, for up to 2 s \\(CLERK_RETRY_TIMEOUT_SECONDS\\)$",
        ),
      ),
      "scanned 0 organizations: 0 carry the pulumi-clerk marker, 0 match the filters",
      "scanned 1 users: 1 carry the pulumi-clerk marker, 1 match the filters",
    ]);
    // the listing took three attempts; the probe is one credential-free HEAD / (the local Clerk answers 401)
    expect(sorted(clerk.control.requests().map((q) => `${q.method} ${q.path} ${q.fault ?? q.status}`))).toEqual([
      "GET /v1/organizations 200",
      "GET /v1/users 200",
      "GET /v1/users reset",
      "GET /v1/users reset",
      "HEAD / 401",
    ]);
    const probe = clerk.control.requests().find((q) => q.method === "HEAD")!;
    expect(probe.headers["authorization"]).toBeUndefined();
  });
});

function escapeRe(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
