/**
 * The README's minimal program, as a new user runs it: a fresh project outside the repository, the packed tarball
 * installed with `@pulumi/pulumi` and `@clerk/backend` through npm, type-checked against the installed
 * declarations, then `up` and `destroy` through the real provider host against the local Clerk.
 *
 * Not proven: the Pulumi CLI and its engine (the harness's engine-shaped driver stands in; see test/optin).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { repoRoot, tempProjectDir, typecheckProject } from "../../scripts/lib/installedProject";
import type { LocalStack } from "../../scripts/lib/localStack";
import { emails } from "../examples/helpers";
import { installPackage, programOf, ranges, removeProject, startInstalled } from "./support";

jest.setTimeout(300_000);

/** The fenced TypeScript between the README's `readme-program` markers. */
export function readmeProgram(): string {
  const readme = fs.readFileSync(path.join(repoRoot(), "README.md"), "utf8");
  const m = /<!-- readme-program:start -->\s*```ts\n([\s\S]*?)```\s*<!-- readme-program:end -->/.exec(readme);
  if (!m) throw new Error("README.md has no ```ts block between <!-- readme-program:start/end --> markers");
  return m[1]!;
}

let dir: string | undefined;
let stack: LocalStack | undefined;
afterAll(async () => {
  await stack?.close();
  removeProject(dir);
});

it("installs from the tarball into a fresh project, type-checks, and runs up and destroy through the host", async () => {
  dir = tempProjectDir("readme");
  const project = "readme-program";
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${project}\nruntime: nodejs\n`);
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: project, private: true, main: "index.ts" }));
  fs.copyFileSync(path.join(repoRoot(), "examples", "service-user", "tsconfig.json"), path.join(dir, "tsconfig.json"));
  fs.writeFileSync(path.join(dir, "index.ts"), readmeProgram());
  installPackage(dir, [
    `@clerk/backend@${ranges.clerkBackend()}`,
    `typescript@${ranges.typescript()}`,
    `@types/node@${ranges.typesNode()}`,
  ]);
  typecheckProject(dir);

  stack = await startInstalled(dir, "dev", { [`${project}:qaAdminPassword`]: { secret: "correct-horse-battery" } });
  const up = await stack.engine.up(programOf(dir));
  expect(up).toMatchObject({ created: 4, failures: [] });
  const users = stack.clerk.control.users();
  expect(users.map((u) => emails(u)).sort()).toEqual([["qa-admin@example.com"], ["qa-viewer@example.com"]]);
  expect(users.find((u) => emails(u)[0] === "qa-admin@example.com")!.password).toBe("correct-horse-battery");
  const viewer = stack.engine.state().find((e) => e.name === "qa-viewer")!;
  expect(viewer.secretOutputs).toContain("generatedPassword");

  const [tenant] = stack.clerk.control.organizations();
  expect(tenant).toMatchObject({ name: "Tenant A" });
  const admin = users.find((u) => emails(u)[0] === "qa-admin@example.com")!;
  expect(stack.clerk.control.memberships({ organizationId: tenant!.id }).map((m) => [m.user_id, m.role])).toEqual([
    [admin.id, "org:admin"],
  ]);

  expect(await stack.engine.up(programOf(dir))).toMatchObject({ created: 0, updated: 0, unchanged: 4 });
  // The membership is deleted with its organization (deletedWith): no membership DELETE reaches Clerk.
  expect(await stack.engine.destroy()).toMatchObject({ deleted: 4, deletedWith: 1, failures: [] });
  expect(stack.clerk.control.users()).toEqual([]);
  expect(stack.clerk.control.organizations()).toEqual([]);
});
