/**
 * Stable error codes. Callers and tests switch on these, never on message text.
 * A const object instead of an enum, as in @clerk/backend.
 */
export const ErrorCode = {
  /** No secret key in stack config (`clerk:secretKey`) or the environment (`CLERK_SECRET_KEY`). */
  CredentialsMissing: "credentials_missing",
  /** Clerk answered with a 4xx/5xx that is not handled more specifically. */
  ClerkApi: "clerk_api_error",
  /** Clerk could not be reached (connection refused, reset, timeout) even after retries. */
  ClerkUnreachable: "clerk_unreachable",
  /** Clerk kept answering 429 or 5xx until the retry budget ran out. */
  RetryBudgetExhausted: "retry_budget_exhausted",
  /** An identifier already belongs to a user this resource does not manage. */
  IdentifierConflict: "identifier_conflict",
  /** The user was created but a later step failed; it stays in state (partial create). */
  PartialCreate: "partial_create",
  /** Inputs the provider cannot act on (should have been caught by check). */
  InvalidInput: "invalid_input",
  /** `adopt: true` found no user, or more than one, to take over. */
  AdoptNotFound: "adopt_not_found",
  /**
   * The key in use belongs to another Clerk instance than the one holding the resource (or than the pinned
   * `clerk:instanceId`), or a 404 could not be shown to come from the right instance. Nothing is changed.
   */
  InstanceMismatch: "instance_mismatch",
  /** The user carries another resource's ownership marker: refused, untouched (see `handOverFrom`). */
  NotOwner: "not_owner",
  /**
   * A membership's user is already a member of the organization (made by `createdBy`, or outside Pulumi), and not
   * through this resource: refused instead of silently taking that membership over.
   */
  AlreadyMember: "already_member",
  /** Clerk refuses to remove or demote the organization's last admin (`organization_minimum_permissions_needed`). */
  LastAdmin: "last_admin",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const BRAND = "pulumi-clerk/ClerkProviderError";

export interface ClerkProviderErrorInit {
  code: ErrorCode;
  /** The operation that failed, e.g. "create", "update", "read", "delete". */
  operation: string;
  /** Pulumi resource name, when known (from the managed-by input). */
  resource?: string | undefined;
  /** The resource's class; default `ClerkUser`. */
  resourceType?: string | undefined;
  /** Clerk user id, when known. */
  userId?: string | undefined;
  /** Clerk's id of an organization or membership, when known (shown where a user's id would be). */
  clerkId?: string | undefined;
  /** HTTP status Clerk answered with, if any. */
  status?: number | undefined;
  /** Clerk's machine error code, e.g. `form_identifier_exists`. */
  clerkCode?: string | undefined;
  /** Clerk's long message. */
  longMessage?: string | undefined;
  /** Clerk's `clerk_trace_id`. */
  traceId?: string | undefined;
  /** The parameter Clerk blamed (`meta.param_name`), mapped to the input name where known. */
  field?: string | undefined;
  /** Free text appended to the message. */
  detail?: string | undefined;
  cause?: unknown;
}

/**
 * The one error type the provider throws. Its message names the resource, the operation, Clerk's code,
 * long message, trace id and the blamed field, and never contains credentials or input values.
 * `kind` is a brand: `instanceof` breaks across the copies of this module that the Pulumi host loads.
 */
export class ClerkProviderError extends Error {
  readonly kind = BRAND;
  readonly code: ErrorCode;
  readonly operation: string;
  readonly resource?: string;
  readonly resourceType?: string;
  readonly userId?: string;
  readonly clerkId?: string;
  readonly status?: number;
  readonly clerkCode?: string;
  readonly longMessage?: string;
  readonly traceId?: string;
  readonly field?: string;
  readonly detail?: string;

  constructor(init: ClerkProviderErrorInit) {
    super(formatMessage(init), init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "ClerkProviderError";
    this.code = init.code;
    this.operation = init.operation;
    if (init.resource !== undefined) this.resource = init.resource;
    if (init.resourceType !== undefined) this.resourceType = init.resourceType;
    if (init.userId !== undefined) this.userId = init.userId;
    if (init.clerkId !== undefined) this.clerkId = init.clerkId;
    if (init.status !== undefined) this.status = init.status;
    if (init.clerkCode !== undefined) this.clerkCode = init.clerkCode;
    if (init.longMessage !== undefined) this.longMessage = init.longMessage;
    if (init.traceId !== undefined) this.traceId = init.traceId;
    if (init.field !== undefined) this.field = init.field;
    if (init.detail !== undefined) this.detail = init.detail;
  }

  static isInstance(e: unknown): e is ClerkProviderError {
    return typeof e === "object" && e !== null && (e as { kind?: unknown }).kind === BRAND;
  }
}

function formatMessage(i: ClerkProviderErrorInit): string {
  const kind = i.resourceType ?? "ClerkUser";
  const id = i.clerkId ?? i.userId;
  const who = [i.resource ? `${kind} "${i.resource}"` : kind, id ? `(${id})` : ""].filter(Boolean).join(" ");
  const parts = [`${who}: ${i.operation} failed [${i.code}]`];
  if (i.status !== undefined || i.clerkCode) {
    parts.push(`Clerk ${i.status ?? "-"} ${i.clerkCode ?? "unknown_error"}`);
  }
  if (i.field) parts.push(`field "${i.field}"`);
  if (i.longMessage) parts.push(i.longMessage);
  if (i.detail) parts.push(i.detail);
  if (i.traceId) parts.push(`clerk_trace_id ${i.traceId}`);
  return parts.join(": ");
}
