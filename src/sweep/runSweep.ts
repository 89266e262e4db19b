import { gatewayFor } from "../clerk/gateway";
import { resolveSettings, type ClerkSettings } from "../clerk/settings";
import { ClerkProviderError, ErrorCode } from "../errors/ClerkProviderError";
import { SCHEDULER_DEFAULTS, type RetryEvent } from "../scheduler";
import { collectPages } from "./collectPages";
import { deleteSelected } from "./deleteFlow";
import { escapeText } from "./escapeText";
import { ExitCode } from "./exitCodes";
import { formatTable } from "./formatTable";
import { resolveLiveStacks } from "./liveStacks";
import { reportClerkError } from "./reportClerkError";
import { createRetryNotice } from "./retryNotice";
import { countMarked, selectMarked, type Selected, type SweepFilters, type Sweepable } from "./selectMarked";
import { formatStackRef, type StackRef } from "./stackRef";
import { kindsNamed, type KindName, type SweepClerk, type SweepKind } from "./sweepKinds";
import { SweepUsageError } from "./SweepUsageError";
import type { SweepIO } from "./sweepIO";

/** A parsed command line: what to do, on which objects, against which Clerk. */
export interface SweepOptions {
  command: "list" | "delete";
  /** `--kind`: which kinds to sweep (any order; they are always handled organizations first). */
  kinds: readonly KindName[];
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
  /** List page size; 500 unless testing paging. */
  pageSize?: number;
  /** Deletions in flight at once. */
  concurrency?: number;
  /** `delete --include-v1-markers`: also delete users whose marker predates ownership ids (never adopted ones). */
  includeV1Markers?: boolean;
}

/** One kind after listing: everything Clerk returned, and the marked ones matching the filters. */
export interface Listed {
  kind: SweepKind;
  items: Sweepable[];
  selected: Selected[];
  /** Set when the instance has none of this kind to sweep (organizations turned off): the line that says so. */
  unavailable?: string;
}

/**
 * One `clerk-sweep list|delete` run after argument parsing: resolve credentials and live stacks (usage errors
 * first, before any request), read every object of each kind, select the marked ones matching the filters, then
 * print or delete them. Returns the exit code; throws only `SweepUsageError`.
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

  const listed: Listed[] = [];
  for (const kind of kindsNamed(opts.kinds)) {
    try {
      listed.push(await listKind(kind, gateway, opts, filters, io.now()));
    } catch (e) {
      await notice.settled();
      return reportClerkError(e, `listing ${kind.name}`, settings, err, notice);
    }
  }
  await notice.settled();
  scannedLines(listed).forEach(err);

  if (opts.command === "list") return listSelected(listed, opts, out);
  return deleteSelected({ opts, io, out, err, gateway, settings, notice, retriedBefore }, listed);
}

async function listKind(
  kind: SweepKind,
  clerk: SweepClerk,
  opts: SweepOptions,
  filters: SweepFilters,
  now: number,
): Promise<Listed> {
  let items: Sweepable[];
  try {
    items = await collectPages(kind.list(clerk), opts.pageSize !== undefined ? { pageSize: opts.pageSize } : {});
  } catch (e) {
    const unavailable = kind.unavailable(e);
    if (unavailable === undefined) throw e;
    return { kind, items: [], selected: [], unavailable };
  }
  return { kind, items, selected: selectMarked(items, filters, now) };
}

/** The stderr lines after listing: per kind what was scanned, or why there was nothing to scan. */
export function scannedLines(listed: readonly Listed[]): string[] {
  const lines: string[] = [];
  for (const { kind, items, selected, unavailable } of listed) {
    if (unavailable !== undefined) {
      lines.push(unavailable);
      continue;
    }
    lines.push(
      `scanned ${items.length} ${kind.name}: ${countMarked(items)} carry the pulumi-clerk marker, ` +
        `${selected.length} match the filters`,
    );
    // The spec lists private_metadata as optional: an answer without it cannot show a marker.
    const blind = items.filter((i) => !Object.hasOwn(i, "private_metadata")).length;
    if (blind > 0) {
      lines.push(
        `note: Clerk listed ${blind} ${kind.name} without private_metadata: their marker cannot be read, ` +
          "so they are left alone",
      );
    }
  }
  return lines;
}

/** `list`: every selected object of every kind, as JSON or as one table per kind. */
function listSelected(listed: readonly Listed[], opts: SweepOptions, out: (line: string) => void): ExitCode {
  if (opts.json) {
    out(
      JSON.stringify(
        listed.flatMap((l) => l.selected.map((s) => l.kind.toRow(s))),
        null,
        2,
      ),
    );
    return ExitCode.Ok;
  }
  const withRows = listed.filter((l) => l.selected.length > 0);
  if (withRows.length === 0) {
    out(`no ${listed.map((l) => l.kind.name).join(" or ")} carrying the pulumi-clerk marker match the filters`);
  }
  for (const l of withRows)
    formatTable(
      l.kind.singular,
      l.selected.map((s) => l.kind.toRow(s)),
    ).forEach(out);
  return ExitCode.Ok;
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
