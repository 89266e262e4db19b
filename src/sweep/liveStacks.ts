import { execFile } from "node:child_process";
import { accessSync, constants, statSync } from "node:fs";
import { delimiter, join } from "node:path";
import { escapeText } from "./escapeText";
import { parseStackFlag, type StackRef } from "./stackRef";
import { SweepUsageError } from "./SweepUsageError";

/** How long `pulumi stack ls` may take (it may talk to a remote backend). */
export const PULUMI_TIMEOUT_MS = 120_000;

export interface LiveStacksOptions {
  /** `--live-stacks a,proj/b`: wins over asking the Pulumi CLI. */
  flag?: string;
  env: NodeJS.ProcessEnv;
  /** Runs `pulumi <args>` and resolves with its stdout; injectable for tests. Default: the `pulumi` on `env.PATH`. */
  runPulumi?: (args: string[]) => Promise<string>;
}

export interface LiveStacks {
  refs: StackRef[];
  /** Where the list came from, for the log line. */
  source: "--live-stacks" | "pulumi stack ls";
}

/**
 * The stacks that still exist, for `--only-missing-stacks`: from `--live-stacks` when given, else from
 * `pulumi stack ls --json --all` when the `pulumi` CLI is on PATH.
 *
 * Names from the CLI are read cautiously: `org/project/stack` protects that project's stack; `org/stack` or
 * `stack` protect that stack name in every project. An empty answer from the CLI is refused (a wrong backend
 * login would otherwise make every stack look missing), and so is an empty `--live-stacks` (an unset variable);
 * when no stack exists at all, leave out `--only-missing-stacks`.
 *
 * @throws SweepUsageError when neither source is available, the CLI fails, or its output is not a stack list.
 */
export async function resolveLiveStacks(opts: LiveStacksOptions): Promise<LiveStacks> {
  if (opts.flag !== undefined) return { refs: parseStackFlag("--live-stacks", opts.flag), source: "--live-stacks" };
  let run = opts.runPulumi;
  if (!run) {
    const pulumi = findOnPath("pulumi", opts.env);
    if (!pulumi) {
      throw new SweepUsageError(
        "--only-missing-stacks needs the list of live stacks: install the pulumi CLI (and log in to your backend) " +
          "or pass them with --live-stacks stack1,project/stack2",
      );
    }
    run = (args) => execPulumi(pulumi, args, opts.env);
  }
  let stdout: string;
  try {
    stdout = await run(["stack", "ls", "--json", "--all"]);
  } catch (e) {
    throw new SweepUsageError(
      `\`pulumi stack ls --json --all\` failed: ${escapeText((e as Error).message)}; ` +
        "log in to the backend or pass --live-stacks",
    );
  }
  const refs = parsePulumiStackLs(stdout);
  if (refs.length === 0) {
    throw new SweepUsageError(
      "`pulumi stack ls --json --all` listed no stacks; refusing to treat every stack as missing " +
        "(check `pulumi whoami` and the backend), or pass --live-stacks explicitly " +
        "(if no stack exists at all, leave out --only-missing-stacks)",
    );
  }
  return { refs, source: "pulumi stack ls" };
}

/** `pulumi stack ls --json` output (`[{name, current, lastUpdate, ...}]`) → refs. */
export function parsePulumiStackLs(stdout: string): StackRef[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    throw new SweepUsageError("`pulumi stack ls --json --all` did not print JSON");
  }
  if (!Array.isArray(parsed)) throw new SweepUsageError("`pulumi stack ls --json --all` did not print a JSON array");
  const refs: StackRef[] = [];
  for (const item of parsed) {
    const name = (item as { name?: unknown } | null)?.name;
    if (typeof name !== "string" || name.trim() === "") continue;
    const parts = name.replace(/\*$/, "").split("/");
    const stack = parts[parts.length - 1];
    if (!stack) continue;
    // Only the fully qualified form names the project; `org/stack` must not be read as project/stack.
    const project = parts.length >= 3 ? parts[parts.length - 2] : undefined;
    refs.push(project ? { project, stack } : { stack });
  }
  return refs;
}

/** The first executable named `name` on `env.PATH` (with PATHEXT on Windows). */
export function findOnPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  const dirs = (env["PATH"] ?? env["Path"] ?? "").split(delimiter).filter(Boolean);
  const exts = process.platform === "win32" ? (env["PATHEXT"] ?? ".EXE;.CMD;.BAT").split(";") : [""];
  for (const dir of dirs) {
    for (const ext of exts) {
      const candidate = join(dir, name + ext);
      try {
        if (!statSync(candidate).isFile()) continue;
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

function execPulumi(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { env: { ...env, PULUMI_SKIP_UPDATE_CHECK: "true" }, timeout: PULUMI_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          const why = String(stderr).trim().split("\n").slice(-3).join(" ") || error.message;
          reject(new Error(why));
        } else resolve(String(stdout));
      },
    );
  });
}
