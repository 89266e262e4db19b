import type { Selected, Sweepable } from "./selectMarked";

/** Why one deletion failed, as the summary prints it. */
export interface DeleteFailure<T extends Sweepable = Sweepable> {
  selected: Selected<T>;
  /** One line: Clerk's status, code and message, or the transport problem. Never contains the secret key. */
  reason: string;
  /** HTTP status Clerk answered with, when it answered. */
  status?: number;
}

/** The outcome of deleting one kind: every selected object lands in exactly one list. */
export interface DeleteReport<T extends Sweepable = Sweepable> {
  deleted: Selected<T>[];
  /** Clerk answered 404: someone else deleted it between listing and deleting. Counts as success. */
  alreadyGone: Selected<T>[];
  failed: DeleteFailure<T>[];
}
