/** The vocabulary of check results, shared by the field checks, the provider's `check` and the root program. */

/** Why an input failed, stable for callers: the root program and tests switch on this, never on message text. */
export type CheckRule =
  | "unknown_field"
  | "type"
  | "format"
  | "duplicate"
  | "missing_identifier"
  | "conflict"
  | "too_short"
  | "too_long"
  | "too_large"
  | "not_json"
  | "reserved"
  | "required";

/** One problem with one input, as Pulumi's `check` reports it. */
export interface CheckFailure {
  /** Pulumi property path: `emailAddresses[1]`, `publicMetadata.plan`. */
  property: string;
  /** Readable, and never containing a secret value. */
  reason: string;
}

/** A failure with its rule, for callers that act on the kind of problem. */
export interface Finding extends CheckFailure {
  rule: CheckRule;
}

export type Fail = (property: string, reason: string, rule: CheckRule) => void;
