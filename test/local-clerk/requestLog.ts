import type { PathMatcher } from "./faults";
import { matches } from "./faults";

/** One Clerk API request as the server saw it (control requests are not logged). */
export interface RequestLogEntry {
  seq: number;
  method: string;
  /** Path without the query string, e.g. `/v1/users/user_…`. */
  path: string;
  /** Parsed query; repeated keys and params the spec declares as arrays are arrays. */
  query: Record<string, string | string[]>;
  /** Lower-cased request headers; Authorization redacted to `Bearer sk_…last4`. */
  headers: Record<string, string>;
  /** Parsed JSON body (raw string if it was not JSON; undefined if none). */
  body: unknown;
  /** Status sent (or, for commitThenDrop, computed but never delivered); 0 when the socket was reset first. */
  status: number;
  /** The user the request concerned, when known. */
  userId?: string;
  /** The organization the request concerned (its path id, or the created one), when known. */
  organizationId?: string;
  /** Request time in ms. */
  at: number;
  /** Spec operationId, when the route matched one. */
  operationId?: string;
  /** Injected fault applied to this request, if any ("status", "reset", "commitThenDrop", "latency", "rateLimit"). */
  fault?: string;
  /** True when the echo fault rewrote this error response to repeat the submitted values. */
  echoed?: boolean;
  /** First Clerk error code of an error response. */
  errorCode?: string;
  /** True when the loud 404 fallback answered (a route local-clerk does not implement). */
  unhandled?: boolean;
}

export interface RequestFilter {
  method?: string;
  path?: PathMatcher;
}

export function redactAuthorization(value: string): string {
  const m = /^Bearer\s+(.+)$/i.exec(value.trim());
  if (!m) return "REDACTED";
  const key = m[1]!;
  const prefix = key.startsWith("sk_") ? "sk_" : "";
  return `Bearer ${prefix}…${key.slice(-4)}`;
}

/**
 * Jest prints a value through its `toJSON` (pretty-format's `callToJSON`), and prints a failed `toHaveLength` on one
 * line: a dozen log entries with every header made a 3 KB line. A non-enumerable `toJSON` keeps failure output to
 * the one header tests assert on, without changing equality (matchers compare enumerable keys) or lookups.
 */
function printHeadersBriefly(headers: Record<string, string>): void {
  const brief = `${Object.keys(headers).length} headers, authorization: ${headers["authorization"] ?? "(none)"}`;
  Object.defineProperty(headers, "toJSON", { value: () => brief, enumerable: false });
}

export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private nextSeq = 1;

  add(entry: Omit<RequestLogEntry, "seq">): RequestLogEntry {
    const full: RequestLogEntry = { seq: this.nextSeq++, ...entry };
    this.entries.push(full);
    return full;
  }

  all(): RequestLogEntry[] {
    const copies = structuredClone(this.entries);
    for (const e of copies) printHeadersBriefly(e.headers);
    return copies;
  }

  clear(): void {
    this.entries = [];
  }

  count(filter: RequestFilter = {}): number {
    return this.entries.filter((e) => matches(filter, e.method, e.path)).length;
  }
}
