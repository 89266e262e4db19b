import { clerkCodeOf, isClerkApiError } from "./clerkApiError";
import { RequestTimeoutError } from "../scheduler/RequestTimeoutError";
import { RetryBudgetExhaustedError } from "../scheduler/RetryBudgetExhaustedError";
import { ClerkProviderError, ErrorCode } from "./ClerkProviderError";

/** Clerk's snake_case parameter names mapped to the ClerkUser input that carries them. */
const PARAM_TO_INPUT: Record<string, string> = {
  email_address: "emailAddresses",
  email_address_id: "emailAddresses",
  primary_email_address_id: "emailAddresses",
  phone_number: "phoneNumbers",
  primary_phone_number_id: "phoneNumbers",
  web3_wallet: "web3Wallets",
  username: "username",
  external_id: "externalId",
  first_name: "firstName",
  last_name: "lastName",
  password: "password",
  password_digest: "passwordDigest",
  password_hasher: "passwordHasher",
  totp_secret: "totpSecret",
  backup_codes: "backupCodes",
  public_metadata: "publicMetadata",
  private_metadata: "privateMetadata",
  unsafe_metadata: "unsafeMetadata",
  created_at: "createdAt",
  legal_accepted_at: "legalAcceptedAt",
  locale: "locale",
};

export function inputNameForParam(param: string | undefined): string | undefined {
  if (!param) return undefined;
  return PARAM_TO_INPUT[param] ?? param;
}

export interface ErrorContext {
  operation: string;
  /** Overrides the derived code, e.g. `partial_create` for a failure after the user exists. */
  code?: ErrorCode;
  resource?: string;
  userId?: string;
  detail?: string;
}

/**
 * Turns whatever a gateway call threw into the one error type the provider reports: Clerk's status, code,
 * long message, trace id and blamed field, the resource and the operation. Never copies request data.
 */
export function toProviderError(err: unknown, ctx: ErrorContext): ClerkProviderError {
  const e = derive(err, ctx);
  return ctx.code === undefined || e.code === ctx.code
    ? e
    : new ClerkProviderError({ ...initOf(e), code: ctx.code, cause: err });
}

function initOf(e: ClerkProviderError) {
  return {
    operation: e.operation,
    ...(e.resource !== undefined ? { resource: e.resource } : {}),
    ...(e.userId !== undefined ? { userId: e.userId } : {}),
    ...(e.status !== undefined ? { status: e.status } : {}),
    ...(e.clerkCode !== undefined ? { clerkCode: e.clerkCode } : {}),
    ...(e.longMessage !== undefined ? { longMessage: e.longMessage } : {}),
    ...(e.traceId !== undefined ? { traceId: e.traceId } : {}),
    ...(e.field !== undefined ? { field: e.field } : {}),
    ...(e.detail !== undefined ? { detail: e.detail } : {}),
  };
}

function derive(err: unknown, ctx: ErrorContext): ClerkProviderError {
  if (ClerkProviderError.isInstance(err)) return err;
  let inner = err;
  let budgetDetail: string | undefined;
  if (RetryBudgetExhaustedError.isInstance(err)) {
    inner = err.cause;
    budgetDetail = `gave up after ${err.attempts ?? "several"} attempts (retry budget exhausted)`;
  }
  const detail = [ctx.detail, budgetDetail].filter(Boolean).join("; ") || undefined;
  const base = {
    operation: ctx.operation,
    ...(ctx.resource !== undefined ? { resource: ctx.resource } : {}),
    ...(ctx.userId !== undefined ? { userId: ctx.userId } : {}),
    ...(detail !== undefined ? { detail } : {}),
    cause: err,
  };
  if (isClerkApiError(inner)) {
    const first = inner.errors[0];
    const field = inputNameForParam(first?.meta?.paramName);
    if (inner.status === undefined) {
      return new ClerkProviderError({
        ...base,
        code: ErrorCode.ClerkUnreachable,
        clerkCode: clerkCodeOf(inner) ?? "unexpected_error",
        longMessage: `Clerk could not be reached: ${first?.message ?? "network error"}`,
      });
    }
    return new ClerkProviderError({
      ...base,
      code: budgetDetail ? ErrorCode.RetryBudgetExhausted : ErrorCode.ClerkApi,
      status: inner.status,
      ...(first?.code ? { clerkCode: first.code } : {}),
      ...(first?.longMessage || first?.message ? { longMessage: first.longMessage ?? first.message } : {}),
      ...(inner.clerkTraceId ? { traceId: inner.clerkTraceId } : {}),
      ...(field ? { field } : {}),
    });
  }
  if (RequestTimeoutError.isInstance(inner)) {
    return new ClerkProviderError({
      ...base,
      code: ErrorCode.ClerkUnreachable,
      longMessage: "Clerk did not answer in time",
    });
  }
  const message = inner instanceof Error ? inner.message : String(inner);
  return new ClerkProviderError({
    ...base,
    code: budgetDetail ? ErrorCode.RetryBudgetExhausted : ErrorCode.ClerkApi,
    longMessage: message,
  });
}
