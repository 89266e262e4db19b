import { ClerkProviderError, ErrorCode } from "../../../src/errors/ClerkProviderError";
import { toProviderError } from "../../../src/errors/toProviderError";
import { RequestTimeoutError } from "../../../src/scheduler/RequestTimeoutError";
import { RetryBudgetExhaustedError } from "../../../src/scheduler/RetryBudgetExhaustedError";

/** The shape @clerk/backend 3.25 throws (duck-typed, as the provider reads it). */
const clerkError = (status: number | undefined, code?: string, extra: Record<string, unknown> = {}) => ({
  clerkError: true,
  status,
  clerkTraceId: "trace_abc",
  errors: code
    ? [{ code, message: "short", longMessage: "That email address is taken.", meta: { paramName: "email_address" } }]
    : [],
  ...extra,
});

it("names the resource, user, operation, status, Clerk code, input field, long message and trace id", () => {
  const e = toProviderError(clerkError(422, "form_identifier_exists"), {
    operation: "update",
    resource: "qa-admin",
    userId: "user_1",
  });
  expect(e.message).toBe(
    'ClerkUser "qa-admin" (user_1): update failed [clerk_api_error]: Clerk 422 form_identifier_exists: ' +
      'field "emailAddresses": That email address is taken.: clerk_trace_id trace_abc',
  );
  expect(e).toMatchObject({
    code: "clerk_api_error",
    status: 422,
    clerkCode: "form_identifier_exists",
    field: "emailAddresses",
  });
  expect(ClerkProviderError.isInstance(e)).toBe(true);
  expect(ClerkProviderError.isInstance({ ...e })).toBe(true); // the brand survives copies across module instances
});

it("a response-less SDK error is 'unreachable', never a 404", () => {
  const e = toProviderError(clerkError(undefined), { operation: "read", userId: "user_1" });
  expect(e.code).toBe(ErrorCode.ClerkUnreachable);
  expect(e.status).toBeUndefined();
});

it("a spent retry budget keeps Clerk's last answer and says how many attempts were made", () => {
  const budget = new RetryBudgetExhaustedError({
    label: "GET /users/user_1",
    attempts: 7,
    elapsedMs: 2000,
    budgetMs: 2000,
    reason: "500 Internal Server Error",
    cause: clerkError(500, "internal_clerk_error"),
  });
  const e = toProviderError(budget, { operation: "read", resource: "u0", userId: "user_1" });
  expect(e.code).toBe(ErrorCode.RetryBudgetExhausted);
  expect(e.message).toContain("Clerk 500 internal_clerk_error");
  expect(e.message).toContain("gave up after 7 attempts (retry budget exhausted)");
});

it("an attempt timeout is 'unreachable'", () => {
  const e = toProviderError(new RequestTimeoutError("GET /users", 30_000), { operation: "read" });
  expect(e.code).toBe(ErrorCode.ClerkUnreachable);
  expect(e.message).toContain("Clerk did not answer in time");
});

it("a code override (partial create) keeps every detail", () => {
  const e = toProviderError(clerkError(422, "form_password_pwned"), {
    operation: "create",
    code: ErrorCode.PartialCreate,
    resource: "r",
    userId: "user_9",
    detail: "kept in state",
  });
  expect(e.code).toBe("partial_create");
  expect(e.message).toBe(
    'ClerkUser "r" (user_9): create failed [partial_create]: Clerk 422 form_password_pwned: field "emailAddresses": ' +
      "That email address is taken.: kept in state: clerk_trace_id trace_abc",
  );
});
