import type { ClerkGateway } from "../clerk/gateway";
import type { ClerkSettings } from "../clerk/settings";
import { ClerkProviderError, ErrorCode } from "../errors/ClerkProviderError";
import { MARKER_VERSION } from "../marker/managedByMarker";
import { confirm } from "./confirm";
import type { DeleteReport } from "./DeleteReport";
import { deleteEach } from "./deleteEach";
import { escapeText } from "./escapeText";
import { ExitCode } from "./exitCodes";
import { formatSummary } from "./formatSummary";
import { formatTable } from "./formatTable";
import { createProgress } from "./progress";
import { reportClerkError } from "./reportClerkError";
import type { RetryNotice } from "./retryNotice";
import type { Listed, SweepOptions } from "./runSweep";
import { needsInstanceId, planDeletion, type DeletionPlan } from "./selectMarked";
import { countOf, type SweepClerk, type SweepKind } from "./sweepKinds";
import { isNonInteractive, type SweepIO } from "./sweepIO";

/** What the delete flow needs of the run. */
export interface DeleteRun {
  opts: SweepOptions;
  io: SweepIO;
  out: (line: string) => void;
  err: (line: string) => void;
  gateway: SweepClerk & Pick<ClerkGateway, "identity" | "scheduler">;
  settings: ClerkSettings;
  notice: RetryNotice;
  /** The scheduler's retry count before the run's first request (the closing note counts the whole run). */
  retriedBefore: number;
}

interface KindPlan {
  kind: SweepKind;
  plan: DeletionPlan;
}

/**
 * `delete`: plan every kind with the same rules (adopted kept, v1 kept unless allowed, markers of another instance
 * kept), print what goes and what is kept, confirm once (or refuse without --yes in CI), delete organizations
 * before users, summarise each kind.
 */
export async function deleteSelected(run: DeleteRun, listed: readonly Listed[]): Promise<ExitCode> {
  const { opts, out } = run;
  const instance = await instanceFor(run, listed);
  if ("exit" in instance) return instance.exit;
  const { instanceId } = instance;
  const plans: KindPlan[] = listed.map((l) => ({
    kind: l.kind,
    plan: planDeletion(l.selected, {
      includeV1Markers: l.kind.v1MarkersDeletable && opts.includeV1Markers === true,
      instanceId,
    }),
  }));
  const toDelete = plans.filter((p) => p.plan.deletable.length > 0);
  if (toDelete.length === 0) {
    out("nothing to delete");
    plans.forEach((p) => keptLines(p, instanceId).forEach(out));
    plans.forEach((p) => formatSummary(p.kind, { deleted: [], alreadyGone: [], failed: [] }).forEach(out));
    return ExitCode.Ok;
  }
  for (const { kind, plan } of toDelete) formatTable(kind.singular, plan.deletable.map(kind.toRow)).forEach(out);
  plans.forEach((p) => keptLines(p, instanceId).forEach(out));
  const what = toDelete.map((p) => countOf(p.plan.deletable.length, p.kind)).join(" and ");
  if (opts.dryRun) {
    out(`dry run: would delete ${what}; nothing was deleted`);
    return ExitCode.Ok;
  }
  const refusal = await confirmed(run, what);
  if (refusal !== undefined) return refusal;

  // One kind at a time, in SWEEP_KINDS order: every organization is settled before the first user delete.
  const reports: DeleteReport[] = [];
  for (const p of plans) reports.push(await deleteKind(run, p));
  return summarise(run, plans, reports);
}

/**
 * The id of the instance the key belongs to, asked only when a created (v2) marker is up for deletion: only a
 * marker naming it was written here. A failed lookup ends the run before anything is deleted.
 */
async function instanceFor(
  run: DeleteRun,
  listed: readonly Listed[],
): Promise<{ instanceId: string | undefined } | { exit: ExitCode }> {
  if (!listed.some((l) => needsInstanceId(l.selected))) return { instanceId: undefined };
  try {
    return { instanceId: (await run.gateway.identity()).id };
  } catch (e) {
    await run.notice.settled();
    if (ClerkProviderError.isInstance(e) && e.code === ErrorCode.InstanceMismatch) {
      // CLERK_INSTANCE_ID pins another instance than the key's: a configuration error, as for the provider.
      run.err(`clerk-sweep: ${escapeText(e.detail ?? e.message)}. Nothing was deleted.`);
      return { exit: ExitCode.Usage };
    }
    const what = "asking Clerk which instance the key belongs to";
    return { exit: await reportClerkError(e, what, run.settings, run.err, run.notice) };
  }
}

/** The summary of every kind, the retry note, and the exit code: 3 on a 401, 1 on any failure. */
function summarise(run: DeleteRun, plans: readonly KindPlan[], reports: readonly DeleteReport[]): ExitCode {
  plans.forEach((p, i) => formatSummary(p.kind, reports[i]!).forEach(run.out));
  const retried = run.gateway.scheduler.stats().retried - run.retriedBefore;
  if (retried > 0) run.err(`note: ${retried} request attempt(s) were retried after 429/5xx/network errors`);
  const failed = reports.flatMap((r) => r.failed);
  if (failed.some((f) => f.status === 401)) {
    run.err("clerk-sweep: Clerk answered 401: the secret key was rejected; check CLERK_SECRET_KEY and the API URL");
    return ExitCode.Auth;
  }
  return failed.length > 0 ? ExitCode.Failed : ExitCode.Ok;
}

/** `undefined` when the run may delete (--yes, or a `y` on a terminal); otherwise the exit code of the refusal. */
async function confirmed(run: DeleteRun, what: string): Promise<ExitCode | undefined> {
  const { opts, io, err } = run;
  if (opts.yes) return undefined;
  if (isNonInteractive(io)) {
    err(
      `clerk-sweep: refusing to delete ${what} without --yes in a non-interactive session ` +
        "(CI, or stdin is not a terminal); nothing was deleted. Preview with --dry-run, then re-run with --yes.",
    );
    return ExitCode.Usage;
  }
  if (!(await confirm(`Delete ${what} from ${run.settings.apiUrl}?`, io.stdin, io.stderr))) {
    err("clerk-sweep: not confirmed; nothing was deleted");
    return ExitCode.Usage;
  }
  return undefined;
}

async function deleteKind(run: DeleteRun, { kind, plan }: KindPlan): Promise<DeleteReport> {
  const { opts, io } = run;
  if (plan.deletable.length === 0) return { deleted: [], alreadyGone: [], failed: [] };
  // Retry log lines would tear the bar apart: --verbose gets the log instead of the bar.
  const progress = createProgress(io.stderr, opts.verbose ? 0 : plan.deletable.length, `deleting ${kind.name}`);
  try {
    return await deleteEach((id) => kind.remove(run.gateway, id), plan.deletable, {
      ...(opts.concurrency !== undefined ? { concurrency: opts.concurrency } : {}),
      onSettled: (done) => progress.update(done),
    });
  } finally {
    progress.stop();
  }
}

/** The lines that say which selected objects of one kind `delete` keeps, and why; none when it keeps none. */
function keptLines({ kind, plan }: KindPlan, instanceId: string | undefined): string[] {
  const lines: string[] = [];
  if (plan.keptAdopted.length > 0) {
    lines.push(
      `kept ${countOf(plan.keptAdopted.length, kind)} marked as adopted: they existed before pulumi-clerk took ` +
        "them over, and clerk-sweep never deletes them",
    );
  }
  if (plan.keptV1.length > 0) {
    lines.push(`kept ${countOf(plan.keptV1.length, kind)} with a v1 marker: ${kind.keptV1Reason}`);
  }
  if (plan.keptOtherInstance.length > 0) {
    const others = [
      ...new Set(plan.keptOtherInstance.map((s) => (s.marker.v === MARKER_VERSION ? s.marker.instanceId : ""))),
    ];
    lines.push(
      escapeText(
        `kept ${countOf(plan.keptOtherInstance.length, kind)} whose marker names another Clerk instance ` +
          `(${others.sort().join(", ")}; this key's is ${instanceId ?? "unknown"}): they were copied here, not ` +
          "created here, and clerk-sweep never deletes them",
      ),
    );
  }
  return lines;
}
