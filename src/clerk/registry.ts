/**
 * One entry per Clerk instance per process: the resolved settings, the SDK client, the scheduler (rate limits,
 * retries) and the read path. Clerk rate-limits per secret key, and a provider host runs hundreds of resource
 * operations at once, so they must all share one entry or each would believe it has the whole limit.
 *
 * The key is the normalised API URL plus a SHA-256 hash of the secret key; the key itself is kept only inside
 * the SDK client.
 */
import * as clerkBackend from "@clerk/backend";
import { createHash } from "node:crypto";
import { createScheduler } from "../scheduler";
import { defaultRequestsPer10s, defaultSharedWindow, DEV_REQUESTS_PER_10S } from "../scheduler/registry";
import type { SharedWindow } from "../scheduler/sharedWindow";
import type { Clock, RequestSpec, Scheduler } from "../scheduler/types";
import { ClerkProviderError, ErrorCode } from "../errors/ClerkProviderError";
import { fetchInstanceIdentity, type InstanceIdentity } from "./instance";
import { createReader, type Reader } from "./reader";
import type { ClerkSettings } from "./settings";

export type ClerkClient = ReturnType<typeof clerkBackend.createClerkClient>;

/** How a call is scheduled: reads may be answered from a snapshot; writes make it stale. */
export interface CallSpec {
  label: string;
  write: boolean;
  /** The user whose per-user write limit the call counts against (PATCH user and metadata). */
  userWrite?: string;
}

/** Runs one SDK call through the instance's scheduler. */
export type Call = <T>(spec: CallSpec, fn: () => Promise<T>) => Promise<T>;

export interface ClerkInstance {
  settings: ClerkSettings;
  client: ClerkClient;
  scheduler: Scheduler;
  call: Call;
  reader: Reader;
  /**
   * Which instance the key belongs to (`GET /v1/instance`): asked once per process, concurrent callers share
   * the request, a failure is not kept. Fails with `instance_mismatch` when `clerk:instanceId` pins another.
   */
  identity(): Promise<InstanceIdentity>;
}

export interface InstanceOptions {
  log?: (message: string) => void;
  /** Debug-level log (each change of the adaptive rate limit). */
  debug?: (message: string) => void;
  /** Injected time for the scheduler (tests). */
  clock?: Clock;
}

const instances = new Map<string, ClerkInstance>();
/** The same-machine shared windows the registry opened, closed on reset. */
const sharedWindows: SharedWindow[] = [];

/** `https://api.clerk.com/` and `https://api.clerk.com` are the same instance. */
export function instanceKey(settings: Pick<ClerkSettings, "apiUrl" | "secretKey">): string {
  const url = settings.apiUrl.trim().replace(/\/+$/, "");
  const hash = createHash("sha256").update(settings.secretKey, "utf8").digest("hex");
  return `${url} sha256:${hash}`;
}

/**
 * The process-wide entry of the instance `settings` names, created on first use. Tuning (limits, timeouts)
 * comes from the first call: one instance has one scheduler, whatever later callers ask for.
 */
export function instanceFor(settings: ClerkSettings, opts: InstanceOptions = {}): ClerkInstance {
  const key = instanceKey(settings);
  let instance = instances.get(key);
  if (!instance) {
    instance = createInstance(settings, opts);
    instances.set(key, instance);
  }
  return instance;
}

/** Map keys currently registered (URL + key hash), for diagnostics and tests. */
export function registeredInstanceKeys(): string[] {
  return [...instances.keys()];
}

/** Test hook: forget every instance, so changed settings take effect. Running calls keep their entry. */
export function resetInstances(): void {
  instances.clear();
  for (const w of sharedWindows.splice(0)) w.close();
}

function createInstance(settings: ClerkSettings, opts: InstanceOptions): ClerkInstance {
  const client = clerkBackend.createClerkClient({
    secretKey: settings.secretKey,
    apiUrl: settings.apiUrl,
    userAgent: "pulumi-clerk",
  });
  const shared = defaultSharedWindow(settings, opts, process.env);
  if (shared !== undefined) sharedWindows.push(shared);
  const scheduler = createScheduler({
    maxRequestsPer10s: settings.maxRequestsPer10s ?? defaultRequestsPer10s(settings.secretKey),
    ...(settings.maxConcurrency !== undefined ? { maxConcurrency: settings.maxConcurrency } : {}),
    ...(settings.requestTimeoutMs !== undefined ? { requestTimeoutMs: settings.requestTimeoutMs } : {}),
    ...(settings.retryBudgetMs !== undefined ? { retryBudgetMs: settings.retryBudgetMs } : {}),
    ...(opts.log ? { log: opts.log } : {}),
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.debug ? { debug: opts.debug } : {}),
    ...(shared !== undefined ? { sharedWindow: shared } : {}),
  });
  const writeListeners: (() => void)[] = [];
  const call: Call = (spec, fn) => {
    if (spec.write) for (const listener of writeListeners) listener();
    const request: RequestSpec = { label: spec.label, ...(spec.userWrite ? { userWrite: spec.userWrite } : {}) };
    return scheduler.run(request, fn);
  };
  const reader = createReader({
    client,
    call,
    development: defaultRequestsPer10s(settings.secretKey) === DEV_REQUESTS_PER_10S,
  });
  writeListeners.push(() => reader.invalidate());
  let identity: Promise<InstanceIdentity> | undefined;
  const ask = async (): Promise<InstanceIdentity> => {
    const got = await fetchInstanceIdentity(client, {
      run: (label, attempt) => call({ label, write: false }, attempt),
    });
    if (settings.instanceId !== undefined && got.id !== settings.instanceId)
      throw pinMismatch(settings.instanceId, got.id);
    return got;
  };
  const identityOnce = (): Promise<InstanceIdentity> => {
    identity ??= ask().catch((e: unknown) => {
      identity = undefined;
      throw e;
    });
    return identity;
  };
  return { settings, client, scheduler, call, reader, identity: identityOnce };
}

function pinMismatch(pinned: string, actual: string): ClerkProviderError {
  return new ClerkProviderError({
    code: ErrorCode.InstanceMismatch,
    operation: "connect",
    detail:
      `the secret key belongs to Clerk instance ${actual}, but clerk:instanceId pins ${pinned}: ` +
      "use that instance's secret key (and API URL), or change clerk:instanceId",
  });
}
