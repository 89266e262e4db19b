/**
 * Which Clerk instance a secret key belongs to: `GET /v1/instance` through @clerk/backend's `instance.get()`,
 * answering the instance id (`ins_…`) and its `environment_type`. The provider uses the id to tell "this user
 * is gone" from "this key belongs to another instance" before it believes a 404, and the environment type for
 * the default rate limit. Gateway-free: callers route the request through their scheduler with `run`.
 *
 * hook / caller        -> Clerk call
 * fetchInstanceIdentity -> GET /v1/instance
 */
import * as clerkBackend from "@clerk/backend";
import { ClerkProviderError, ErrorCode } from "../errors/ClerkProviderError";
import { isInstanceId } from "../marker/managedByMarker";
import { DEV_REQUESTS_PER_10S, PROD_REQUESTS_PER_10S, defaultRequestsPer10s } from "../scheduler/registry";
import type { ClerkSettings } from "./settings";

/** Clerk's `environment_type` values that decide the rate limit. Others (if Clerk adds any) fall back to the key. */
export const EnvironmentType = {
  Development: "development",
  Production: "production",
} as const;
export type EnvironmentType = (typeof EnvironmentType)[keyof typeof EnvironmentType];

export interface InstanceIdentity {
  /** `ins_…`. */
  id: string;
  /** Clerk's `environment_type` (`development`, `production`, …); `undefined` if Clerk did not say. */
  environmentType: string | undefined;
}

/** Anything with @clerk/backend's `instance.get()`, e.g. a `ClerkClient`. */
export interface InstanceClient {
  instance: { get(): Promise<unknown> };
}

/** Where to ask: an SDK client, or the settings to build one from. */
export type InstanceSource = InstanceClient | Pick<ClerkSettings, "secretKey" | "apiUrl">;

export interface FetchInstanceOptions {
  /**
   * Runs the request, e.g. through the instance's scheduler: `(label, attempt) => scheduler.run({ label }, attempt)`.
   * Default: the attempt is made once, directly.
   */
  run?: <T>(label: string, attempt: () => Promise<T>) => Promise<T>;
}

/** The label a `run` wrapper receives (scheduler logs and errors). */
export const INSTANCE_REQUEST_LABEL = "GET /instance";

/**
 * Asks Clerk which instance the key belongs to. Errors of the SDK (401 for a rejected key, 404 for a wrong
 * API URL, network failures) propagate unchanged for `toProviderError` to map. An answer without a valid
 * instance id is a `ClerkProviderError` (clerk_api_error).
 */
export async function fetchInstanceIdentity(
  source: InstanceSource,
  opts: FetchInstanceOptions = {},
): Promise<InstanceIdentity> {
  const client: InstanceClient =
    "instance" in source
      ? source
      : clerkBackend.createClerkClient({
          secretKey: source.secretKey,
          apiUrl: source.apiUrl,
          userAgent: "pulumi-clerk",
        });
  const attempt = () => client.instance.get();
  const answer = await (opts.run ? opts.run(INSTANCE_REQUEST_LABEL, attempt) : attempt());
  return identityOf(answer);
}

/** The SDK's `Instance` (camelCase) or Clerk's JSON (snake_case), reduced to what we use. */
function identityOf(answer: unknown): InstanceIdentity {
  const a = (typeof answer === "object" && answer !== null ? answer : {}) as Record<string, unknown>;
  const id = a["id"];
  if (!isInstanceId(id)) {
    throw new ClerkProviderError({
      code: ErrorCode.ClerkApi,
      operation: INSTANCE_REQUEST_LABEL,
      detail: "Clerk's answer to GET /v1/instance carries no instance id (ins_…); check the API URL",
    });
  }
  const env = a["environmentType"] ?? a["environment_type"];
  return { id, environmentType: typeof env === "string" && env !== "" ? env : undefined };
}

/**
 * Clerk's published instance limit per 10 s: `environment_type` first (production 1000, development 100), and
 * for an unknown or missing type the key prefix (`sk_live_` 1000, anything else 100: too slow is safe).
 */
export function defaultRequestsPer10sFor(environmentType: string | undefined, secretKey: string): number {
  if (environmentType === EnvironmentType.Production) return PROD_REQUESTS_PER_10S;
  if (environmentType === EnvironmentType.Development) return DEV_REQUESTS_PER_10S;
  return defaultRequestsPer10s(secretKey);
}
