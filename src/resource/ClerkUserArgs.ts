import type * as pulumi from "@pulumi/pulumi";
import type { JsonObject } from "../model/json";
import type { PasswordHasher } from "../model/UserInputs";

/**
 * Arguments of a `ClerkUser`, camelCase as in `@clerk/backend`. At least one identifier is required. Each doc
 * comment is the field table's doc line (`src/model/user.ts`); a test keeps the two equal.
 */
export interface ClerkUserArgs {
  /** Email addresses; the first is primary. Changed in place (the user keeps its id and sessions). */
  emailAddresses?: pulumi.Input<pulumi.Input<string>[]>;
  /** E.164 phone numbers; the first is primary. Changed in place. */
  phoneNumbers?: pulumi.Input<pulumi.Input<string>[]>;
  /** Web3 wallets (0x + 40 hex). Clerk cannot add a wallet later, so changing them replaces the user. */
  web3Wallets?: pulumi.Input<pulumi.Input<string>[]>;
  /** Unique per instance; no whitespace. */
  username?: pulumi.Input<string>;
  /** Given name. */
  firstName?: pulumi.Input<string>;
  /** Family name. */
  lastName?: pulumi.Input<string>;
  /** Your system's id for the user; unique per Clerk instance. */
  externalId?: pulumi.Input<string>;
  /** BCP 47 locale, e.g. "en-US". */
  locale?: pulumi.Input<string>;
  /** Plaintext password (≥ 8 characters). Write-only in Clerk; stored in state as a secret. */
  password?: pulumi.Input<string>;
  /** Digest of an existing password, with `passwordHasher`. Write-only; secret. */
  passwordDigest?: pulumi.Input<string>;
  /** The algorithm of `passwordDigest` (one of Clerk's hashers, e.g. `bcrypt`). */
  passwordHasher?: pulumi.Input<PasswordHasher>;
  /** Let the provider generate a strong password; read it from the secret output `generatedPassword`. */
  generatePassword?: pulumi.Input<boolean>;
  /** Skip Clerk's password policy (migrations only). */
  skipPasswordChecks?: pulumi.Input<boolean>;
  /** Create the user without a password on an instance that requires one. */
  skipPasswordRequirement?: pulumi.Input<boolean>;
  /** Create the user without the identifiers the instance requires (migrations; Clerk's `skip_user_requirement`). */
  skipUserRequirement?: pulumi.Input<boolean>;
  /** On a password change, sign the user out of their other sessions. */
  signOutOfOtherSessions?: pulumi.Input<boolean>;
  /** TOTP secret to enable MFA without enrolment. Write-only; secret. */
  totpSecret?: pulumi.Input<string>;
  /** Backup codes (plain or bcrypt). Write-only; secret. */
  backupCodes?: pulumi.Input<pulumi.Input<string>[]>;
  /** RFC 3339 sign-up time, to backdate migrated users. */
  createdAt?: pulumi.Input<string>;
  /** RFC 3339 time the user accepted the legal terms. */
  legalAcceptedAt?: pulumi.Input<string>;
  /** Accept `legalAcceptedAt` without Clerk's legal-consent checks. */
  skipLegalChecks?: pulumi.Input<boolean>;
  /** Ban (true) or unban (false) through Clerk's ban endpoints. */
  banned?: pulumi.Input<boolean>;
  /** Lock (true) or unlock (false); needs the lockout feature. Managed only when declared. */
  locked?: pulumi.Input<boolean>;
  /** Whether the user may delete their own account. */
  deleteSelfEnabled?: pulumi.Input<boolean>;
  /** Whether the user may create organizations. */
  createOrganizationEnabled?: pulumi.Input<boolean>;
  /** How many organizations the user may create; 0 means unlimited. */
  createOrganizationsLimit?: pulumi.Input<number>;
  /** Skip Clerk's client-trust check for this user. */
  bypassClientTrust?: pulumi.Input<boolean>;
  /** Take over an existing user (found by `externalId`, else the primary email) instead of failing with `form_identifier_exists`. Undeclared fields are left as they are; a user another resource owns is refused. */
  adopt?: pulumi.Input<boolean>;
  /** The owner a user is deliberately taken from: the `ownerId` (or `project/stack/name` of an older marker) that a `not_owner` error names. Needed for a hand-over between stacks and after a crash mid-create. */
  handOverFrom?: pulumi.Input<string>;
  /** Readable by the frontend, writable only by the backend. Replaced as a whole on update. */
  publicMetadata?: pulumi.Input<JsonObject>;
  /** Backend-only. Secret. Replaced as a whole on update (the provider's marker is kept beside it). */
  privateMetadata?: pulumi.Input<JsonObject>;
  /** Readable and writable by the frontend. Replaced as a whole on update; managed only when declared. */
  unsafeMetadata?: pulumi.Input<JsonObject>;
}
