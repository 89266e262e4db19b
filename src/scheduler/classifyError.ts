import { RequestTimeoutError } from "./RequestTimeoutError";
import type { FailureClass } from "./types";

export { RequestTimeoutError } from "./RequestTimeoutError";

/**
 * Decides whether a failed Clerk call is worth another attempt.
 *
 * Retried: 429 (with Clerk's Retry-After), 500/502/503/504, network failures and our own attempt timeout.
 * Not retried: every other 4xx (the request itself is wrong; repeating it cannot help) and anything unknown.
 *
 * Everything is duck-typed on properties (`status`, `retryAfter`, `errors[0].code`, Node's `code`), never
 * `instanceof` an SDK class: the Pulumi host may load several copies of @clerk/shared, and a dynamic provider
 * is serialized and reloaded in another process. The `reason` is always one of a fixed set of strings
 * (status text, error code or a matched phrase), never free text from the error, so it cannot leak secrets.
 */
export function classifyError(err: unknown): FailureClass {
  if (RequestTimeoutError.isInstance(err)) {
    return { retry: true, reason: `no response within ${(err.timeoutMs / 1000).toFixed(1)} s` };
  }
  const status = prop(err, "status");
  if (typeof status === "number") {
    if (status === 429) return { retry: true, reason: "429 Too Many Requests", retryAfterMs: retryAfterMs(err) };
    const text = RETRYABLE_STATUS[status];
    if (text !== undefined) return { retry: true, reason: `${status} ${text}` };
    return { retry: false };
  }
  const network = networkReason(err);
  return network === undefined ? { retry: false } : { retry: true, reason: network };
}

/** Default wait when a 429 carries no usable Retry-After. */
export const DEFAULT_RETRY_AFTER_MS = 1000;

const RETRYABLE_STATUS: Readonly<Record<number, string>> = {
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/** Node / undici error codes of transient connection trouble. ENOTFOUND is left out: a wrong apiUrl is not transient. */
const NETWORK_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

/**
 * Message phrases of transient network failures. undici wraps every connection error (refused, reset, closed
 * before the response) as "fetch failed", and a body cut off mid-stream as "terminated" (both verified through
 * @clerk/backend 3.25 against a local server).
 */
const NETWORK_PHRASES = ["fetch failed", "terminated", "other side closed", "socket hang up"];

/**
 * @clerk/backend turns *any* exception while sending or decoding into `status: undefined` plus
 * `errors[0].code === "unexpected_error"` with the exception's message. Network failures ("fetch failed")
 * are transient; a bug while decoding the response (e.g. "Cannot read properties of undefined (reading 'map')"
 * from `fromJSON`) is not, and retrying it for five minutes would only hide it.
 */
const PROGRAMMING_ERROR = /Cannot read propert|is not a function|is not iterable|is not defined|is not a constructor/;

function networkReason(err: unknown): string | undefined {
  // The SDK's wrapped form: status undefined, errors[0].code "unexpected_error".
  const errors = prop(err, "errors");
  if (Array.isArray(errors) && errors.length > 0) {
    const first: unknown = errors[0];
    if (prop(first, "code") !== "unexpected_error") return undefined;
    const message = prop(first, "message");
    const text = typeof message === "string" ? message : "";
    if (PROGRAMMING_ERROR.test(text)) return undefined;
    return matchedPhrase(text) ?? matchedCode(text) ?? "network error";
  }
  // Same failure when the thrown value is not an `Error` of the SDK's realm (seen under Jest's VM): the SDK
  // then parses the exception as a body and finds no errors. A Clerk error without status had no response.
  if (prop(err, "clerkError") === true && Array.isArray(errors) && errors.length === 0) return "no response";
  // Raw Node/undici errors, following the `cause` chain (fetch failed → SocketError → ...).
  let current: unknown = err;
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth++) {
    const code = prop(current, "code");
    if (typeof code === "string" && NETWORK_CODES.has(code)) return code;
    const message = prop(current, "message");
    if (typeof message === "string") {
      const hit = matchedCode(message) ?? matchedPhrase(message);
      if (hit !== undefined) return hit;
    }
    current = prop(current, "cause");
  }
  return undefined;
}

function matchedPhrase(text: string): string | undefined {
  const lower = text.toLowerCase();
  return NETWORK_PHRASES.find((p) => lower.includes(p));
}

function matchedCode(text: string): string | undefined {
  for (const code of NETWORK_CODES) if (text.includes(code)) return code;
  return undefined;
}

/** Clerk's Retry-After (the SDK parses it to integer seconds) in ms; the default when absent or unusable. */
function retryAfterMs(err: unknown): number {
  const seconds = prop(err, "retryAfter");
  return typeof seconds === "number" && Number.isFinite(seconds) && seconds > 0
    ? seconds * 1000
    : DEFAULT_RETRY_AFTER_MS;
}

function prop(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}
