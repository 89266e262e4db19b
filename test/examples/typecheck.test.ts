/**
 * Every example typechecks as a user's project would: `import ... from "pulumi-clerk"` resolves through
 * node_modules/pulumi-clerk (the repository's self-link) to the built declarations (dist/src/index.d.ts), so this
 * needs `npm run build` first (`npm test` does it).
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const REPO = path.resolve(__dirname, "..", "..");
const EXAMPLES = ["seed-test-users", "ci-ephemeral", "service-user"];
const TSC = path.join(REPO, "node_modules", "typescript", "bin", "tsc");

test("the examples are exactly the ones tested here", () => {
  const dirs = fs
    .readdirSync(path.join(REPO, "examples"), { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(REPO, "examples", d.name, "Pulumi.yaml")))
    .map((d) => d.name)
    .sort();
  expect(dirs).toEqual([...EXAMPLES].sort());
});

describe.each(EXAMPLES)("examples/%s", (name) => {
  const dir = path.join(REPO, "examples", name);

  test("is a complete Pulumi project depending on the built package", () => {
    for (const f of ["Pulumi.yaml", "package.json", "tsconfig.json", "index.ts", "README.md"]) {
      expect(fs.existsSync(path.join(dir, f))).toBe(true);
    }
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    expect(pkg.dependencies["pulumi-clerk"]).toBe("file:../..");
    expect(pkg.dependencies["@pulumi/pulumi"]).toMatch(/^\^3\./);
    const source = fs.readFileSync(path.join(dir, "index.ts"), "utf8");
    expect(source).toMatch(/from "pulumi-clerk"/);
    expect(source).not.toMatch(/\.\.\/src|\.\.\/\.\.\/src/);
  });

  test("typechecks (tsc --noEmit against dist/src/index.d.ts)", () => {
    expect(fs.existsSync(path.join(REPO, "dist", "src", "index.d.ts"))).toBe(true);
    try {
      execFileSync(process.execPath, [TSC, "-p", path.join(dir, "tsconfig.json"), "--noEmit"], {
        cwd: REPO,
        encoding: "utf8",
        stdio: "pipe",
      });
    } catch (e) {
      const err = e as { stdout?: string; stderr?: string };
      throw new Error(`tsc failed for examples/${name}:\n${err.stdout ?? ""}${err.stderr ?? ""}`);
    }
  });
});

test("the ci-ephemeral workflow runs up, then destroy --remove in an always() teardown", () => {
  const wf = fs.readFileSync(
    path.join(REPO, "examples", "ci-ephemeral", ".github", "workflows", "pr-users.yml"),
    "utf8",
  );
  const up = wf.indexOf("pulumi up --yes");
  const teardown = wf.indexOf("if: always()");
  const destroy = wf.indexOf("pulumi destroy --yes --skip-preview --remove");
  expect(up).toBeGreaterThan(0);
  expect(teardown).toBeGreaterThan(up);
  expect(destroy).toBeGreaterThan(teardown);
});
