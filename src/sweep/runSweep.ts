import { gatewayFor, type ClerkGateway } from "../clerk/gateway";
import { resolveSettings, type ClerkSettings } from "../clerk/settings";
import type { ClerkUserJSON } from "../model/wire";
import { ClerkProviderError, ErrorCode } from "../errors/ClerkProviderError";
import { readMarker } from "../marker/managedByMarker";
import { SCHEDULER_DEFAULTS, type RetryEvent } from "../scheduler";
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
import { createRetryNotice, type RetryNotice } from "./retryNotice";
import { planDeletion, selectUsers, type DeletionPlan, type SelectedUser, type SweepFilters } from "./selectUsers";
import { escapeText } from "./escapeText";
import { formatStackRef, type StackRef } from "./stackRef";
import { SweepUsageError } from "./SweepUsageError";
import { isNonInteractive, type SweepIO } from "./sweepIO";
import { toSweepRow } from "./sweepRow";

/** A parsed command line: what to do, on which users, against which Clerk. */
export interface SweepOptions {
  command: "list" | "delete";
  /** `--project`, repeatable: a union. */
  projects?: string[];
  /** `--stack`, repeatable: a union. */
  stacks?: string[];
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
  /** `delete --include-v1-markers`: also delete users whose marker predates ownership ids (never adopted ones). */
  includeV1Markers?: boolean;
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
  const filters = await filtersFor(opts, io, err);

  const notice = createRetryNotice({
    apiUrl: settings.apiUrl,
    budgetMs: settings.retryBudgetMs ?? SCHEDULER_DEFAULTS.retryBudgetMs,
    write: err,
  });
  const gateway = gatewayFor(settings, {
    log: (message: string, event?: RetryEvent) => {
      if (opts.verbose) err(message);
      notice.onRetry(message, event);
    },
  });

  const retriedBefore = gateway.scheduler.stats().retried;
  let users: ClerkUserJSON[];
  try {
    users = await collectUsers(gateway, opts.pageSize !== undefined ? { pageSize: opts.pageSize } : {});
  } catch (e) {
    await notice.settled();
    return reportClerkError(e, "listing users", settings, err, notice);
  }
  await notice.settled();
  const selected = selectUsers(users, filters, io.now());
  const managed = users.filter((u) => readMarker(u.private_metadata) !== undefined).length;
  err(`scanned ${users.length} users: ${managed} carry the pulumi-clerk marker, ${selected.length} match the filters`);

  if (opts.command === "list") {
    const rows = selected.map(toSweepRow);
    if (opts.json) out(JSON.stringify(rows, null, 2));
    else if (rows.length === 0) out("no users carrying the pulumi-clerk marker match the filters");
    else formatTable(rows).forEach(out);
    return ExitCode.Ok;
  }
  return deleteSelected({ opts, io, out, err, gateway, apiUrl: settings.apiUrl, retriedBefore }, selected);
}

/** The filters of the run; live stacks are resolved here, before any request (a usage error stops the run). */
async function filtersFor(opts: SweepOptions, io: SweepIO, err: (line: string) => void): Promise<SweepFilters> {
  const filters: SweepFilters = {
    ...(opts.projects !== undefined ? { projects: opts.projects } : {}),
    ...(opts.stacks !== undefined ? { stacks: opts.stacks } : {}),
    ...(opts.olderThanMs !== undefined ? { olderThanMs: opts.olderThanMs } : {}),
    ...(opts.keepStacks.length > 0 ? { keepStacks: opts.keepStacks } : {}),
  };
  if (opts.onlyMissingStacks || opts.liveStacks !== undefined) {
    const live = await resolveLiveStacks({
      ...(opts.liveStacks !== undefined ? { flag: opts.liveStacks } : {}),
      env: io.env,
    });
    filters.liveStacks = live.refs;
    err(`live stacks (from ${live.source}): ${escapeText(live.refs.map(formatStackRef).join(", ")) || "none"}`);
  }
  return filters;
}

interface DeleteRun {
  opts: SweepOptions;
  io: SweepIO;
  out: (line: string) => void;
  err: (line: string) => void;
  gateway: ClerkGateway;
  apiUrl: string;
  /** The scheduler's retry count before the run's first request (the closing note counts the whole run). */
  retriedBefore: number;
}

/** `delete`: print what goes and what is kept, confirm (or refuse without --yes in CI), delete, summarise. */
async function deleteSelected(run: DeleteRun, selected: SelectedUser[]): Promise<ExitCode> {
  const { opts, io, out, err, gateway } = run;
  const plan = planDeletion(selected, { includeV1Markers: opts.includeV1Markers === true });
  const toDelete = plan.deletable;
  if (toDelete.length === 0) {
    out("nothing to delete");
    keptLines(plan).forEach(out);
    formatSummary({ deleted: [], alreadyGone: [], failed: [] }).forEach(out);
    return ExitCode.Ok;
  }
  formatTable(toDelete.map(toSweepRow)).forEach(out);
  keptLines(plan).forEach(out);
  if (opts.dryRun) {
    out(`dry run: would delete ${count(toDelete.length)}; nothing was deleted`);
    return ExitCode.Ok;
  }
  if (!opts.yes) {
    if (isNonInteractive(io)) {
      err(
        `clerk-sweep: refusing to delete ${count(toDelete.length)} without --yes in a non-interactive session ` +
          "(CI, or stdin is not a terminal); nothing was deleted. Preview with --dry-run, then re-run with --yes.",
      );
      return ExitCode.Usage;
    }
    if (!(await confirm(`Delete ${count(toDelete.length)} from ${run.apiUrl}?`, io.stdin, io.stderr))) {
      err("clerk-sweep: not confirmed; nothing was deleted");
      return ExitCode.Usage;
    }
  }

  const report = await deleteAll(gateway, toDelete, opts, io);
  formatSummary(report).forEach(out);
  const retried = gateway.scheduler.stats().retried - run.retriedBefore;
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

/**
 * Credentials as the provider reads them (`resolveSettings`), with `--api-url` overriding `CLERK_API_URL`. The
 * API URL is normalised there; a bad one is a usage error naming its source, never its value.
 */
function settingsFor(opts: SweepOptions, env: NodeJS.ProcessEnv): ClerkSettings {
  try {
    return resolveSettings(
      "clerk-sweep",
      env,
      opts.apiUrl !== undefined ? { apiUrl: { value: opts.apiUrl, source: "--api-url" } } : {},
    );
  } catch (e) {
    if (ClerkProviderError.isInstance(e) && e.code === ErrorCode.CredentialsMissing) {
      throw new SweepUsageError(
        "no Clerk secret key: set CLERK_SECRET_KEY to the instance's secret key (sk_test_… or sk_live_…), " +
          "the same one the provider uses",
      );
    }
    if (ClerkProviderError.isInstance(e)) throw new SweepUsageError(e.detail ?? e.message);
    throw e;
  }
}

/** The lines that say which selected users `delete` keeps, and why; none when it keeps nobody. */
function keptLines(plan: DeletionPlan): string[] {
  const lines: string[] = [];
  const adopted = plan.keptAdopted.length;
  if (adopted > 0) {
    lines.push(
      `kept ${count(adopted)} marked as adopted: they existed before pulumi-clerk took them over, ` +
        "and clerk-sweep never deletes them",
    );
  }
  const v1 = plan.keptV1.length;
  if (v1 > 0) {
    lines.push(
      `kept ${count(v1)} with a v1 marker: it cannot tell a created user from an adopted one; ` +
        "re-run with --include-v1-markers to delete them too",
    );
  }
  return lines;
}

/** The final line of a failed listing: the URL, and for a transport failure the cause the probe found. */
async function reportClerkError(
  e: unknown,
  what: string,
  settings: ClerkSettings,
  err: (l: string) => void,
  notice: RetryNotice,
): Promise<ExitCode> {
  const d = describeError(e, what);
  if (d.status === 401) {
    err(
      `clerk-sweep: Clerk rejected the secret key at ${settings.apiUrl}: ${escapeText(d.reason)}. ` +
        "Check CLERK_SECRET_KEY (and CLERK_API_URL / --api-url). Nothing was deleted.",
    );
    return ExitCode.Auth;
  }
  if (d.unreachable) {
    const cause = await notice.cause();
    if (cause !== undefined) {
      err(
        `clerk-sweep: ${what} failed: Clerk at ${settings.apiUrl} could not be reached: ${cause}` +
          `${d.gaveUp !== undefined ? `: ${d.gaveUp}` : ""}. Nothing was deleted.`,
      );
      return ExitCode.Failed;
    }
  }
  err(`clerk-sweep: ${what} at ${settings.apiUrl} failed: ${escapeText(d.reason)}. Nothing was deleted.`);
  return ExitCode.Failed;
}

function count(n: number): string {
  return `${n} user${n === 1 ? "" : "s"}`;
}
