/**
 * Argument handling of `clerk-sweep` that needs no Clerk: help, usage errors and their exit codes.
 * (Everything that talks to Clerk is in sweep.integration.test.ts.)
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { main } from "../../src/sweep/cli";
import { ExitCode } from "../../src/sweep/exitCodes";

async function run(
  args: string[],
  env: NodeJS.ProcessEnv = { CLERK_SECRET_KEY: "sk_test_x", CLERK_API_URL: "http://127.0.0.1:9" },
) {
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    stdout: { write: (s: string) => ((stdout += s), true) },
    stderr: { write: (s: string) => ((stderr += s), true) },
    stdin: Object.assign(Readable.from([]), { isTTY: false }),
    env,
    now: () => 0,
  });
  return { code, stdout, stderr };
}

describe("clerk-sweep arguments", () => {
  it("the source starts with a node shebang so the bin runs with npx", () => {
    expect(readFileSync(join(__dirname, "../../src/sweep/cli.ts"), "utf8").split("\n")[0]).toBe("#!/usr/bin/env node");
  });

  it("--help lists the commands and exits 0", async () => {
    const r = await run(["--help"]);
    expect(r.code).toBe(ExitCode.Ok);
    expect(r.stdout).toContain("Usage: clerk-sweep [options] [command]");
    expect(r.stdout).toMatch(/list \[options\]\s+print the managed organizations and users/);
    expect(r.stdout).toMatch(/delete \[options\]\s+delete the managed organizations, then users,/);
    expect(r.stdout).toContain("Exit status: 0 ok, 1 a deletion (or listing) failed, 2 usage/config error");
    // issue 10: every environment variable the sweeper reads is named
    for (const name of [
      "CLERK_SECRET_KEY",
      "CLERK_API_URL",
      "CLERK_MAX_REQUESTS_PER_10S",
      "CLERK_MAX_CONCURRENCY",
      "CLERK_REQUEST_TIMEOUT_SECONDS",
      "CLERK_RETRY_TIMEOUT_SECONDS",
    ]) {
      expect(r.stdout).toContain(name);
    }
    expect(r.stdout).toContain("Organizations and users whose marker says `adopted`");
    expect(r.stdout).toContain("whose marker names another Clerk instance, are never deleted");
    expect(r.stdout).toContain("Organizations are deleted before users.");
  });

  it("delete --help documents every flag", async () => {
    const r = await run(["delete", "--help"]);
    expect(r.code).toBe(ExitCode.Ok);
    for (const flag of [
      "--kind <kinds>",
      "--project <name>",
      "--stack <name>",
      "--older-than <duration>",
      "--keep-stacks <stacks>",
      "--only-missing-stacks",
      "--live-stacks <stacks>",
      "--api-url <url>",
      "--dry-run",
      "-y, --yes",
      "--include-v1-markers",
    ]) {
      expect(r.stdout).toContain(flag);
    }
    expect(r.stdout).not.toContain("--page-size");
    // issue 10: the default concurrency is shown
    expect(r.stdout).toMatch(
      /--concurrency <n>\s+deletions in flight at once \(the rate limit still\s+applies\) \(default: 8\)/,
    );
    expect(r.stdout).toMatch(/--project <name>\s+only objects whose marker names this Pulumi project;\s+repeatable/);
    expect(r.stdout).toMatch(
      /--kind <kinds>\s+what to sweep: organizations, users or both \(a,b;\s+repeatable; default: both\)/,
    );
  });

  it("--version prints the package version", async () => {
    const r = await run(["--version"]);
    expect(r.code).toBe(ExitCode.Ok);
    expect(r.stdout).toBe(`${(require("../../package.json") as { version: string }).version}\n`);
  });

  it.each([
    [[], "Usage: clerk-sweep"],
    [["purge"], "error: unknown command 'purge'"],
    [["list", "--force"], "error: unknown option '--force'"],
    [["list", "--json", "extra"], "error: too many arguments for 'list'"],
    [["delete", "--older-than"], "error: option '--older-than <duration>' argument missing"],
    [["delete", "--older-than", "-3d"], `"-3d" must be greater than zero`],
    [["delete", "--older-than", "12"], `"12" has no unit`],
    [["delete", "--keep-stacks", "a,/b"], '--keep-stacks: invalid stack name(s) "/b"'],
    [["delete", "--keep-stacks", ""], "--keep-stacks: empty value (an unset variable?)"],
    [["delete", "--keep-stacks", "prod,"], "--keep-stacks: empty item in the list (an unset variable?)"],
    [["list", "--project", ""], "--project: empty value (an unset variable?); name the project"],
    [["list", "--stack", "  "], "--stack: empty value (an unset variable?); name the stack"],
    [["delete", "--older-than", ""], "--older-than: empty duration"],
    [["delete", "--concurrency", "0"], "--concurrency must be an integer from 1 to 64"],
    [["list", "--kind", "groups"], '--kind: unknown kind "groups"; expected organizations, users, or both'],
    [["delete", "--kind", "users,orgs"], '--kind: unknown kind "orgs"'],
    [["delete", "--kind", ""], "--kind: empty value (an unset variable?)"],
    [["delete", "--kind", "users,"], "--kind: empty item in the list (an unset variable?)"],
    [["list", "--kind"], "error: option '--kind <kinds>' argument missing"],
  ])("%j is a usage error (exit 2)", async (args, message) => {
    const r = await run(args);
    expect(r.code).toBe(ExitCode.Usage);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe("");
  });

  it("list --help documents --kind and the JSON rows' kind", async () => {
    const r = await run(["list", "--help"]);
    expect(r.code).toBe(ExitCode.Ok);
    expect(r.stdout).toContain("--kind <kinds>");
    expect(r.stdout).toMatch(/\[\{kind, id,\s+primaryEmail \(users\) or slug \(organizations\)/);
  });

  it("a missing secret key is a usage error before any request", async () => {
    const r = await run(["delete", "--yes"], { CLERK_API_URL: "http://127.0.0.1:9" });
    expect(r.code).toBe(ExitCode.Usage);
    expect(r.stderr).toBe(
      "clerk-sweep: no Clerk secret key: set CLERK_SECRET_KEY to the instance's secret key (sk_test_… or sk_live_…), the same one the provider uses\n",
    );
  });

  it("a bad numeric setting is a usage error", async () => {
    const r = await run(["list"], { CLERK_SECRET_KEY: "sk_test_x", CLERK_MAX_REQUESTS_PER_10S: "lots" });
    expect(r.code).toBe(ExitCode.Usage);
    expect(r.stderr).toContain("CLERK_MAX_REQUESTS_PER_10S must be a positive number");
  });

  it("--live-stacks with a malformed name is a usage error", async () => {
    const r = await run(["delete", "--live-stacks", "a,b/"]);
    expect(r.code).toBe(ExitCode.Usage);
    expect(r.stderr).toBe('clerk-sweep: --live-stacks: invalid stack name(s) "b/"\n');
  });

  it('--live-stacks with an empty value is a usage error, never "no stack exists"', async () => {
    const r = await run(["delete", "--yes", "--live-stacks", ""]);
    expect(r.code).toBe(ExitCode.Usage);
    expect(r.stderr).toBe(
      "clerk-sweep: --live-stacks: empty value (an unset variable?); name at least one stack, e.g. --live-stacks prod\n",
    );
  });

  it("a key pasted into CLERK_API_URL or --api-url is a usage error that never prints it", async () => {
    const key = "sk_live_0123456789abcdefghijklmnopqrstuvwx";
    const fromEnv = await run(["list"], { CLERK_SECRET_KEY: "sk_test_x", CLERK_API_URL: key });
    expect(fromEnv.code).toBe(ExitCode.Usage);
    expect(fromEnv.stderr).toBe(
      "clerk-sweep: CLERK_API_URL must be an http(s) URL such as https://api.clerk.com, but it looks like a Clerk key, " +
        "not a URL (are the key and the URL settings swapped?); the value is not shown because it may be a secret\n",
    );
    const fromFlag = await run(["list", "--api-url", `https://${key}`]);
    expect(fromFlag.code).toBe(ExitCode.Usage);
    expect(fromFlag.stderr).toMatch(/^clerk-sweep: --api-url must be an http\(s\) URL/);
    for (const r of [fromEnv, fromFlag]) expect(r.stdout + r.stderr).not.toContain("0123456789abcdef");
  });

  it("control characters in a flag value are escaped in commander's error", async () => {
    const r = await run(["delete", "--older-than", "3\u001b[2J"]);
    expect(r.code).toBe(ExitCode.Usage);
    expect(r.stderr).toContain("argument '3\\e[2J' is invalid");
    expect(r.stderr).not.toContain("\u001b");
  });
});
