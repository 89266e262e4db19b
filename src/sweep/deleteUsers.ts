import type { ClerkGateway } from "../clerk/gateway";
import type { DeleteFailure, DeleteReport } from "./DeleteReport";
import { describeError } from "./describeError";
import type { SelectedUser } from "./selectUsers";

/** Deletions in flight at once. The gateway's scheduler still enforces Clerk's rate limit and its own cap. */
export const DEFAULT_DELETE_CONCURRENCY = 8;

export interface DeleteOptions {
  concurrency?: number;
  /** Called once per finished user (deleted, already gone or failed). */
  onSettled?: (done: number, total: number) => void;
}

/**
 * Deletes the selected users through the gateway (so with the provider's rate limiter and retries), at most
 * `concurrency` at a time. A 404 counts as "already gone". Any other failure, including an exhausted retry
 * budget, is recorded with its reason and never thrown: the run always reaches the summary.
 */
export async function deleteUsers(
  gateway: Pick<ClerkGateway, "deleteUser">,
  users: readonly SelectedUser[],
  opts: DeleteOptions = {},
): Promise<DeleteReport> {
  const concurrency = Math.max(1, Math.floor(opts.concurrency ?? DEFAULT_DELETE_CONCURRENCY));
  type Outcome = { kind: "deleted" } | { kind: "gone" } | { kind: "failed"; failure: DeleteFailure };
  const outcomes: (Outcome | undefined)[] = new Array<Outcome | undefined>(users.length);
  let next = 0;
  let done = 0;

  const deleteOne = async (s: SelectedUser): Promise<Outcome> => {
    try {
      return (await gateway.deleteUser(s.user.id)) ? { kind: "deleted" } : { kind: "gone" };
    } catch (e) {
      return { kind: "failed", failure: failureOf(s, e) };
    }
  };

  const worker = async (): Promise<void> => {
    for (let i = next++; i < users.length; i = next++) {
      const s = users[i];
      if (s === undefined) continue;
      outcomes[i] = await deleteOne(s);
      done++;
      opts.onSettled?.(done, users.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, users.length) }, worker));

  const report: DeleteReport = { deleted: [], alreadyGone: [], failed: [] };
  users.forEach((s, i) => {
    const o = outcomes[i];
    if (o?.kind === "deleted") report.deleted.push(s);
    else if (o?.kind === "gone") report.alreadyGone.push(s);
    else if (o?.kind === "failed") report.failed.push(o.failure);
  });
  return report;
}

function failureOf(user: SelectedUser, err: unknown): DeleteFailure {
  const { reason, status } = describeError(err, "delete");
  return { user, reason, ...(status !== undefined ? { status } : {}) };
}
