import { classifyError, RequestTimeoutError } from "../../../src/scheduler/classifyError";

/** The shape @clerk/backend 3.25 throws (NOTES §4.5), built by hand: we duck-type, so no SDK class is needed. */
function clerkError(status: number | undefined, extra: Record<string, unknown> = {}, errors?: unknown[]): Error {
  return Object.assign(new Error(""), {
    name: "ClerkAPIResponseError",
    clerkError: true,
    code: "api_response_error",
    status,
    clerkTraceId: "trace_1",
    errors: errors ?? [{ code: "some_code", message: "m", longMessage: "lm", meta: {} }],
    ...extra,
  });
}

describe("classifyError", () => {
  it("429 → retry with Retry-After in ms", () => {
    expect(classifyError(clerkError(429, { retryAfter: 7 }))).toEqual({
      retry: true,
      reason: "429 Too Many Requests",
      retryAfterMs: 7000,
    });
  });

  it.each([[undefined], [0], [-3], [Number.NaN]])("429 with unusable Retry-After %p → 1 s", (retryAfter) => {
    expect(classifyError(clerkError(429, { retryAfter }))).toEqual({
      retry: true,
      reason: "429 Too Many Requests",
      retryAfterMs: 1000,
    });
  });

  it.each([
    [500, "500 Internal Server Error"],
    [502, "502 Bad Gateway"],
    [503, "503 Service Unavailable"],
    [504, "504 Gateway Timeout"],
  ])("%i → retry", (status, reason) => {
    expect(classifyError(clerkError(status))).toEqual({ retry: true, reason });
  });

  it.each([400, 401, 402, 403, 404, 409, 410, 422, 501, 505])("%i → no retry", (status) => {
    expect(classifyError(clerkError(status))).toEqual({ retry: false });
  });

  it("SDK network failure (status undefined, unexpected_error 'fetch failed') → retry", () => {
    const err = clerkError(undefined, {}, [{ code: "unexpected_error", message: "fetch failed" }]);
    expect(classifyError(err)).toEqual({ retry: true, reason: "fetch failed" });
  });

  it("SDK unexpected_error 'terminated' (response body cut off mid-stream) → retry", () => {
    const err = clerkError(undefined, {}, [{ code: "unexpected_error", message: "terminated" }]);
    expect(classifyError(err)).toEqual({ retry: true, reason: "terminated" });
  });

  it("SDK unexpected_error with an unrecognised message → retry as a generic network error", () => {
    const err = clerkError(undefined, {}, [{ code: "unexpected_error", message: "something odd" }]);
    expect(classifyError(err)).toEqual({ retry: true, reason: "network error" });
  });

  it("SDK unexpected_error naming a socket code → retry with that code", () => {
    const err = clerkError(undefined, {}, [{ code: "unexpected_error", message: "read ECONNRESET" }]);
    expect(classifyError(err)).toEqual({ retry: true, reason: "ECONNRESET" });
  });

  it("SDK unexpected_error from a decoding bug → no retry (it would fail the same way every time)", () => {
    const err = clerkError(undefined, {}, [
      { code: "unexpected_error", message: "Cannot read properties of undefined (reading 'map')" },
    ]);
    expect(classifyError(err)).toEqual({ retry: false });
  });

  it("status undefined with another Clerk code → no retry", () => {
    expect(classifyError(clerkError(undefined, {}, [{ code: "form_param_missing", message: "x" }]))).toEqual({
      retry: false,
    });
  });

  it.each(["ECONNRESET", "ECONNREFUSED", "ETIMEDOUT", "UND_ERR_SOCKET", "EAI_AGAIN"])(
    "raw Node error with code %s → retry",
    (code) => {
      expect(classifyError(Object.assign(new Error(`connect ${code} 127.0.0.1:1`), { code }))).toEqual({
        retry: true,
        reason: code,
      });
    },
  );

  it("undici's TypeError('fetch failed') with the socket error as cause → retry with the cause's code", () => {
    const cause = Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" });
    expect(classifyError(new TypeError("fetch failed", { cause }))).toEqual({ retry: true, reason: "fetch failed" });
    expect(classifyError(new Error("wrapper", { cause }))).toEqual({ retry: true, reason: "UND_ERR_SOCKET" });
  });

  it("'other side closed' message alone → retry", () => {
    expect(classifyError(new Error("other side closed"))).toEqual({ retry: true, reason: "other side closed" });
  });

  it("ENOTFOUND (wrong apiUrl) → no retry", () => {
    expect(
      classifyError(Object.assign(new Error("getaddrinfo ENOTFOUND api.clerk.con"), { code: "ENOTFOUND" })),
    ).toEqual({
      retry: false,
    });
  });

  it("our own attempt timeout → retry", () => {
    expect(classifyError(new RequestTimeoutError("GET /users", 30_000))).toEqual({
      retry: true,
      reason: "no response within 30.0 s",
    });
  });

  it("a timeout error from another module copy (same brand, different class) → retry", () => {
    const foreign = { kind: "pulumi-clerk/RequestTimeoutError", timeoutMs: 5000, message: "x" };
    expect(classifyError(foreign)).toEqual({ retry: true, reason: "no response within 5.0 s" });
  });

  it.each([[new Error("boom")], [new TypeError("x is not a function")], ["a string"], [null], [undefined], [42]])(
    "anything else (%p) → no retry",
    (err) => {
      expect(classifyError(err)).toEqual({ retry: false });
    },
  );

  it("never echoes free text from the error into the reason", () => {
    const err = clerkError(undefined, {}, [{ code: "unexpected_error", message: "fetch failed sk_test_SECRET" }]);
    const verdict = classifyError(err);
    expect(verdict).toEqual({ retry: true, reason: "fetch failed" });
  });
});
