import { gatewayFor, type ClerkGateway } from "../clerk/gateway";
import { resolveSettings, type ClerkSettings } from "../clerk/settings";
import type { ClerkUserJSON } from "../model/wire";
import { ClerkProviderError, ErrorCode } from "../errors/ClerkProviderError";
import { readMarker } from "../marker/managedByMarker";
import { collectUsers } from "./collectUsers";
import { confirm } from "./confirm";
import type { DeleteReport } from "./DeleteReport";
import { deleteUsers } from "./deleteUsers";
import { describeError } from "./describeError";
import { ExitCode } from "./exitCodes";
import { formatSummary } from "./formatSummary";
import { formatTable } from "./formatTable";
import { resolveLiveStacks } from "./liveStacks";
import { createProgress } from "./progress";
import { selectUsers, type SelectedUser, type SweepFilters } from "./selectUsers";
import { formatStackRef, type StackRef } from "./stackRef";
import { SweepUsageError } from "./SweepUsageError";
import { isNonInteractive, type SweepIO } from "./sweepIO";
import { toSweepRow } from "./sweepRow";

/** A parsed command line: what to do, on which users, against which Clerk. */
export interface SweepOptions {
  command: "list" | "delete";
  project?: string;
  stack?: string;
  olderThanMs?: number;
  keepStacks: StackRef[];
  /** `--only-missing-stacks` (also implied by `--live-stacks`). */
  onlyMissingStacks: boolean;
  /** The raw `--live-stacks` value, when given. */
  liveStacks?: string;
  /** `--api-url`: overrides `CLERK_API_URL`. */
  apiUrl?: string;
  /** `list --json`. */
  json: boolean;
  dryRun: boolean;
  yes: boolean;
  /** Log every retry of the rate limiter to stderr. */
  verbose: boolean;
  /** `GET /users` page size; 500 unless testing paging. */
  pageSize?: number;
  /** Deletions in flight at once. */
  concurrency?: number;
}

/**
 * One `clerk-sweep list|delete` run after argument parsing: resolve credentials and live stacks (usage errors
 * first, before any request), read every user, select the marked ones matching the filters, then print or
 * delete them. Returns the exit code; throws only `SweepUsageError`.
 */
export async function runSweep(opts: SweepOptions, io: SweepIO): Promise<ExitCode> {
  const out = (line: string): void => void io.stdout.write(line + "\n");
  const err = (line: string): void => void io.stderr.write(line + "\n");

  const settings = settingsFor(opts, io.env);
  const filters: SweepFilters = {
    ...(opts.project !== undefined ? { project: opts.project } : {}),
    ...(opts.stack !== undefined ? { stack: opts.stack } : {}),
    ...(opts.olderThanMs !== undefined ? { olderThanMs: opts.olderThanMs } : {}),
    ...(opts.keepStacks.length > 0 ? { keepStacks: opts.keepStacks } : {}),
  };
  if (opts.onlyMissingStacks || opts.liveStacks !== undefined) {
    const live = await resolveLiveStacks({
      ...(opts.liveStacks !== undefined ? { flag: opts.liveStacks } : {}),
      env: io.env,
    });
    filters.liveStacks = live.refs;
    err(`live stacks (from ${live.source}): ${live.refs.map(formatStackRef).join(", ") || "none"}`);
  }

  const gateway = gatewayFor(settings, opts.verbose ? { log: (m) => err(m) } : {});
  const retriedBefore = gateway.scheduler.stats().retried;

  let users: ClerkUserJSON[];
  try {
    users = await collectUsers(gateway, opts.pageSize !== undefined ? { pageSize: opts.pageSize } : {});
  } catch (e) {
    return reportClerkError(e, "listing users", settings, err);
  }
  const selected = selectUsers(users, filters, io.now());
  const managed = users.filter((u) => readMarker(u.private_metadata) !== undefined).length;
  err(`scanned ${users.length} users: ${managed} carry the pulumi-clerk marker, ${selected.length} match the filters`);

  if (opts.command === "list") {
    const rows = selected.map(toSweepRow);
    if (opts.json) out(JSON.stringify(rows, null, 2));
    else formatTable(rows).forEach(out);
    return ExitCode.Ok;
  }

  if (selected.length === 0) {
    out("nothing to delete");
    formatSummary({ deleted: [], alreadyGone: [], failed: [] }).forEach(out);
    return ExitCode.Ok;
  }
  formatTable(selected.map(toSweepRow)).forEach(out);
  if (opts.dryRun) {
    out(`dry run: would delete ${count(selected.length)}; nothing was deleted`);
    return ExitCode.Ok;
  }
  if (!opts.yes) {
    if (isNonInteractive(io)) {
      err(
        `clerk-sweep: refusing to delete ${count(selected.length)} without --yes in a non-interactive session ` +
          "(CI, or stdin is not a terminal); nothing was deleted. Preview with --dry-run, then re-run with --yes.",
      );
      return ExitCode.Usage;
    }
    if (!(await confirm(`Delete ${count(selected.length)} from ${settings.apiUrl}?`, io.stdin, io.stderr))) {
      err("clerk-sweep: not confirmed; nothing was deleted");
      return ExitCode.Usage;
    }
  }

  const report = await deleteAll(gateway, selected, opts, io);
  formatSummary(report).forEach(out);
  const retried = gateway.scheduler.stats().retried - retriedBefore;
  if (retried > 0) err(`note: ${retried} request attempt(s) were retried after 429/5xx/network errors`);
  if (report.failed.some((f) => f.status === 401)) {
    err("clerk-sweep: Clerk answered 401: the secret key was rejected; check CLERK_SECRET_KEY and the API URL");
    return ExitCode.Auth;
  }
  return report.failed.length > 0 ? ExitCode.Failed : ExitCode.Ok;
}

async function deleteAll(
  gateway: ClerkGateway,
  selected: SelectedUser[],
  opts: SweepOptions,
  io: SweepIO,
): Promise<DeleteReport> {
  // Retry log lines would tear the bar apart: --verbose gets the log instead of the bar.
  const progress = createProgress(io.stderr, opts.verbose ? 0 : selected.length, "deleting");
  try {
    return await deleteUsers(gateway, selected, {
      ...(opts.concurrency !== undefined ? { concurrency: opts.concurrency } : {}),
      onSettled: (done) => progress.update(done),
    });
  } finally {
    progress.stop();
  }
}

/** Credentials as the provider reads them, with `--api-url` overriding `CLERK_API_URL`. */
function settingsFor(opts: SweepOptions, env: NodeJS.ProcessEnv): ClerkSettings {
  let settings: ClerkSettings;
  try {
    settings = resolveSettings("clerk-sweep", {
      ...env,
      ...(opts.apiUrl !== undefined ? { CLERK_API_URL: opts.apiUrl } : {}),
    });
  } catch (e) {
    if (ClerkProviderError.isInstance(e) && e.code === ErrorCode.CredentialsMissing) {
      throw new SweepUsageError(
        "no Clerk secret key: set CLERK_SECRET_KEY to the instance's secret key (sk_test_… or sk_live_…), " +
          "the same one the provider uses",
      );
    }
    if (ClerkProviderError.isInstance(e)) throw new SweepUsageError(e.message);
    throw e;
  }
  let url: URL | undefined;
  try {
    url = new URL(settings.apiUrl);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== "https:" && url.protocol !== "http:")) {
    throw new SweepUsageError(
      `invalid Clerk API URL "${settings.apiUrl}" (from ${opts.apiUrl !== undefined ? "--api-url" : "CLERK_API_URL"}): ` +
        "expected e.g. https://api.clerk.com",
    );
  }
  return settings;
}

function reportClerkError(e: unknown, what: string, settings: ClerkSettings, err: (l: string) => void): ExitCode {
  const d = describeError(e, what);
  if (d.status === 401) {
    err(
      `clerk-sweep: Clerk rejected the secret key at ${settings.apiUrl}: ${d.reason}. ` +
        "Check CLERK_SECRET_KEY (and CLERK_API_URL / --api-url). Nothing was deleted.",
    );
    return ExitCode.Auth;
  }
  err(`clerk-sweep: ${what} failed: ${d.reason}. Nothing was deleted.`);
  return ExitCode.Failed;
}

function count(n: number): string {
  return `${n} user${n === 1 ? "" : "s"}`;
}
