import { ClerkProviderError, ErrorCode } from "../errors/ClerkProviderError";

/** Where the provider talks to Clerk and how politely. Resolved per call; never serialized, never in state. */
export interface ClerkSettings {
  secretKey: string;
  apiUrl: string;
  /** Override of Clerk's published instance limit (100 / 10 s development, 1000 / 10 s production). */
  maxRequestsPer10s?: number;
  maxConcurrency?: number;
  requestTimeoutMs?: number;
  retryBudgetMs?: number;
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
  const c = fromConfig[name];
  if (c !== undefined) return c;
  const e = env[KEYS[name].env];
  return e === undefined || e === "" ? undefined : e;
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

/**
 * Stack config first (`clerk:secretKey`, `clerk:apiUrl`, ...), else the environment, read at call time so a
 * rotated `CLERK_SECRET_KEY` takes effect without a new deployment of the provider.
 */
export function resolveSettings(operation: string, env: NodeJS.ProcessEnv = process.env): ClerkSettings {
  const secretKey = raw("secretKey", env);
  if (!secretKey) {
    throw new ClerkProviderError({
      code: ErrorCode.CredentialsMissing,
      operation,
      detail: "no Clerk secret key: run `pulumi config set --secret clerk:secretKey sk_...` or set CLERK_SECRET_KEY",
    });
  }
  const settings: ClerkSettings = { secretKey, apiUrl: raw("apiUrl", env) ?? DEFAULT_API_URL };
  const max = positive("maxRequestsPer10s", env, operation);
  if (max !== undefined) settings.maxRequestsPer10s = max;
  const conc = positive("maxConcurrency", env, operation);
  if (conc !== undefined) settings.maxConcurrency = Math.floor(conc);
  const timeout = positive("requestTimeoutSeconds", env, operation);
  if (timeout !== undefined) settings.requestTimeoutMs = timeout * 1000;
  const budget = positive("retryTimeoutSeconds", env, operation);
  if (budget !== undefined) settings.retryBudgetMs = budget * 1000;
  return settings;
}
