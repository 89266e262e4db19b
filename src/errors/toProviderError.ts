import { paramIndex } from "../logic/paramNames";
import type { FieldTable } from "../model/fields";
import { USER_FIELDS } from "../model/user";
import { clerkCodeOf, isClerkApiError } from "./clerkApiError";
import { RequestTimeoutError } from "../scheduler/RequestTimeoutError";
import { RetryBudgetExhaustedError } from "../scheduler/RetryBudgetExhaustedError";
import { ClerkProviderError, ErrorCode, type ClerkProviderErrorInit } from "./ClerkProviderError";

/** Per field table: Clerk's snake_case parameter names mapped to the input that carries them. */
const indexes = new WeakMap<FieldTable, ReadonlyMap<string, string>>();

/** The input of `table` (default: ClerkUser's) that carries Clerk's parameter `param`; the param itself if none. */
export function inputNameForParam(param: string | undefined, table: FieldTable = USER_FIELDS): string | undefined {
  if (!param) return undefined;
  let index = indexes.get(table);
  if (!index) indexes.set(table, (index = paramIndex(table)));
  return index.get(param) ?? param;
}

export interface ErrorContext {
  operation: string;
  /** Overrides the derived code, e.g. `partial_create` for a failure after the user exists. */
  code?: ErrorCode | undefined;
  resource?: string | undefined;
  /** The resource's class (default `ClerkUser`) and the field table Clerk's blamed parameter is looked up in. */
  resourceType?: string | undefined;
  fields?: FieldTable | undefined;
  userId?: string | undefined;
  clerkId?: string | undefined;
  detail?: string | undefined;
}

/**
 * Turns whatever a gateway call threw into the one error type the provider reports: Clerk's status, code,
 * long message, trace id and blamed field, the resource and the operation. Never copies request data.
 */
export function toProviderError(err: unknown, ctx: ErrorContext): ClerkProviderError {
  const e = derive(err, ctx);
  const missingResource = ctx.resource !== undefined && e.resource === undefined;
  if ((ctx.code === undefined || e.code === ctx.code) && !missingResource) return e;
  return new ClerkProviderError({
    ...initOf(e),
    code: ctx.code ?? e.code,
    resource: e.resource ?? ctx.resource,
    cause: err,
  });
}

/** The constructor's view of an existing error (the constructor ignores `undefined` fields). */
function initOf(e: ClerkProviderError): ClerkProviderErrorInit {
  const { code, operation, resource, resourceType, userId, clerkId, status, clerkCode } = e;
  const { longMessage, traceId, field, detail } = e;
  return {
    code,
    operation,
    resource,
    resourceType,
    userId,
    clerkId,
    status,
    clerkCode,
    longMessage,
    traceId,
    field,
    detail,
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
  const { operation, resource, resourceType, userId, clerkId } = ctx;
  const base = { operation, resource, resourceType, userId, clerkId, detail, cause: err };
  const exhausted = budgetDetail ? ErrorCode.RetryBudgetExhausted : ErrorCode.ClerkApi;
  if (isClerkApiError(inner)) {
    const first = inner.errors[0];
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
      code: exhausted,
      status: inner.status,
      clerkCode: first?.code || undefined,
      longMessage: first?.longMessage || first?.message || undefined,
      traceId: inner.clerkTraceId || undefined,
      field: inputNameForParam(first?.meta?.paramName, ctx.fields),
    });
  }
  if (RequestTimeoutError.isInstance(inner)) {
    return new ClerkProviderError({
      ...base,
      code: ErrorCode.ClerkUnreachable,
      longMessage: "Clerk did not answer in time",
    });
  }
  return new ClerkProviderError({
    ...base,
    code: exhausted,
    longMessage: inner instanceof Error ? inner.message : String(inner),
  });
}
