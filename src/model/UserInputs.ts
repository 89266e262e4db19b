import type { JsonObject } from "./json";

/** Hashers Clerk accepts for `password_digest` (spec `PasswordHasher`, plus `awscognito` from the SDK types). */
export const PASSWORD_HASHERS = [
  "argon2i",
  "argon2id",
  "awscognito",
  "bcrypt",
  "bcrypt_sha256_django",
  "ldap_ssha",
  "md5",
  "md5_phpass",
  "pbkdf2_sha1",
  "pbkdf2_sha256",
  "pbkdf2_sha256_django",
  "pbkdf2_sha512",
  "pbkdf2_sha512_hex",
  "phpass",
  "scrypt_firebase",
  "scrypt_werkzeug",
  "sha256",
  "sha512_symfony",
] as const;
export type PasswordHasher = (typeof PASSWORD_HASHERS)[number];

/**
 * Who manages a user: written by `ClerkUser` from the program's project, stack and resource name, and
 * stored in Clerk under the reserved private-metadata key (see `marker/managedByMarker.ts`).
 */
export interface ManagedBy {
  project: string;
  stack: string;
  name: string;
}

/**
 * The resolved inputs of a ClerkUser: what the provider hooks receive once Pulumi has resolved every
 * `Input<T>`. camelCase as in `@clerk/backend`. Every field is optional; `check` decides what is valid.
 * During preview any field (or list element) may be Pulumi's unknown sentinel.
 */
export interface UserInputs {
  /** Email addresses; the first is primary. Changed in place through the identification endpoints. */
  emailAddresses?: string[];
  /** E.164 phone numbers; the first is primary. Changed in place through the identification endpoints. */
  phoneNumbers?: string[];
  /** Web3 wallets (0x + 40 hex). Clerk has no endpoint to add one later, so a change replaces the user. */
  web3Wallets?: string[];
  username?: string;
  firstName?: string;
  lastName?: string;
  externalId?: string;
  locale?: string;

  /** Write-only: Clerk never returns it. Compared with the previous input. Secret. */
  password?: string;
  /** Write-only digest of an existing password; needs `passwordHasher`. Secret. */
  passwordDigest?: string;
  passwordHasher?: PasswordHasher;
  /** Generate a random password with Node's crypto on create; exposed as the secret output `generatedPassword`. */
  generatePassword?: boolean;
  skipPasswordChecks?: boolean;
  skipPasswordRequirement?: boolean;
  /** Sign the user out of other sessions when the password changes (update only). */
  signOutOfOtherSessions?: boolean;
  /** Write-only TOTP secret. Secret. */
  totpSecret?: string;
  /** Write-only backup codes. Secret. */
  backupCodes?: string[];

  publicMetadata?: JsonObject;
  /** Secret. The provider's managed-by marker is stored beside it in Clerk and never shows here. */
  privateMetadata?: JsonObject;
  unsafeMetadata?: JsonObject;

  /** RFC 3339 sign-up time to backdate the user to. */
  createdAt?: string;
  /** RFC 3339 time the user accepted the legal terms. */
  legalAcceptedAt?: string;
  skipLegalChecks?: boolean;

  banned?: boolean;
  locked?: boolean;
  deleteSelfEnabled?: boolean;
  createOrganizationEnabled?: boolean;
  createOrganizationsLimit?: number;
  bypassClientTrust?: boolean;

  /** Take over an existing user (found by externalId or primary email) instead of failing on form_identifier_exists. */
  adopt?: boolean;

  /** Set by `ClerkUser` itself; not a user-facing arg. */
  managedBy?: ManagedBy;
}

/** Names of every input the provider accepts; `check` rejects anything else. */
export const USER_INPUT_KEYS = [
  "emailAddresses",
  "phoneNumbers",
  "web3Wallets",
  "username",
  "firstName",
  "lastName",
  "externalId",
  "locale",
  "password",
  "passwordDigest",
  "passwordHasher",
  "generatePassword",
  "skipPasswordChecks",
  "skipPasswordRequirement",
  "signOutOfOtherSessions",
  "totpSecret",
  "backupCodes",
  "publicMetadata",
  "privateMetadata",
  "unsafeMetadata",
  "createdAt",
  "legalAcceptedAt",
  "skipLegalChecks",
  "banned",
  "locked",
  "deleteSelfEnabled",
  "createOrganizationEnabled",
  "createOrganizationsLimit",
  "bypassClientTrust",
  "adopt",
  "managedBy",
] as const satisfies readonly (keyof UserInputs)[];

/** Inputs Clerk never returns: diffed against the previous inputs, never refreshed. */
export const WRITE_ONLY_KEYS = [
  "password",
  "passwordDigest",
  "passwordHasher",
  "generatePassword",
  "skipPasswordChecks",
  "skipPasswordRequirement",
  "signOutOfOtherSessions",
  "totpSecret",
  "backupCodes",
  "skipLegalChecks",
  "adopt",
] as const satisfies readonly (keyof UserInputs)[];

/** Outputs that hold secrets: listed in `additionalSecretOutputs`. */
export const SECRET_KEYS = [
  "password",
  "passwordDigest",
  "totpSecret",
  "backupCodes",
  "privateMetadata",
  "generatedPassword",
] as const;
