import type { SelectedUser } from "./selectUsers";

/** Why one deletion failed, as the summary prints it. */
export interface DeleteFailure {
  user: SelectedUser;
  /** One line: Clerk's status, code and message, or the transport problem. Never contains the secret key. */
  reason: string;
  /** HTTP status Clerk answered with, when it answered. */
  status?: number;
}

/** The outcome of a delete run: every selected user lands in exactly one list. */
export interface DeleteReport {
  deleted: SelectedUser[];
  /** Clerk answered 404: someone else deleted it between listing and deleting. Counts as success. */
  alreadyGone: SelectedUser[];
  failed: DeleteFailure[];
}
