/**
 * Why Clerk could not be reached, in words a person can act on. @clerk/backend reduces every transport failure
 * to "fetch failed" (it keeps only the message, not the cause), so `probeConnection` asks the API host once
 * more, without credentials, and `describeConnectionError` names the cause from Node's error chain:
 * connection refused, DNS, TLS, timeouts, a port fetch refuses to use.
 *
 * caller            -> request
 * probeConnection   -> HEAD <apiUrl>/ (no Authorization header, no body, redirects not followed)
 */

/** What the probe found. `reachable`: the host answered HTTP (any status), so the cause lies elsewhere. */
export type ConnectionProbe = { reachable: true; status: number } | { reachable: false; cause: string };

/** Node / undici codes, in the words we print. Codes not listed are printed as "network error (CODE)". */
const CAUSES: Readonly<Record<string, string>> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  ENOTFOUND: "DNS lookup failed: host not found",
  EAI_AGAIN: "DNS lookup failed: temporary failure",
  EAI_NONAME: "DNS lookup failed: host not found",
  EAI_FAIL: "DNS lookup failed",
  ETIMEDOUT: "connection timed out",
  UND_ERR_CONNECT_TIMEOUT: "connection timed out",
  UND_ERR_HEADERS_TIMEOUT: "no answer in time",
  UND_ERR_SOCKET: "connection closed",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ENETDOWN: "network down",
  EPIPE: "connection closed",
};

/** OpenSSL / Node certificate codes: the connection worked, the certificate did not. */
const CERTIFICATE_CODE = /CERT|SELF_SIGNED|UNABLE_TO_(VERIFY|GET)|ALTNAME/;
/** Other TLS failures, e.g. ERR_SSL_WRONG_VERSION_NUMBER (https to a plain-http port). */
const TLS_CODE = /^ERR_SSL_|^ERR_TLS_|SSL|TLS/;

/**
 * The cause of a transport failure, from the error and its `cause` chain (fetch's TypeError → SocketError /
 * system error). Pure. Only codes and fixed phrases are returned, never an error's free text: messages may
 * quote headers or URLs.
 */
export function describeConnectionError(err: unknown): string {
  let current: unknown = err;
  for (let depth = 0; depth < 6 && typeof current === "object" && current !== null; depth++) {
    const { code, name, message } = current as { code?: unknown; name?: unknown; message?: unknown };
    if (typeof code === "string" && code !== "") {
      const known = CAUSES[code];
      if (known !== undefined) return `${known} (${code})`;
      if (CERTIFICATE_CODE.test(code)) return `TLS certificate rejected (${code})`;
      if (TLS_CODE.test(code)) return `TLS handshake failed (${code})`;
    }
    if (name === "TimeoutError" || name === "AbortError") return "no answer in time";
    // undici refuses the Fetch standard's "bad ports" (1, 9, 25, 6000, …) before connecting.
    if (message === "bad port") return "the port is one fetch refuses to use (a reserved port such as 9); use another";
    current = (current as { cause?: unknown }).cause;
  }
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^[A-Z0-9_]+$/.test(code) ? `network error (${code})` : "network error";
}

export interface ProbeOptions {
  /** Give up after this long. Default 5000 ms. */
  timeoutMs?: number;
  /** Default `globalThis.fetch`, the one @clerk/backend uses. */
  fetch?: typeof fetch;
}

/**
 * Connects to the API host the way the SDK does (same `fetch`) and reports whether an HTTP answer came back,
 * or why not. Sends no credentials. Never throws.
 */
export async function probeConnection(apiUrl: string, opts: ProbeOptions = {}): Promise<ConnectionProbe> {
  const doFetch = opts.fetch ?? globalThis.fetch;
  try {
    const res = await doFetch(`${apiUrl}/`, {
      method: "HEAD",
      redirect: "manual",
      signal: AbortSignal.timeout(opts.timeoutMs ?? 5000),
    });
    await res.body?.cancel().catch(() => undefined);
    return { reachable: true, status: res.status };
  } catch (e) {
    return { reachable: false, cause: describeConnectionError(e) };
  }
}
