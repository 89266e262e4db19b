import type { DeleteFailure, DeleteReport } from "./DeleteReport";
import { describeError } from "./describeError";
import type { Selected, Sweepable } from "./selectMarked";

/** Deletions in flight at once. The gateway's scheduler still enforces Clerk's rate limit and its own cap. */
export const DEFAULT_DELETE_CONCURRENCY = 8;

export interface DeleteOptions {
  concurrency?: number;
  /** Called once per finished object (deleted, already gone or failed). */
  onSettled?: (done: number, total: number) => void;
}

/**
 * Deletes the selected objects with `remove` (a gateway call, so with the provider's rate limiter and retries),
 * at most `concurrency` at a time. `remove` resolves `false` for a 404: "already gone". Any other failure,
 * including an exhausted retry budget, is recorded with its reason and never thrown: the run always reaches
 * the summary.
 */
export async function deleteEach<T extends Sweepable>(
  remove: (id: string) => Promise<boolean>,
  selected: readonly Selected<T>[],
  opts: DeleteOptions = {},
): Promise<DeleteReport<T>> {
  const concurrency = Math.max(1, Math.floor(opts.concurrency ?? DEFAULT_DELETE_CONCURRENCY));
  type Outcome = { kind: "deleted" } | { kind: "gone" } | { kind: "failed"; failure: DeleteFailure<T> };
  const outcomes: (Outcome | undefined)[] = new Array<Outcome | undefined>(selected.length);
  let next = 0;
  let done = 0;

  const deleteOne = async (s: Selected<T>): Promise<Outcome> => {
    try {
      return (await remove(s.item.id)) ? { kind: "deleted" } : { kind: "gone" };
    } catch (e) {
      return { kind: "failed", failure: failureOf(s, e) };
    }
  };

  const worker = async (): Promise<void> => {
    for (let i = next++; i < selected.length; i = next++) {
      const s = selected[i];
      if (s === undefined) continue;
      outcomes[i] = await deleteOne(s);
      done++;
      opts.onSettled?.(done, selected.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, selected.length) }, worker));

  const report: DeleteReport<T> = { deleted: [], alreadyGone: [], failed: [] };
  selected.forEach((s, i) => {
    const o = outcomes[i];
    if (o?.kind === "deleted") report.deleted.push(s);
    else if (o?.kind === "gone") report.alreadyGone.push(s);
    else if (o?.kind === "failed") report.failed.push(o.failure);
  });
  return report;
}

function failureOf<T extends Sweepable>(selected: Selected<T>, err: unknown): DeleteFailure<T> {
  const { reason, status } = describeError(err, "delete");
  return { selected, reason, ...(status !== undefined ? { status } : {}) };
}
