/**
 * Duck-typed view of `ClerkAPIResponseError` from @clerk/backend. We never use `instanceof`: the Pulumi host
 * may load another copy of @clerk/shared than the one the error came from.
 */
export interface ClerkApiErrorLike {
  clerkError: true;
  status?: number;
  clerkTraceId?: string;
  retryAfter?: number;
  errors: { code: string; message?: string; longMessage?: string; meta?: { paramName?: string } }[];
}

export function isClerkApiError(e: unknown): e is ClerkApiErrorLike {
  return (
    typeof e === "object" &&
    e !== null &&
    (e as { clerkError?: unknown }).clerkError === true &&
    Array.isArray((e as { errors?: unknown }).errors)
  );
}

/** The first Clerk error code of a response error, e.g. `form_identifier_exists`. */
export function clerkCodeOf(e: unknown): string | undefined {
  return isClerkApiError(e) ? e.errors[0]?.code : undefined;
}

/** A definite "this resource does not exist" from Clerk: HTTP 404. Never a network error or a 5xx. */
export function isNotFound(e: unknown): boolean {
  return isClerkApiError(e) && e.status === 404;
}

export function isIdentifierExists(e: unknown): boolean {
  return isClerkApiError(e) && e.status === 422 && e.errors.some((x) => x.code === "form_identifier_exists");
}
