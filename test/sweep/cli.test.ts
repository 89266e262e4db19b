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
    expect(r.stdout).toMatch(/list \[options\]\s+print the managed users/);
    expect(r.stdout).toMatch(/delete \[options\]\s+delete the managed users/);
    expect(r.stdout).toContain("Exit status: 0 ok, 1 a deletion (or listing) failed, 2 usage/config error");
  });

  it("delete --help documents every flag", async () => {
    const r = await run(["delete", "--help"]);
    expect(r.code).toBe(ExitCode.Ok);
    for (const flag of [
      "--project <name>",
      "--stack <name>",
      "--older-than <duration>",
      "--keep-stacks <stacks>",
      "--only-missing-stacks",
      "--live-stacks <stacks>",
      "--api-url <url>",
      "--dry-run",
      "-y, --yes",
    ]) {
      expect(r.stdout).toContain(flag);
    }
    expect(r.stdout).not.toContain("--page-size");
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
    [["delete", "--keep-stacks", "a,/b"], "invalid stack name(s): /b"],
    [["delete", "--concurrency", "0"], "--concurrency must be an integer from 1 to 64"],
  ])("%j is a usage error (exit 2)", async (args, message) => {
    const r = await run(args);
    expect(r.code).toBe(ExitCode.Usage);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe("");
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
});
