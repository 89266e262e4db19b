import type { CheckRule } from "../logic/checkTypes";

/**
 * Why a config entry is refused, stable for callers and tests (which switch on it, never on the text): the
 * provider's check rules, plus what only the config can get wrong.
 */
export type ConfigRule =
  | CheckRule
  /** A reference to a users entry (`members[0].user`, `createdBy`) names none. */
  | "unknown_user"
  /** More members than the organization's `maxAllowedMemberships`. */
  | "membership_limit"
  /** A field the config never takes (set by the program, or refused for safety). */
  | "not_in_config";

/** One problem in the users config: which entry, which field, what is wrong. */
export interface ConfigProblem {
  /** Where the entry came from and which one: `users[2] "qa-admin"`, `users.yaml[0]`, or a config key (`usersFile`). */
  entry: string;
  /** The field, as a path inside the entry (`emailAddresses[1]`), or "" for the entry as a whole. */
  field: string;
  /** Why it is rejected; never quotes a secret. */
  message: string;
  /** The kind of problem, where the check states one (every organization problem does). */
  rule?: ConfigRule;
}

/** The one-line form of a problem: `users[2] "qa-admin": field "emailAdresses" is not a known field (...)`. */
export function formatProblem(p: ConfigProblem): string {
  return p.field ? `${p.entry}: field "${p.field}" ${p.message}` : `${p.entry}: ${p.message}`;
}

/**
 * The users config is invalid. Thrown by the root program before any `ClerkUser` is constructed, so a bad
 * config creates nothing. The message lists every problem, one a line, each naming the entry and the field.
 */
export class ConfigError extends Error {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    const n = problems.length;
    super(
      `the users config has ${n} problem${n === 1 ? "" : "s"}; nothing was created or changed:\n` +
        problems.map((p) => `  - ${formatProblem(p)}`).join("\n"),
    );
    this.name = "ConfigError";
    this.problems = problems;
  }

  /** Each problem as one line (without the header). */
  lines(): string[] {
    return this.problems.map(formatProblem);
  }
}
