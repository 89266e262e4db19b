/**
 * pulumi-clerk as a user gets it: the packed tarball (`npm pack`) installed with npm into a fresh project outside
 * the repository. Used by the installed-layout tests (test/installed) and the compatibility run (scripts/compat).
 * Installs go through the npm cache (`--prefer-offline`), so a warm cache makes them a matter of seconds.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** The repository root: the nearest directory upwards whose package.json is pulumi-clerk's. */
export function repoRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, "package.json");
    if (fs.existsSync(pkg) && (JSON.parse(fs.readFileSync(pkg, "utf8")) as { name?: string }).name === "pulumi-clerk")
      return dir;
    if (path.dirname(dir) === dir) throw new Error(`no pulumi-clerk package.json above ${from}`);
  }
}

/** The repository's package.json. */
export function ownPackage(): {
  name: string;
  version: string;
  engines: { node: string };
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  dependencies: Record<string, string>;
  files: string[];
} {
  return JSON.parse(fs.readFileSync(path.join(repoRoot(), "package.json"), "utf8")) as ReturnType<typeof ownPackage>;
}

/** The installed version of a package, as the repository resolves it. */
export function installedVersion(name: string, from: string = repoRoot()): string {
  const file = require.resolve(`${name}/package.json`, { paths: [from] });
  return (JSON.parse(fs.readFileSync(file, "utf8")) as { version: string }).version;
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  const r = spawnSync(cmd, args, { cwd, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) {
    const out = `${r.stdout ?? ""}${r.stderr ?? ""}`.trim().split("\n").slice(-30).join("\n");
    throw new Error(`${cmd} ${args.join(" ")} failed in ${cwd} (exit ${r.status ?? r.signal}):\n${out}`);
  }
  return r.stdout;
}

/** `npm pack` of the built repository into `destDir`; returns the tarball's absolute path. Needs `npm run build`. */
export function packTarball(destDir: string): string {
  const root = repoRoot();
  if (!fs.existsSync(path.join(root, "dist", "src", "index.js"))) throw new Error("packTarball: run `npm run build`");
  fs.mkdirSync(destDir, { recursive: true });
  const out = run("npm", ["pack", "--json", "--pack-destination", destDir, "--loglevel=error"], root);
  const [info] = JSON.parse(out) as Array<{ filename: string }>;
  return path.join(destDir, info!.filename);
}

/** A new empty directory under the OS temp dir: outside the repository, so nothing resolves through it. */
export function tempProjectDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `pulumi-clerk-${prefix}-`));
}

/**
 * `npm install <specs…>` in `dir` (which must hold a package.json), through the npm cache. Like a user's
 * `npm install ./pulumi-clerk-0.1.0.tgz`, it also installs everything the package.json already lists.
 */
export function npmInstall(dir: string, specs: string[], env: NodeJS.ProcessEnv = process.env): void {
  run(
    "npm",
    ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", "--no-package-lock", ...specs],
    dir,
    env,
  );
}

/** Type-checks a project with its own tsconfig.json and its own `typescript` (`tsc --noEmit`). */
export function typecheckProject(dir: string): void {
  const tsc = require.resolve("typescript/bin/tsc", { paths: [dir] });
  run(process.execPath, [tsc, "-p", path.join(dir, "tsconfig.json"), "--noEmit"], dir);
}

/** Copies a directory, leaving out node_modules and build output. */
export function copyProject(from: string, to: string): void {
  fs.cpSync(from, to, {
    recursive: true,
    filter: (src) => !/[\\/](node_modules|bin)$/.test(src),
  });
}
