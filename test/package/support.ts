/**
 * Installed layout: pulumi-clerk's packed tarball (globalSetup.ts) installed with npm into a temporary project
 * outside the repository, its program run through the real provider host that the project's own
 * `@pulumi/pulumi` provides, against the local Clerk. Nothing in such a project resolves through the repository.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import {
  copyProject,
  installedVersion,
  npmInstall,
  ownPackage,
  repoRoot,
  tempProjectDir,
  typecheckProject,
} from "../../scripts/lib/installedProject";
import { startLocalStack, type LocalStack } from "../../scripts/lib/localStack";
import { moduleProgram, type ConfigValue } from "../harness";
import type { LocalClerk } from "../local-clerk";

export function tarball(): string {
  const file = process.env["PULUMI_CLERK_TARBALL"];
  if (!file || !fs.existsSync(file)) throw new Error("no packed tarball: run these tests through jest (globalSetup)");
  return file;
}

/** The `@pulumi/pulumi` to install: the repository's own, unless the compatibility run names another. */
export function pulumiVersion(): string {
  return process.env["PULUMI_CLERK_PULUMI_VERSION"] || installedVersion("@pulumi/pulumi");
}

/** Installs the tarball and the given `@pulumi/pulumi` (plus `extra`) into `dir`, with its package.json's deps. */
export function installPackage(dir: string, extra: string[] = []): void {
  npmInstall(dir, [tarball(), `@pulumi/pulumi@${pulumiVersion()}`, ...extra]);
  // The provider host will `require("pulumi-clerk/provider-runtime")` from here: it must be the installed copy.
  const runtime = require.resolve("pulumi-clerk/provider-runtime", { paths: [dir] });
  if (!runtime.startsWith(fs.realpathSync(dir))) throw new Error(`pulumi-clerk resolves outside ${dir}: ${runtime}`);
}

/** examples/<name> copied to a temporary directory, installed as its README says, and type-checked. */
export function installExample(name: string): string {
  const dir = tempProjectDir(name);
  copyProject(path.join(repoRoot(), "examples", name), dir);
  installPackage(dir);
  typecheckProject(dir);
  return dir;
}

/** The Pulumi project name of a project directory (its config namespace). */
export function projectName(dir: string): string {
  return (YAML.parse(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8")) as { name: string }).name;
}

/** A local stack over an installed project: host cwd and program SDK both from the project. */
export function startInstalled(
  dir: string,
  stack: string,
  config: Record<string, ConfigValue> = {},
  clerk?: LocalClerk,
): Promise<LocalStack> {
  return startLocalStack({
    project: projectName(dir),
    stack,
    projectDir: dir,
    pulumiFrom: dir,
    config,
    ...(clerk ? { clerk } : {}),
  });
}

/** The project's program (index.ts), evaluated afresh on every run. */
export function programOf(dir: string): () => Promise<unknown> {
  return moduleProgram(path.join(dir, "index.ts"));
}

/** Deletes a temporary project (never anything inside the repository). */
export function removeProject(dir: string | undefined): void {
  if (dir && !dir.startsWith(repoRoot())) fs.rmSync(dir, { recursive: true, force: true });
}

/** Dependency ranges the repository states once, for the projects these tests write. */
export const ranges = {
  clerkBackend: (): string => ownPackage().dependencies["@clerk/backend"]!,
  typescript: (): string => ownPackage().devDependencies["typescript"]!,
  typesNode: (): string => ownPackage().devDependencies["@types/node"]!,
};
