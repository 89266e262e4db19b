import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createControl, handleControlRequest, type ControlTarget, type LocalClerkControl } from "./control";
import {
  authenticationInvalid,
  authorizationHeaderFormatInvalid,
  ClerkApiError,
  clerkKeyInvalid,
  detail,
  injectedStatusError,
  organizationsNotEnabled,
  requestBodyInvalid,
  routeNotFound,
  tooManyRequests,
  unsupportedContentType,
} from "./errors";
import { echoesStatus, echoSubmitted, type SubmittedRequest } from "./echo";
import { FaultPlan, type FaultAction } from "./faults";
import { HANDLERS, ORGANIZATION_OPERATIONS, WRITE_BUDGETS } from "./handlers";
import { initialInstance, validateInstance, type EnvironmentType, type LocalInstance } from "./instance";
import type { HandlerContext } from "./handlers/context";
import { defaultOrganizationSettings } from "./organizationStore";
import { RateLimiter, type RateLimitConfig, type WriteKey } from "./rateLimiter";
import { redactAuthorization, RequestLog, type RequestLogEntry } from "./requestLog";
import { loadSpec, type Spec, type SpecOperation } from "./spec";
import { Store } from "./store";
import type { OrganizationSettings } from "./types";
import { toClerkValidationError } from "./validationErrors";

/**
 * HTTP plumbing for the local Clerk Backend API: control routes, request log, faults, auth, routing by the spec,
 * rate limiting, spec validation, then the operation handler. Responses always carry exactly
 * `Content-Type: application/json` — @clerk/backend only parses bodies with that exact header (NOTES §4.3).
 */

export const DEFAULT_SECRET_KEY = "sk_test_local_0000000000000000000000000000";

export interface LocalClerkOptions {
  /** 0 (default) picks an ephemeral port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Accepted secret keys; the first is `LocalClerk.secretKey`. Default: [DEFAULT_SECRET_KEY]. */
  secretKeys?: string[];
  rateLimit?: RateLimitConfig;
  /** Dev-instance user cap (Clerk: 100); not enforced unless set. */
  userQuota?: number;
  /** Clock in ms (timestamps, rate-limit windows). Default Date.now. */
  now?: () => number;
  /** `GET /v1/instance` id (`ins_…`). Default: a fresh random id per server, so two servers are two instances. */
  instanceId?: string;
  /** `GET /v1/instance` environment_type. Default: `production` for an `sk_live_` first key, else `development`. */
  environmentType?: EnvironmentType;
  /** Organization settings (enabled, roles, creator role, defaults of new organizations); see OrganizationSettings. */
  organizationSettings?: Partial<OrganizationSettings>;
}

export interface LocalClerk extends AsyncDisposable {
  /** `http://127.0.0.1:PORT`: pass as `apiUrl` to createClerkClient (the SDK appends `/v1`). */
  readonly url: string;
  readonly port: number;
  /** The first accepted secret key. */
  readonly secretKey: string;
  readonly secretKeys: readonly string[];
  /** The current instance id (`GET /v1/instance`; changeable with `control.setInstance`). */
  readonly instanceId: string;
  readonly environmentType: EnvironmentType;
  readonly control: LocalClerkControl;
  close(): Promise<void>;
}

interface Outcome {
  status: number;
  body: unknown;
  headers: Record<string, string>;
  userId?: string;
  organizationId?: string;
  unhandled?: boolean;
}

const JSON_HEADERS = { "Content-Type": "application/json" } as const;
const CONTROL_PREFIX = "/__control";

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...JSON_HEADERS, "Content-Length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

function errorOutcome(err: ClerkApiError, extra: Partial<Outcome> = {}): Outcome {
  return { status: err.status, body: err.toBody(), headers: err.headers, ...extra };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The resource a budgeted write is counted against (rateLimiter.ts), from the path params. */
function writeKey(budget: WriteKey["scope"] | undefined, params: Record<string, string>): WriteKey | undefined {
  const userId = params["user_id"] ?? "";
  const organizationId = params["organization_id"] ?? "";
  switch (budget) {
    case "user":
      return { scope: "user", id: userId };
    case "organization":
      return { scope: "organization", id: organizationId };
    case "membership":
      return { scope: "membership", id: `${organizationId}/${userId}` };
    case undefined:
      return undefined;
  }
}

class LocalClerkServer implements ControlTarget {
  readonly store = new Store();
  private readonly log = new RequestLog();
  private readonly faults = new FaultPlan();
  private limiter: RateLimiter | null;
  private userQuota: number | null;
  private organizationSettings: OrganizationSettings;
  private readonly startInstance: LocalInstance;
  instance: LocalInstance;
  readonly now: () => number;
  readonly control: LocalClerkControl;

  constructor(
    private readonly spec: Spec,
    private readonly options: LocalClerkOptions,
    readonly secretKeys: readonly string[],
  ) {
    this.now = options.now ?? Date.now;
    this.limiter = options.rateLimit ? new RateLimiter(options.rateLimit) : null;
    this.userQuota = options.userQuota ?? null;
    this.organizationSettings = defaultOrganizationSettings(options.organizationSettings);
    this.startInstance = initialInstance(options, secretKeys[0]!);
    this.instance = { ...this.startInstance };
    this.control = createControl(this);
  }

  // ---- ControlTarget ----
  resetAll(): void {
    this.store.reset();
    this.log.clear();
    this.faults.clear();
    this.faults.setRandom(null);
    this.faults.echoSubmittedValues = false;
    this.limiter = this.options.rateLimit ? new RateLimiter(this.options.rateLimit) : null;
    this.userQuota = this.options.userQuota ?? null;
    this.organizationSettings = defaultOrganizationSettings(this.options.organizationSettings);
    this.instance = { ...this.startInstance };
  }
  requests = () => this.log.all();
  clearRequests = () => this.log.clear();
  countRequests = (filter: Parameters<RequestLog["count"]>[0]) => this.log.count(filter);
  injectFault = (f: Parameters<FaultPlan["inject"]>[0]) => this.faults.inject(f);
  clearFaults = () => this.faults.clear();
  pendingFaults = () => this.faults.pending();
  setRandomFaults = (c: Parameters<FaultPlan["setRandom"]>[0]) => this.faults.setRandom(c);
  setEchoSubmittedValues = (on: boolean) => void (this.faults.echoSubmittedValues = on);
  echoesSubmittedValues = () => this.faults.echoSubmittedValues;
  setRateLimit = (c: RateLimitConfig | null) => void (this.limiter = c ? new RateLimiter(c) : null);
  setUserQuota = (q: number | null) => void (this.userQuota = q);
  specStats = () => this.spec.stats;
  getOrganizationSettings = (): OrganizationSettings => structuredClone(this.organizationSettings);
  setOrganizationSettings = (partial: Partial<OrganizationSettings>): OrganizationSettings => {
    this.organizationSettings = defaultOrganizationSettings({ ...this.organizationSettings, ...partial });
    return this.getOrganizationSettings();
  };
  getInstance = (): LocalInstance => ({ ...this.instance });
  setInstance = (partial: Partial<LocalInstance>): LocalInstance => {
    const valid = validateInstance(partial);
    this.instance = {
      id: valid.id ?? this.instance.id,
      environmentType: valid.environmentType ?? this.instance.environmentType,
    };
    return this.getInstance();
  };

  // ---- HTTP ----
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://local-clerk");
    const method = (req.method ?? "GET").toUpperCase();
    const path = url.pathname;
    const raw = await readBody(req);

    if (path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`)) {
      let body: unknown = undefined;
      try {
        body = raw.length > 0 ? JSON.parse(raw) : undefined;
      } catch {
        send(res, 400, { error: "control body must be JSON" });
        return;
      }
      const out = handleControlRequest(
        this.control,
        method,
        path.slice(CONTROL_PREFIX.length) || "/",
        url.searchParams,
        body,
      );
      send(res, out.status, out.body);
      return;
    }

    const at = this.now();
    let body: unknown = undefined;
    let malformed = false;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw);
      } catch {
        malformed = true;
        body = raw;
      }
    }
    const operation = this.spec.match(method, path);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (v === undefined) continue;
      const value = Array.isArray(v) ? v.join(", ") : v;
      headers[k] = k === "authorization" ? redactAuthorization(value) : value;
    }
    const query = this.parseQuery(url.searchParams, operation);
    const base: Omit<RequestLogEntry, "seq" | "status"> = {
      method,
      path,
      query,
      headers,
      body,
      at,
      ...(operation?.operationId ? { operationId: operation.operationId } : {}),
    };

    const submitted: SubmittedRequest = { body, query, rawBody: raw, rawQuery: url.search.slice(1) };
    const fault: FaultAction | undefined = this.faults.take(method, path);
    if (fault?.kind === "latency") await sleep(fault.ms);
    if (fault?.kind === "reset") {
      this.log.add({ ...base, status: 0, fault: "reset" });
      req.socket.destroy();
      return;
    }
    if (fault?.kind === "status") {
      const out = errorOutcome(injectedStatusError(fault.status, fault.code, fault.retryAfterSeconds));
      this.finish(res, base, out, submitted, "status");
      return;
    }

    const out = this.process(req, method, path, query, raw, body, malformed, operation);
    if (fault?.kind === "commitThenDrop") {
      this.log.add({ ...base, ...this.logFields(out), fault: "commitThenDrop" });
      req.socket.destroy();
      return;
    }
    this.finish(res, base, out, submitted, fault?.kind);
  }

  private logFields(
    out: Outcome,
  ): Pick<RequestLogEntry, "status" | "userId" | "organizationId" | "errorCode" | "unhandled"> {
    const code = (out.body as { errors?: Array<{ code?: string }> } | null)?.errors?.[0]?.code;
    return {
      status: out.status,
      ...(out.userId !== undefined ? { userId: out.userId } : {}),
      ...(out.organizationId !== undefined ? { organizationId: out.organizationId } : {}),
      ...(out.status >= 400 && code !== undefined ? { errorCode: code } : {}),
      ...(out.unhandled ? { unhandled: true } : {}),
    };
  }

  private finish(
    res: ServerResponse,
    base: Omit<RequestLogEntry, "seq" | "status">,
    out: Outcome,
    submitted: SubmittedRequest,
    fault?: string,
  ): void {
    const echoed =
      this.faults.echoSubmittedValues && echoesStatus(out.status) ? echoSubmitted(out.body, submitted) : undefined;
    this.log.add({
      ...base,
      ...this.logFields(out),
      ...(fault ? { fault } : {}),
      ...(echoed !== undefined ? { echoed: true } : {}),
    });
    send(res, out.status, echoed ?? out.body, out.headers);
  }

  /** Repeated keys, and params the operation declares as arrays, become arrays. */
  private parseQuery(params: URLSearchParams, operation: SpecOperation | undefined): Record<string, string | string[]> {
    const out: Record<string, string | string[]> = {};
    for (const key of new Set(params.keys())) {
      const values = params.getAll(key);
      const isArray =
        values.length > 1 || (operation !== undefined && this.spec.queryParamType(operation, key) === "array");
      out[key] = isArray ? values : (values[0] ?? "");
    }
    return out;
  }

  private authenticate(req: IncomingMessage): ClerkApiError | undefined {
    const header = req.headers.authorization;
    if (header === undefined || header.trim() === "") return authenticationInvalid();
    const m = /^Bearer\s+(\S+)$/i.exec(header.trim());
    if (!m) return authorizationHeaderFormatInvalid();
    return this.secretKeys.includes(m[1]!) ? undefined : clerkKeyInvalid();
  }

  private process(
    req: IncomingMessage,
    method: string,
    path: string,
    query: Record<string, string | string[]>,
    raw: string,
    body: unknown,
    malformed: boolean,
    operation: SpecOperation | undefined,
  ): Outcome {
    const authError = this.authenticate(req);
    if (authError) return errorOutcome(authError);
    if (!operation?.operationId) {
      return errorOutcome(routeNotFound(method, path, "no such route in the Clerk Backend API spec 2026-05-12"), {
        unhandled: true,
      });
    }
    const operationId = operation.operationId;
    const handler = HANDLERS[operationId];
    if (!handler) {
      return errorOutcome(
        routeNotFound(
          method,
          path,
          `operation ${operationId} exists in the spec but local-clerk does not implement it`,
        ),
        {
          unhandled: true,
        },
      );
    }
    const params = this.spec.pathParams(operation, path);
    const userId = params["user_id"];
    const organizationId = params["organization_id"];
    const ids: { userId?: string; organizationId?: string } = {
      ...(userId !== undefined ? { userId } : {}),
      ...(organizationId !== undefined ? { organizationId } : {}),
    };

    if (this.limiter) {
      const decision = this.limiter.check(this.now(), writeKey(WRITE_BUDGETS[operationId], params));
      if (!decision.allowed) return errorOutcome(tooManyRequests(decision.retryAfterSeconds), ids);
    }
    if (ORGANIZATION_OPERATIONS.has(operationId) && !this.organizationSettings.enabled)
      return errorOutcome(organizationsNotEnabled(), ids);
    const contentType = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
    if (raw.length > 0 && contentType !== "application/json")
      return errorOutcome(unsupportedContentType(contentType || "(none)"), ids);
    if (malformed) return errorOutcome(requestBodyInvalid(), ids);

    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers[k] = v;
    const validation = this.spec.validateRequest(operation, { method, path, query, headers, body });
    const invalid = toClerkValidationError(validation.errors);
    if (invalid) return errorOutcome(invalid, ids);

    const ctx: HandlerContext = {
      store: this.store,
      now: this.now(),
      params,
      query: validation.query,
      body: typeof body === "object" && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {},
      userQuota: this.userQuota,
      instance: { ...this.instance },
      organizationSettings: this.organizationSettings,
      setUserId: (id) => void (ids.userId = id),
      setOrganizationId: (id) => void (ids.organizationId = id),
    };
    try {
      const result = handler(ctx);
      return { status: result.status, body: result.body, headers: {}, ...ids };
    } catch (err) {
      if (err instanceof ClerkApiError) return errorOutcome(err, ids);
      // a bug in local-clerk: loud 500 naming the cause, never a silent success
      const message = err instanceof Error ? err.message : String(err);
      process.stderr.write(
        `local-clerk: handler ${operationId} crashed: ${err instanceof Error ? err.stack : message}\n`,
      );
      return errorOutcome(
        new ClerkApiError(500, [
          detail(
            "internal_clerk_error",
            "Oops, an unexpected error occurred",
            `local-clerk handler ${operationId} crashed: ${message}`,
          ),
        ]),
        ids,
      );
    }
  }
}

/** Starts a local Clerk Backend API server. Await `close()` (or `await using`) to free the port. */
export async function startLocalClerk(opts: LocalClerkOptions = {}): Promise<LocalClerk> {
  const spec = await loadSpec();
  const secretKeys = opts.secretKeys && opts.secretKeys.length > 0 ? [...opts.secretKeys] : [DEFAULT_SECRET_KEY];
  const state = new LocalClerkServer(spec, opts, secretKeys);
  const server: Server = createServer((req, res) => {
    state.handle(req, res).catch((err: unknown) => {
      process.stderr.write(`local-clerk: request failed: ${err instanceof Error ? err.stack : String(err)}\n`);
      if (!res.headersSent)
        send(res, 500, new ClerkApiError(500, [detail("internal_clerk_error", "Oops", String(err))]).toBody());
      else res.destroy();
    });
  });
  // Only the client closes an idle keep-alive connection. With Node's default (close after 5 s idle, plus a 1 s
  // buffer), a client whose event loop was busy for that long reuses the socket just as the server closes it;
  // the request then meets a closed socket and fails with ECONNRESET. With no server-side idle timeout the
  // response carries no `Keep-Alive: timeout` hint, undici closes idle sockets after its own 4 s, and
  // close() ends whatever is still open.
  server.keepAliveTimeout = 0;
  const host = opts.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= new Promise<void>((resolve, reject) => {
      server.close((err) => (err ? reject(err) : resolve()));
      server.closeAllConnections(); // keep-alive sockets from fetch would otherwise hold the port open
    });
    return closed;
  };
  return {
    url: `http://${urlHost}:${port}`,
    port,
    secretKey: secretKeys[0]!,
    secretKeys,
    get instanceId() {
      return state.instance.id;
    },
    get environmentType() {
      return state.instance.environmentType;
    },
    control: state.control,
    close,
    [Symbol.asyncDispose]: close,
  };
}
