/**
 * The GitHub Actions workflows in examples/github-workflows, as a user copies them into `.github/workflows/`. GitHub
 * is not here, so this checks what can be checked without it: the steps and their order, that pulumi-clerk comes
 * from the project's own install, that the test step masks every password before anything else runs (its script
 * runs under bash with a stand-in `pulumi`), and that the nightly preview uses the delete's filters.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import { repoRoot, tempProjectDir } from "../../scripts/lib/installedProject";
import { removeProject } from "../package/support";

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  "working-directory"?: string;
}
interface Workflow {
  env: Record<string, string>;
  jobs: Record<string, { steps: Step[] }>;
}

const DIR = path.join(repoRoot(), "examples", "github-workflows");
const read = (file: string): { text: string; wf: Workflow; steps: Step[] } => {
  const text = fs.readFileSync(path.join(DIR, file), "utf8");
  const wf = YAML.parse(text) as Workflow;
  return { text, wf, steps: Object.values(wf.jobs)[0]!.steps };
};
const index = (steps: Step[], pattern: RegExp): number => steps.findIndex((s) => pattern.test(s.run ?? ""));

describe.each(["pr-users.yml", "clerk-sweep.yml"])("%s", (file) => {
  test("installs pulumi-clerk as a package of the project in WORK_DIR, which its header says to set", () => {
    const { text, wf, steps } = read(file);
    expect(wf.env["WORK_DIR"]).toMatch(/^[\w./-]+$/);
    expect(text.split("\n---")[0]).toMatch(/^#[^\n]*\bWORK_DIR\b/m);
    expect(text).not.toMatch(/work-dir|file:\.\.\/\.\.|npm run build/);
    const install = steps[index(steps, /^npm ci$/)]!;
    expect(install["working-directory"]).toBe("${{ env.WORK_DIR }}");
    for (const s of steps.filter((x) => /\b(pulumi|clerk-sweep)\b/.test(x.run ?? ""))) {
      expect(s.run!.includes("$WORK_DIR") || s["working-directory"] === "${{ env.WORK_DIR }}").toBe(true);
    }
  });
});

describe("pr-users.yml", () => {
  const { steps } = read("pr-users.yml");

  test("runs pulumi up before the tests, and destroy --remove afterwards in an always() step", () => {
    const up = index(steps, /pulumi up --yes/);
    const tests = steps.findIndex((s) => s.name === "e2e tests");
    const teardown = index(steps, /pulumi destroy --yes --skip-preview --remove/);
    expect(up).toBeGreaterThan(index(steps, /^npm ci$/));
    expect(tests).toBeGreaterThan(up);
    expect(teardown).toBeGreaterThan(tests);
    expect(steps[teardown]!.if).toBe("always()");
  });

  test("the test step masks every password before anything else can print it", () => {
    const dir = tempProjectDir("workflow");
    try {
      fs.mkdirSync(path.join(dir, "bin"));
      fs.mkdirSync(path.join(dir, "project"));
      const passwords = { admin: "s3cret-admin", member: "s3cret with spaces", viewer: null };
      // A stand-in for `pulumi stack output passwords --show-secrets --json`.
      fs.writeFileSync(path.join(dir, "bin", "pulumi"), `#!/bin/sh\necho '${JSON.stringify(passwords)}'\n`, {
        mode: 0o755,
      });
      const step = steps.find((s) => s.name === "e2e tests")!;
      const r = spawnSync("bash", ["-e", "-o", "pipefail", "-c", step.run!], {
        cwd: dir,
        encoding: "utf8",
        env: { ...process.env, PATH: `${path.join(dir, "bin")}:${process.env["PATH"]}`, WORK_DIR: "project" },
      });
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      const lines = r.stdout.trimEnd().split("\n");
      expect(lines.slice(0, 2).sort()).toEqual(["::add-mask::s3cret with spaces", "::add-mask::s3cret-admin"]);
      expect(lines.slice(2).join("\n")).not.toMatch(/s3cret/);
    } finally {
      removeProject(dir);
    }
  });
});

describe("clerk-sweep.yml", () => {
  const { wf, steps } = read("clerk-sweep.yml");

  test("the preview lists with exactly the filters the delete step deletes with", () => {
    const preview = steps[index(steps, /clerk-sweep list/)]!;
    const del = steps[index(steps, /clerk-sweep delete/)]!;
    expect(preview.run).toBe("npx clerk-sweep list $SWEEP_FILTERS");
    expect(del.run).toBe("npx clerk-sweep delete $SWEEP_FILTERS --yes");
    expect(steps.indexOf(preview)).toBeLessThan(steps.indexOf(del));
    expect(wf.env["SWEEP_FILTERS"]).toContain("--only-missing-stacks");
    // --only-missing-stacks asks the Pulumi CLI: both steps see the token and come after the CLI's install.
    expect(wf.env["PULUMI_ACCESS_TOKEN"]).toBe("${{ secrets.PULUMI_ACCESS_TOKEN }}");
    expect(steps.findIndex((s) => s.uses?.startsWith("pulumi/actions@"))).toBeLessThan(steps.indexOf(preview));
  });
});
