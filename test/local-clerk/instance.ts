import { newId } from "./ids";

/**
 * The identity of the Clerk instance a local server plays: what `GET /v1/instance` answers. Real Clerk
 * instances are either development or production (the secret key prefix says the same: `sk_test_` / `sk_live_`).
 */
export const ENVIRONMENT_TYPES = ["development", "production"] as const;
export type EnvironmentType = (typeof ENVIRONMENT_TYPES)[number];

export interface LocalInstance {
  /** `ins_…`, as Clerk's instance ids. */
  id: string;
  environmentType: EnvironmentType;
}

/** Clerk instance ids: `ins_` + letters and digits. */
export const INSTANCE_ID_PATTERN = /^ins_[0-9A-Za-z]+$/;

/** What Clerk would say for this key when no environment type is given: `sk_live_` keys are production. */
export function environmentTypeForKey(secretKey: string): EnvironmentType {
  return secretKey.startsWith("sk_live_") ? "production" : "development";
}

/** Checks a (partial) instance from startLocalClerk options or the control API; throws naming the bad field. */
export function validateInstance(partial: Partial<LocalInstance>): Partial<LocalInstance> {
  if (partial.id !== undefined && (typeof partial.id !== "string" || !INSTANCE_ID_PATTERN.test(partial.id))) {
    throw new Error(`local-clerk: instance id must match ${String(INSTANCE_ID_PATTERN)}`);
  }
  if (partial.environmentType !== undefined && !ENVIRONMENT_TYPES.includes(partial.environmentType)) {
    throw new Error(`local-clerk: environmentType must be one of ${ENVIRONMENT_TYPES.join(", ")}`);
  }
  return partial;
}

/** The instance a server starts as: the given fields, else a fresh random id and the key's environment type. */
export function initialInstance(
  opts: { instanceId?: string; environmentType?: EnvironmentType },
  secretKey: string,
): LocalInstance {
  validateInstance({
    ...(opts.instanceId !== undefined ? { id: opts.instanceId } : {}),
    ...(opts.environmentType !== undefined ? { environmentType: opts.environmentType } : {}),
  });
  return {
    id: opts.instanceId ?? newId("ins"),
    environmentType: opts.environmentType ?? environmentTypeForKey(secretKey),
  };
}
