/**
 * Request parameters as `@clerk/backend` types them, widened only where the SDK's types lag the spec
 * (2026-05-12): the SDK forwards every key it is given, snake-cased (see ../shared/clerk/NOTES.md §4).
 */
import type { ClerkClient } from "@clerk/backend";

type UsersApi = ClerkClient["users"];
type SdkCreateUserParams = Parameters<UsersApi["createUser"]>[0];
type SdkUpdateUserParams = NonNullable<Parameters<UsersApi["updateUser"]>[1]>;

/**
 * Timestamps travel as the program's RFC 3339 strings: the SDK would serialize a `Date` to the same JSON, and a
 * string keeps the program's exact instant and spelling.
 */
type Timestamps = { createdAt?: string; legalAcceptedAt?: string };

/** Spec fields of POST /users that the SDK's `CreateUserParams` does not declare. */
type CreateExtras = {
  web3Wallet?: string[];
  passwordDigest?: string;
  passwordHasher?: string;
  skipUserRequirement?: boolean;
  deleteSelfEnabled?: boolean;
  createOrganizationEnabled?: boolean;
  createOrganizationsLimit?: number;
  bypassClientTrust?: boolean;
};

export type CreateUserParams = Omit<SdkCreateUserParams, keyof Timestamps | "passwordHasher" | "passwordDigest"> &
  Timestamps &
  CreateExtras;

/**
 * PATCH /users/{id}: `null` clears a string attribute (the spec's fields are nullable). Never metadata: under API
 * 2026-05-12 the SDK would turn that into a second, merging call.
 */
export type UpdateUserParams = {
  [K in "firstName" | "lastName" | "username" | "externalId" | "locale"]?: SdkUpdateUserParams[K] | null;
} & Omit<
  SdkUpdateUserParams,
  | keyof Timestamps
  | "firstName"
  | "lastName"
  | "username"
  | "externalId"
  | "locale"
  | "publicMetadata"
  | "privateMetadata"
  | "unsafeMetadata"
> &
  Timestamps & { passwordDigest?: string; passwordHasher?: string; bypassClientTrust?: boolean };

/** PUT /users/{id}/metadata: each sent object replaces Clerk's whole object. */
export type ReplaceMetadataParams = Parameters<UsersApi["replaceUserMetadata"]>[1];
