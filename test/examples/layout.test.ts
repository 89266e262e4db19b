/**
 * Every example is a complete Pulumi project a user can copy out of the repository: it depends on pulumi-clerk as a
 * package (the version this repository builds) and on `@pulumi/pulumi` with the peer range the package states, and
 * imports the package by name. Each example's own test installs it from the packed tarball, type-checks it with
 * its tsconfig.json and runs it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ownPackage, repoRoot } from "../../scripts/lib/installedProject";

const REPO = repoRoot();
const PROJECTS = ["seed-test-users", "ci-ephemeral", "service-user"];

test("the example projects are exactly the ones with a test here", () => {
  const dirs = fs
    .readdirSync(path.join(REPO, "examples"), { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(REPO, "examples", d.name, "Pulumi.yaml")))
    .map((d) => d.name)
    .sort();
  expect(dirs).toEqual([...PROJECTS].sort());
});

describe.each(PROJECTS)("examples/%s", (name) => {
  const dir = path.join(REPO, "examples", name);

  test("is a complete Pulumi project depending on pulumi-clerk as a package", () => {
    for (const f of ["Pulumi.yaml", "package.json", "tsconfig.json", "index.ts", "README.md"]) {
      expect(fs.existsSync(path.join(dir, f))).toBe(true);
    }
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    expect(pkg.dependencies["pulumi-clerk"]).toBe(`^${ownPackage().version}`);
    expect(pkg.dependencies["@pulumi/pulumi"]).toBe(ownPackage().peerDependencies["@pulumi/pulumi"]);
    const source = fs.readFileSync(path.join(dir, "index.ts"), "utf8");
    expect(source).toMatch(/from "pulumi-clerk"/);
    expect(source).not.toMatch(/\.\.\/src|\.\.\/\.\.\/src/);
  });
});
