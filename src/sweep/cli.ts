#!/usr/bin/env node
/**
 * `clerk-sweep`: finds and deletes Clerk organizations and users that pulumi-clerk created but no stack manages
 * any more (cancelled CI jobs, dead runners, `pulumi stack rm --force`). Only objects carrying the managed-by marker
 * in `private_metadata` are ever listed or deleted; those the marker records as adopted, or as written in another
 * Clerk instance, are never deleted. Organizations are deleted before users.
 *
 *   clerk-sweep list   [--kind users,organizations] [filters] [--json]
 *   clerk-sweep delete [--kind users,organizations] [filters] [--dry-run] [--yes] [--include-v1-markers]
 *
 * Credentials as for the provider: CLERK_SECRET_KEY, CLERK_API_URL (or --api-url).
 */
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { SCHEDULER_DEFAULTS } from "../scheduler";
import { DEFAULT_DELETE_CONCURRENCY } from "./deleteEach";
import { escapeText } from "./escapeText";
import { ExitCode } from "./exitCodes";
import { parseDuration } from "./parseDuration";
import { runSweep, type SweepOptions } from "./runSweep";
import { parseStackFlag, type StackRef } from "./stackRef";
import { KIND_NAMES, parseKindFlag, type KindName } from "./sweepKinds";
import { SweepUsageError } from "./SweepUsageError";
import { processIO, redactingIO, type SweepIO } from "./sweepIO";

export { ExitCode } from "./exitCodes";
export type { SweepIO } from "./sweepIO";

/** Raw option values as commander hands them to an action. */
interface ParsedFlags {
  kind?: KindName[];
  project?: string[];
  stack?: string[];
  olderThan?: number;
  keepStacks?: StackRef[];
  onlyMissingStacks?: boolean;
  liveStacks?: string;
  apiUrl?: string;
  json?: boolean;
  dryRun?: boolean;
  yes?: boolean;
  verbose?: boolean;
  pageSize?: number;
  concurrency?: number;
  includeV1Markers?: boolean;
}

/**
 * Runs `clerk-sweep` with `argv` (the arguments after the program name) and resolves with the exit code.
 * Never calls `process.exit` and never throws, so tests can run it in-process.
 */
export async function main(argv: readonly string[], io: Partial<SweepIO> = {}): Promise<ExitCode> {
  const given: SweepIO = { ...processIO(), ...io };
  const full = redactingIO(given, [given.env["CLERK_SECRET_KEY"]]);
  let result: ExitCode = ExitCode.Ok;
  const run =
    (command: SweepOptions["command"]) =>
    async (flags: ParsedFlags): Promise<void> => {
      result = await runSweep(toOptions(command, flags), full);
    };
  const program = buildProgram(full, run);
  try {
    await program.parseAsync([...argv], { from: "user" });
    return result;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and --version exit 0; every parse error (unknown flag, bad duration, ...) is a usage error.
      return e.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
    }
    if (SweepUsageError.isInstance(e)) {
      full.stderr.write(`clerk-sweep: ${escapeText(e.message)}\n`);
      return ExitCode.Usage;
    }
    full.stderr.write(`clerk-sweep: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return ExitCode.Failed;
  }
}

function buildProgram(
  io: SweepIO,
  run: (command: SweepOptions["command"]) => (flags: ParsedFlags) => Promise<void>,
): Command {
  const program = new Command("clerk-sweep")
    .description(
      "List and delete Clerk organizations and users created by pulumi-clerk (they carry its managed-by marker) " +
        "whose stacks are gone.",
    )
    .version(version(), "-V, --version")
    .exitOverride()
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      // Commander quotes offending argument values: keep its line breaks, escape anything else unsafe.
      writeErr: (s) => void io.stderr.write(s.split("\n").map(escapeText).join("\n")),
    })
    .showHelpAfterError("(run with --help for usage)")
    .addHelpText(
      "after",
      [
        "",
        "Environment: CLERK_SECRET_KEY (required), CLERK_API_URL, CLERK_MAX_REQUESTS_PER_10S, CLERK_MAX_CONCURRENCY,",
        `  CLERK_REQUEST_TIMEOUT_SECONDS (one attempt; default ${SCHEDULER_DEFAULTS.requestTimeoutMs / 1000}), ` +
          `CLERK_RETRY_TIMEOUT_SECONDS (all retries of one`,
        `  request; default ${SCHEDULER_DEFAULTS.retryBudgetMs / 1000}).`,
        "Organizations and users whose marker says `adopted` (they existed before pulumi-clerk took them over), or",
        "whose marker names another Clerk instance, are never deleted; users with a v1 marker (written before",
        "ownership ids) only with --include-v1-markers, organizations never. Organizations are deleted before users.",
        "Exit status: 0 ok, 1 a deletion (or listing) failed, 2 usage/config error or confirmation refused, 3 Clerk rejected the key (401).",
      ].join("\n"),
    );

  withFilters(program.command("list").description("print the managed organizations and users that match every filter"))
    .option(
      "--json",
      "print JSON instead of tables: [{kind, id, primaryEmail (users) or slug (organizations), project, stack, " +
        "name, origin, createdAt, ageMs}]",
    )
    .action(run("list"));

  withFilters(
    program
      .command("delete")
      .description(
        "delete the managed organizations, then users, that match every filter (unmarked or adopted ones are never " +
          "touched)",
      ),
  )
    .option("--dry-run", "show what would be deleted and delete nothing")
    .option("-y, --yes", "do not ask for confirmation (required in CI)")
    .option(
      "--include-v1-markers",
      "also delete users whose marker is v1 (it cannot tell created from adopted users); adopted ones never, " +
        "organizations never",
    )
    .addOption(
      new Option("--concurrency <n>", "deletions in flight at once (the rate limit still applies)")
        .argParser(positiveInt("--concurrency", 64))
        .default(DEFAULT_DELETE_CONCURRENCY),
    )
    .action(run("delete"));

  return program;
}

function withFilters(cmd: Command): Command {
  return cmd
    .addOption(
      new Option(
        "--kind <kinds>",
        `what to sweep: ${KIND_NAMES.join(", ")} or both (a,b; repeatable; default: both)`,
      ).argParser((value: string, previous: KindName[] | undefined) => [
        ...(previous ?? []),
        ...asArgumentError(() => parseKindFlag(value)),
      ]),
    )
    .addOption(
      new Option(
        "--project <name>",
        "only objects whose marker names this Pulumi project; repeatable (any of them)",
      ).argParser(collectName("--project")),
    )
    .addOption(
      new Option("--stack <name>", "only objects whose marker names this stack; repeatable (any of them)").argParser(
        collectName("--stack"),
      ),
    )
    .addOption(
      new Option("--older-than <duration>", "only objects created longer ago than this, e.g. 24h, 7d, 90m").argParser(
        (value: string) => {
          try {
            return parseDuration(value);
          } catch (e) {
            throw new InvalidArgumentError((e as Error).message);
          }
        },
      ),
    )
    .addOption(
      new Option("--keep-stacks <stacks>", "never touch these stacks: a,b or project/stack; repeatable").argParser(
        (value: string, previous: StackRef[] | undefined) => [
          ...(previous ?? []),
          ...asArgumentError(() => parseStackFlag("--keep-stacks", value)),
        ],
      ),
    )
    .option(
      "--only-missing-stacks",
      "only objects whose stack no longer exists (live stacks from `pulumi stack ls --json --all`, or --live-stacks)",
    )
    .option(
      "--live-stacks <stacks>",
      "the stacks that still exist (a,b or project/stack); implies --only-missing-stacks",
    )
    .option("--api-url <url>", "Clerk Backend API URL (overrides CLERK_API_URL; default https://api.clerk.com)")
    .option("--verbose", "log every rate-limit wait and retry to stderr")
    .addOption(
      new Option("--page-size <n>", "GET /users and GET /organizations page size")
        .argParser(positiveInt("--page-size", 500))
        .hideHelp(),
    );
}

/** A repeatable name filter: each value must be non-blank (an unset variable is an error, not "no filter"). */
function collectName(flag: string): (value: string, previous: string[] | undefined) => string[] {
  return (value, previous) => {
    if (value.trim() === "") {
      throw new InvalidArgumentError(`${flag}: empty value (an unset variable?); name the ${flag.slice(2)}`);
    }
    return [...(previous ?? []), value];
  };
}

/** Runs a parser that throws SweepUsageError, as a commander argument error (usage, exit 2). */
function asArgumentError<T>(parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (SweepUsageError.isInstance(e)) throw new InvalidArgumentError(e.message);
    throw e;
  }
}

function positiveInt(flag: string, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > max) {
      throw new InvalidArgumentError(`${flag} must be an integer from 1 to ${max}`);
    }
    return n;
  };
}

function toOptions(command: SweepOptions["command"], f: ParsedFlags): SweepOptions {
  return {
    command,
    kinds: f.kind ?? KIND_NAMES,
    ...(f.project !== undefined ? { projects: f.project } : {}),
    ...(f.stack !== undefined ? { stacks: f.stack } : {}),
    ...(f.olderThan !== undefined ? { olderThanMs: f.olderThan } : {}),
    keepStacks: f.keepStacks ?? [],
    onlyMissingStacks: f.onlyMissingStacks === true,
    ...(f.liveStacks !== undefined ? { liveStacks: f.liveStacks } : {}),
    ...(f.apiUrl !== undefined ? { apiUrl: f.apiUrl } : {}),
    json: f.json === true,
    dryRun: f.dryRun === true,
    yes: f.yes === true,
    verbose: f.verbose === true,
    ...(f.pageSize !== undefined ? { pageSize: f.pageSize } : {}),
    ...(f.concurrency !== undefined ? { concurrency: f.concurrency } : {}),
    includeV1Markers: f.includeV1Markers === true,
  };
}

/** The package version, for `--version`; read at runtime so the bin never goes stale. */
function version(): string {
  try {
    // From src/sweep/cli.ts (tests) package.json is two levels up; from dist/src/sweep/cli.js (the bin), three.
    return (require("../../package.json") as { version?: string }).version ?? "unknown";
  } catch {
    try {
      return (require("../../../package.json") as { version?: string }).version ?? "unknown";
    } catch {
      return "unknown";
    }
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
