import type * as pulumi from "@pulumi/pulumi";
import type { JsonObject } from "../model/json";
import type { PasswordHasher } from "../model/UserInputs";

/** Arguments of a `ClerkUser`, camelCase as in `@clerk/backend`. At least one identifier is required. */
export interface ClerkUserArgs {
  /** Email addresses; the first is primary. Changed in place (the user keeps its id and sessions). */
  emailAddresses?: pulumi.Input<pulumi.Input<string>[]>;
  /** E.164 phone numbers; the first is primary. Changed in place. */
  phoneNumbers?: pulumi.Input<pulumi.Input<string>[]>;
  /** Web3 wallets (0x + 40 hex). Clerk cannot add a wallet later, so changing them replaces the user. */
  web3Wallets?: pulumi.Input<pulumi.Input<string>[]>;
  username?: pulumi.Input<string>;
  firstName?: pulumi.Input<string>;
  lastName?: pulumi.Input<string>;
  /** Your system's id for the user; unique per Clerk instance. */
  externalId?: pulumi.Input<string>;
  /** e.g. "en-US". */
  locale?: pulumi.Input<string>;
  /** Plaintext password (≥ 8 characters). Write-only in Clerk; stored in state as a secret. */
  password?: pulumi.Input<string>;
  /** Digest of an existing password, with `passwordHasher`. Write-only; secret. */
  passwordDigest?: pulumi.Input<string>;
  passwordHasher?: pulumi.Input<PasswordHasher>;
  /** Let the provider generate a strong password; read it from the secret output `generatedPassword`. */
  generatePassword?: pulumi.Input<boolean>;
  /** Skip Clerk's password policy (migrations only). */
  skipPasswordChecks?: pulumi.Input<boolean>;
  /** Create the user without a password on an instance that requires one. */
  skipPasswordRequirement?: pulumi.Input<boolean>;
  /** On a password change, sign the user out of their other sessions. */
  signOutOfOtherSessions?: pulumi.Input<boolean>;
  /** TOTP secret to enable MFA without enrolment. Write-only; secret. */
  totpSecret?: pulumi.Input<string>;
  /** Backup codes (plain or bcrypt). Write-only; secret. */
  backupCodes?: pulumi.Input<pulumi.Input<string>[]>;
  /** Readable by the frontend, writable only by the backend. Replaced as a whole on update. */
  publicMetadata?: pulumi.Input<JsonObject>;
  /** Backend-only. Secret. Replaced as a whole on update (the provider's marker is kept beside it). */
  privateMetadata?: pulumi.Input<JsonObject>;
  /** Readable and writable by the frontend. Replaced as a whole on update. */
  unsafeMetadata?: pulumi.Input<JsonObject>;
  /** RFC 3339 sign-up time, to backdate migrated users. */
  createdAt?: pulumi.Input<string>;
  /** RFC 3339 time the user accepted the legal terms. */
  legalAcceptedAt?: pulumi.Input<string>;
  skipLegalChecks?: pulumi.Input<boolean>;
  /** Ban (true) or unban (false) through Clerk's ban endpoints. */
  banned?: pulumi.Input<boolean>;
  /** Lock (true) or unlock (false); needs the lockout feature on the instance. */
  locked?: pulumi.Input<boolean>;
  deleteSelfEnabled?: pulumi.Input<boolean>;
  createOrganizationEnabled?: pulumi.Input<boolean>;
  /** 0 means unlimited. */
  createOrganizationsLimit?: pulumi.Input<number>;
  bypassClientTrust?: pulumi.Input<boolean>;
  /**
   * Take over an existing user (found by `externalId`, else the primary email) instead of failing with
   * `form_identifier_exists`. The user is updated to the declared state, and `pulumi destroy` deletes it
   * unless the resource has `retainOnDelete: true`. (`pulumi import` does not work for dynamic resources.)
   */
  adopt?: pulumi.Input<boolean>;
}
