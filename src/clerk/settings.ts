import { ClerkProviderError, ErrorCode } from "../errors/ClerkProviderError";

/** Where the provider talks to Clerk and how politely. Resolved per call; never serialized, never in state. */
export interface ClerkSettings {
  secretKey: string;
  /** Normalised (`normalizeApiUrl`): no trailing `/` or `/v1`. */
  apiUrl: string;
  /** Override of Clerk's published instance limit (100 / 10 s development, 1000 / 10 s production). */
  maxRequestsPer10s?: number;
  maxConcurrency?: number;
  requestTimeoutMs?: number;
  retryBudgetMs?: number;
  /** `clerk:instanceId`: the instance (`ins_…`) this stack must talk to; any other fails every operation. */
  instanceId?: string;
}

export const DEFAULT_API_URL = "https://api.clerk.com";

/** A stack config reader as the dynamic-provider host hands it to `configure` (`config.get("clerk:secretKey")`). */
export interface ConfigReader {
  get(key: string): string | undefined;
}

/** Stack config keys, namespaced as the host delivers them, and their environment fallbacks. */
const KEYS = {
  secretKey: { config: "clerk:secretKey", env: "CLERK_SECRET_KEY" },
  apiUrl: { config: "clerk:apiUrl", env: "CLERK_API_URL" },
  maxRequestsPer10s: { config: "clerk:maxRequestsPer10s", env: "CLERK_MAX_REQUESTS_PER_10S" },
  maxConcurrency: { config: "clerk:maxConcurrency", env: "CLERK_MAX_CONCURRENCY" },
  requestTimeoutSeconds: { config: "clerk:requestTimeoutSeconds", env: "CLERK_REQUEST_TIMEOUT_SECONDS" },
  retryTimeoutSeconds: { config: "clerk:retryTimeoutSeconds", env: "CLERK_RETRY_TIMEOUT_SECONDS" },
  instanceId: { config: "clerk:instanceId", env: "CLERK_INSTANCE_ID" },
} as const;
type SettingName = keyof typeof KEYS;

/**
 * Values from stack config, captured by `configure` in this module's memory. The host loads the provider
 * runtime once per process, so this is per stack operation, and it is never part of the serialized provider.
 */
let fromConfig: Partial<Record<SettingName, string>> = {};

/** Called from the provider's `configure` hook with the whole stack config. */
export function configureSettings(config: ConfigReader | undefined): void {
  const next: Partial<Record<SettingName, string>> = {};
  for (const name of Object.keys(KEYS) as SettingName[]) {
    const v = config?.get(KEYS[name].config);
    if (typeof v === "string" && v !== "") next[name] = v;
  }
  fromConfig = next;
}

/** Test hook: forget what `configure` captured. */
export function resetConfiguredSettings(): void {
  fromConfig = {};
}

function raw(name: SettingName, env: NodeJS.ProcessEnv): string | undefined {
  return sourced(name, env)?.value;
}

/** The value of a setting and where it came from (the config key or the environment variable). */
function sourced(name: SettingName, env: NodeJS.ProcessEnv): { value: string; source: string } | undefined {
  const c = fromConfig[name];
  if (c !== undefined) return { value: c, source: KEYS[name].config };
  const e = env[KEYS[name].env];
  return e === undefined || e === "" ? undefined : { value: e, source: KEYS[name].env };
}

/** The outcome of checking an API URL: the normalised URL, or what is wrong with it (never quoting it). */
export type ApiUrlCheck = { ok: true; url: string } | { ok: false; problem: string };

/** A Clerk secret or publishable key somewhere in the value: someone pasted a key into the URL setting. */
const LOOKS_LIKE_KEY = /(^|[^A-Za-z0-9])[sp]k_(test|live)_/;

/**
 * Normalises a Clerk Backend API URL as `clerk:apiUrl`, `CLERK_API_URL` and `--api-url` give it: surrounding
 * whitespace is dropped, the host lowercased, and trailing `/` and `/v1` segments removed (the SDK appends
 * `/v1` itself, so `https://api.clerk.com/v1/` must not become `/v1/v1`). Only http(s) URLs without
 * credentials, query or fragment are accepted. Pure and idempotent; a `problem` never contains the value,
 * which may be a secret key pasted into the wrong setting.
 */
export function normalizeApiUrl(value: string): ApiUrlCheck {
  const text = value.trim();
  if (text === "") return { ok: false, problem: "it is empty" };
  if (LOOKS_LIKE_KEY.test(text)) {
    return { ok: false, problem: "it looks like a Clerk key, not a URL (are the key and the URL settings swapped?)" };
  }
  if (/[\s\u0000-\u001f\u007f-\u009f]/u.test(text)) return { ok: false, problem: "it is not a URL" };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, problem: "it is not a URL" };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { ok: false, problem: "it is not an http(s) URL" };
  if (url.username !== "" || url.password !== "") return { ok: false, problem: "it must not contain credentials" };
  if (url.search !== "" || url.hash !== "" || text.includes("?") || text.includes("#")) {
    return { ok: false, problem: "it must not contain a query or fragment" };
  }
  let path = url.pathname;
  for (;;) {
    const next = path.replace(/\/+$/, "").replace(/\/v1$/, "");
    if (next === path) break;
    path = next;
  }
  return { ok: true, url: `${url.protocol}//${url.host}${path}` };
}

/**
 * `normalizeApiUrl` for a setting read from `source` (a config key, an environment variable or a flag):
 * the normalised URL, or a `ClerkProviderError` (invalid_input) naming the source, never the value.
 */
export function resolveApiUrl(value: string, source: string, operation: string): string {
  const checked = normalizeApiUrl(value);
  if (checked.ok) return checked.url;
  throw new ClerkProviderError({
    code: ErrorCode.InvalidInput,
    operation,
    field: source,
    detail:
      `${source} must be an http(s) URL such as ${DEFAULT_API_URL}, but ${checked.problem}; ` +
      "the value is not shown because it may be a secret",
  });
}

function positive(name: SettingName, env: NodeJS.ProcessEnv, operation: string): number | undefined {
  const v = raw(name, env);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) {
    throw new ClerkProviderError({
      code: ErrorCode.InvalidInput,
      operation,
      field: KEYS[name].config,
      detail: `${KEYS[name].config} / ${KEYS[name].env} must be a positive number`,
    });
  }
  return n;
}

/** Values that win over stack config and the environment, e.g. the sweeper's `--api-url`. */
export interface SettingsOverrides {
  apiUrl?: { value: string; source: string };
}

/**
 * Stack config first (`clerk:secretKey`, `clerk:apiUrl`, ...), else the environment, read at call time so a
 * rotated `CLERK_SECRET_KEY` takes effect without a new deployment of the provider.
 */
export function resolveSettings(
  operation: string,
  env: NodeJS.ProcessEnv = process.env,
  overrides: SettingsOverrides = {},
): ClerkSettings {
  const secretKey = raw("secretKey", env);
  if (!secretKey) {
    throw new ClerkProviderError({
      code: ErrorCode.CredentialsMissing,
      operation,
      detail: "no Clerk secret key: run `pulumi config set --secret clerk:secretKey sk_...` or set CLERK_SECRET_KEY",
    });
  }
  const apiUrlSetting = overrides.apiUrl ?? sourced("apiUrl", env);
  const apiUrl = apiUrlSetting ? resolveApiUrl(apiUrlSetting.value, apiUrlSetting.source, operation) : DEFAULT_API_URL;
  const settings: ClerkSettings = { secretKey, apiUrl };
  const max = positive("maxRequestsPer10s", env, operation);
  if (max !== undefined) settings.maxRequestsPer10s = max;
  const conc = positive("maxConcurrency", env, operation);
  if (conc !== undefined) settings.maxConcurrency = Math.floor(conc);
  const timeout = positive("requestTimeoutSeconds", env, operation);
  if (timeout !== undefined) settings.requestTimeoutMs = timeout * 1000;
  const budget = positive("retryTimeoutSeconds", env, operation);
  if (budget !== undefined) settings.retryBudgetMs = budget * 1000;
  const pinned = raw("instanceId", env);
  if (pinned !== undefined) {
    if (!/^ins_[A-Za-z0-9]+$/.test(pinned)) {
      throw new ClerkProviderError({
        code: ErrorCode.InvalidInput,
        operation,
        field: KEYS.instanceId.config,
        detail: `${KEYS.instanceId.config} / ${KEYS.instanceId.env} must be a Clerk instance id (ins_…)`,
      });
    }
    settings.instanceId = pinned;
  }
  return settings;
}
