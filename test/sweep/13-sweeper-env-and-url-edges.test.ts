/**
 * Issue 13, scenario 7: the edges `13-sweeper-ownership-edges.test.ts` leaves out, through the CLI (`main(argv, io)`
 * in-process) against the local Clerk: every printed cell escapes carriage returns, bells, line separators and
 * bidi overrides (not only newlines and ANSI); `--api-url` ending in `/v1/` works without `/v1/v1`; a value that
 * may be a secret (an environment variable or `--api-url`) is refused without being printed; the remaining empty
 * filter values are usage errors before any request.
 */
import { ExitCode } from "../../src/sweep/exitCodes";
import { startLocalClerk, type LocalClerk } from "../local-clerk";
import { INSTANCE_ID, markerV2 } from "./fixtures";
import { DAY, putUser, runSweep } from "./sweepHarness";

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

const run = (args: string[], env: Record<string, string> = {}) =>
  runSweep(clerk, args, { now, env: (base) => ({ ...base, ...env }) });

it("carriage return, bell, line separator and bidi override print escaped in every cell", async () => {
  const id = putUser(clerk, now, "evil\r\u202e@example.com", DAY, markerV2("app", "ci\u0007-1", "n\u2028x"));
  const r = await run(["list"]);
  expect(r.code).toBe(ExitCode.Ok);
  expect(r.stdout.trimEnd().split("\n")).toEqual([
    expect.stringMatching(/^USER ID\s+PRIMARY EMAIL\s+PROJECT\s+STACK\s+NAME\s+ORIGIN\s+AGE$/),
    expect.stringMatching(
      new RegExp(`^${id}\\s+evil\\\\r\\\\u202e@example\\.com\\s+app\\s+ci\\\\x07-1\\s+n\\\\u2028x\\s+created\\s+1d$`),
    ),
  ]);
  expect(r.stdout + r.stderr).not.toMatch(/[\r\u0007\u2028\u202e]/);
});

it("--api-url ending in /v1/ lists through /v1/users, never /v1/v1", async () => {
  const id = putUser(clerk, now, "a@example.com", DAY, markerV2("app", "ci-1", "a"));
  const r = await run(["list", "--json", "--api-url", `${clerk.url}/v1/`]);
  expect(r.code).toBe(ExitCode.Ok);
  expect((JSON.parse(r.stdout) as { id: string }[]).map((x) => x.id)).toEqual([id]);
  expect(clerk.control.requests().map((q) => `${q.method} ${q.path} ${q.status}`)).toEqual([
    "GET /v1/organizations 200",
    "GET /v1/users 200",
  ]);
});

const NOT_SHOWN = "; the value is not shown because it may be a secret\n";

it.each([
  [
    "a URL with credentials in CLERK_API_URL",
    ["list"],
    { CLERK_API_URL: "https://admin:hunter2-secret@example.com" },
    "clerk-sweep: CLERK_API_URL must be an http(s) URL such as https://api.clerk.com, but it must not contain credentials" +
      NOT_SHOWN,
  ],
  [
    "something that is not a URL in CLERK_API_URL",
    ["list"],
    { CLERK_API_URL: "hunter2-secret" },
    "clerk-sweep: CLERK_API_URL must be an http(s) URL such as https://api.clerk.com, but it is not a URL" + NOT_SHOWN,
  ],
  [
    "a key pasted into --api-url",
    ["list", "--api-url", "sk_live_hunter2secret0123456789"],
    {},
    "clerk-sweep: --api-url must be an http(s) URL such as https://api.clerk.com, but it looks like a Clerk key, " +
      "not a URL (are the key and the URL settings swapped?)" +
      NOT_SHOWN,
  ],
  [
    "an empty --api-url (an unset variable)",
    ["list", "--api-url", ""],
    {},
    "clerk-sweep: --api-url must be an http(s) URL such as https://api.clerk.com, but it is empty" + NOT_SHOWN,
  ],
  [
    "a key pasted into CLERK_RETRY_TIMEOUT_SECONDS",
    ["list"],
    { CLERK_RETRY_TIMEOUT_SECONDS: "sk_live_hunter2secret0123456789" },
    "clerk-sweep: clerk:retryTimeoutSeconds / CLERK_RETRY_TIMEOUT_SECONDS must be a positive number\n",
  ],
])("%s is a usage error that does not print the value", async (_what, args, env, stderr) => {
  const r = await run(args, env);
  expect(r.code).toBe(ExitCode.Usage);
  expect(r.stdout).toBe("");
  expect(r.stderr).toBe(stderr);
  expect(r.stderr).not.toContain("hunter2");
  expect(r.stderr).not.toContain(clerk.secretKey);
  expect(clerk.control.requests()).toEqual([]);
});

it.each([
  [["--older-than", ""], "--older-than: empty duration"],
  [["--live-stacks", "  "], "--live-stacks: empty value (an unset variable?); name at least one stack"],
  [["--keep-stacks", ",prod"], "--keep-stacks: empty item in the list (an unset variable?)"],
])("%j is a usage error before any request", async (flags, message) => {
  putUser(clerk, now, "p@example.com", 9 * DAY, markerV2("app", "prod", "p"));
  const r = await run(["delete", "--yes", ...flags]);
  expect(r.code).toBe(ExitCode.Usage);
  expect(r.stdout).toBe("");
  expect(r.stderr).toContain(message);
  expect(clerk.control.requests()).toEqual([]);
  expect(clerk.control.users()).toHaveLength(1);
});
