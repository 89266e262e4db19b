/**
 * Exit statuses of `clerk-sweep`. Scripts and CI switch on these, so they never change meaning.
 * A const object instead of an enum, as in the rest of the package.
 */
export const ExitCode = {
  /** Everything asked for was done (including "nothing matched"). */
  Ok: 0,
  /** A Clerk operation failed: at least one deletion failed, or listing users failed for a reason other than auth. */
  Failed: 1,
  /** Usage or configuration error: bad flag or duration, missing secret key, confirmation refused. Nothing deleted. */
  Usage: 2,
  /** Clerk rejected the secret key (HTTP 401). Nothing deleted. */
  Auth: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
