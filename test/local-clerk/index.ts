export { startLocalClerk, DEFAULT_SECRET_KEY, type LocalClerk, type LocalClerkOptions } from "./server";
export type { LocalClerkControl } from "./control";
export { ENVIRONMENT_TYPES, environmentTypeForKey, type EnvironmentType, type LocalInstance } from "./instance";
export {
  instanceIdOf,
  secretKeyOf,
  startLocalClerks,
  startLocalClerkPair,
  type LocalClerkPair,
  type LocalClerks,
} from "./instances";
export type {
  FaultSpec,
  FaultAction,
  FaultMatch,
  PathMatcher,
  RandomFaultConfig,
  RandomFaultKind,
  PendingFault,
} from "./faults";
export { submittedValues, type SubmittedRequest } from "./echo";
export type { RateLimitConfig } from "./rateLimiter";
export type { RequestLogEntry, RequestFilter } from "./requestLog";
export type {
  OrganizationRole,
  OrganizationSettings,
  StoredMembership,
  StoredOrganization,
  StoredUser,
  StoredEmailAddress,
  StoredPhoneNumber,
  StoredWeb3Wallet,
  JsonObject,
  JsonValue,
} from "./types";
export type { ClerkErrorBody, ClerkErrorDetail } from "./errors";
export { loadSpec, type Spec, type SpecLoadStats } from "./spec";
