import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findOnPath, parsePulumiStackLs, resolveLiveStacks } from "../../src/sweep/liveStacks";
import { SweepUsageError } from "../../src/sweep/SweepUsageError";

function fakePulumi(script: string): string {
  const dir = mkdtempSync(join(tmpdir(), "fake-pulumi-"));
  const file = join(dir, "pulumi");
  writeFileSync(file, `#!/bin/sh\n${script}\n`);
  chmodSync(file, 0o755);
  return dir;
}

describe("parsePulumiStackLs", () => {
  it("reads only fully qualified names as project/stack; org/stack and stack protect the stack everywhere", () => {
    expect(
      parsePulumiStackLs(
        JSON.stringify([
          { name: "acme/app/dev", current: true },
          { name: "acme/staging" },
          { name: "prod*" },
          { name: "" },
          { nope: 1 },
          null,
        ]),
      ),
    ).toEqual([{ project: "app", stack: "dev" }, { stack: "staging" }, { stack: "prod" }]);
  });

  it("rejects output that is not a JSON array", () => {
    expect(() => parsePulumiStackLs("error: not logged in")).toThrow(
      "`pulumi stack ls --json --all` did not print JSON",
    );
    expect(() => parsePulumiStackLs("{}")).toThrow("did not print a JSON array");
  });
});

describe("resolveLiveStacks", () => {
  it("prefers --live-stacks and never runs pulumi then", async () => {
    const runPulumi = jest.fn();
    await expect(resolveLiveStacks({ flag: "a,app/b", env: {}, runPulumi })).resolves.toEqual({
      refs: [{ stack: "a" }, { project: "app", stack: "b" }],
      source: "--live-stacks",
    });
    // an empty value is what an unset variable gives: refused, never "no stack exists" (that would sweep them all)
    await expect(resolveLiveStacks({ flag: "", env: {}, runPulumi })).rejects.toThrow(
      "--live-stacks: empty value (an unset variable?); name at least one stack, e.g. --live-stacks prod",
    );
    expect(runPulumi).not.toHaveBeenCalled();
  });

  it("runs `pulumi stack ls --json --all` from PATH", async () => {
    const dir = fakePulumi(`echo "$PULUMI_SKIP_UPDATE_CHECK $*" >&2; echo '[{"name":"o/p/s"}]'`);
    expect(findOnPath("pulumi", { PATH: `/nonexistent:${dir}` })).toBe(join(dir, "pulumi"));
    await expect(resolveLiveStacks({ env: { PATH: dir } })).resolves.toEqual({
      refs: [{ project: "p", stack: "s" }],
      source: "pulumi stack ls",
    });
  });

  it("explains a failing pulumi with the tail of its stderr", async () => {
    const dir = fakePulumi(
      `echo "error: PULUMI_ACCESS_TOKEN must be set for login during non-interactive CLI sessions" >&2; exit 255`,
    );
    await expect(resolveLiveStacks({ env: { PATH: dir } })).rejects.toThrow(
      "`pulumi stack ls --json --all` failed: error: PULUMI_ACCESS_TOKEN must be set for login during non-interactive CLI sessions; log in to the backend or pass --live-stacks",
    );
  });

  it("refuses an empty stack list from pulumi (a wrong backend would make every stack look missing)", async () => {
    const err = await resolveLiveStacks({ env: {}, runPulumi: async () => "[]" }).catch((e: unknown) => e);
    expect(SweepUsageError.isInstance(err)).toBe(true);
    expect((err as Error).message).toMatch(
      /^`pulumi stack ls --json --all` listed no stacks; refusing to treat every stack as missing/,
    );
  });

  it("without pulumi on PATH and without --live-stacks it is a usage error", async () => {
    await expect(resolveLiveStacks({ env: { PATH: "/nonexistent" } })).rejects.toThrow(
      /^--only-missing-stacks needs the list of live stacks: install the pulumi CLI/,
    );
  });
});
