/**
 * The ClerkUser field table: every input a `ClerkUser` takes and every output it adds, declared once. Check,
 * diff, the update plan, create params, outputs and read-back, the secret lists, the root program's config
 * schema and the reference docs are all derived from here. To add a field, see CONTRIBUTING.md.
 */
import { clearable, flag, identifierList, metadata, replacedMetadata, secret, setting, timestamp } from "./fieldKinds";
import type { FieldTable, OutputTable } from "./fields";

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

/**
 * Every ClerkUser input, in the order the docs list them. An empty `create` means "the input's own name"
 * (resolved by `createParamOf`).
 */
export const USER_FIELDS = {
  emailAddresses: identifierList(
    "email",
    "emailAddress",
    "Email addresses; the first is primary. Changed in place (the user keeps its id and sessions).",
  ),
  phoneNumbers: identifierList("phone", "phoneNumber", "E.164 phone numbers; the first is primary. Changed in place."),
  web3Wallets: identifierList(
    "web3",
    "web3Wallet",
    "Web3 wallets (0x + 40 hex). Clerk cannot add a wallet later, so changing them replaces the user.",
  ),
  username: clearable("username", "Unique per instance; no whitespace.", {
    rule: { kind: "username" },
    maxLength: 64,
    unique: "caseInsensitive",
  }),
  firstName: clearable("first_name", "Given name."),
  lastName: clearable("last_name", "Family name."),
  externalId: clearable("external_id", "Your system's id for the user; unique per Clerk instance.", {
    unique: "exact",
  }),
  locale: clearable("locale", 'BCP 47 locale, e.g. "en-US".', { maxLength: 35 }),
  password: secret("string", "Plaintext password (≥ 8 characters). Write-only in Clerk; stored in state as a secret."),
  passwordDigest: secret("string", "Digest of an existing password, with `passwordHasher`. Write-only; secret.", {
    config: { refuse: "unsupported" },
  }),
  passwordHasher: {
    type: "string",
    doc: "The algorithm of `passwordDigest` (one of Clerk's hashers, e.g. `bcrypt`).",
    compare: "json",
    managed: "always",
    writeOnly: true,
    create: "",
    update: { via: "patch", pairedWith: "passwordDigest" },
    rule: { kind: "oneOf", values: PASSWORD_HASHERS },
    config: { refuse: "unsupported" },
    echoed: true,
  },
  generatePassword: flag(
    "Let the provider generate a strong password; read it from the secret output `generatedPassword`.",
    false,
    { via: "none" },
  ),
  skipPasswordChecks: flag("Skip Clerk's password policy (migrations only).", "", {
    via: "patch",
    ridesWith: "password",
  }),
  skipPasswordRequirement: flag("Create the user without a password on an instance that requires one.", "", {
    via: "none",
  }),
  skipUserRequirement: flag(
    "Create the user without the identifiers the instance requires (migrations; Clerk's `skip_user_requirement`).",
    "",
    { via: "none" },
  ),
  signOutOfOtherSessions: flag("On a password change, sign the user out of their other sessions.", false, {
    via: "patch",
    ridesWith: "password",
  }),
  totpSecret: secret("string", "TOTP secret to enable MFA without enrolment. Write-only; secret."),
  backupCodes: secret("stringList", "Backup codes (plain or bcrypt). Write-only; secret.", {
    compare: "unordered",
    maxItems: 100,
  }),
  createdAt: timestamp("created_at", "RFC 3339 sign-up time, to backdate migrated users."),
  legalAcceptedAt: timestamp("legal_accepted_at", "RFC 3339 time the user accepted the legal terms."),
  skipLegalChecks: flag("Accept `legalAcceptedAt` without Clerk's legal-consent checks.", "", {
    via: "patch",
    ridesWith: "legalAcceptedAt",
  }),
  banned: {
    type: "boolean",
    doc: "Ban (true) or unban (false) through Clerk's ban endpoints.",
    compare: "falseIfAbsent",
    managed: "always",
    wire: "banned",
    create: "",
    update: { via: "action", on: "ban", off: "unban" },
    config: "plain",
  },
  locked: {
    type: "boolean",
    doc: "Lock (true) or unlock (false); needs the lockout feature. Managed only when declared.",
    compare: "falseIfAbsent",
    managed: "declared",
    wire: "locked",
    create: "",
    update: { via: "action", on: "lock", off: "unlock" },
    config: "plain",
  },
  deleteSelfEnabled: setting("delete_self_enabled", "Whether the user may delete their own account."),
  createOrganizationEnabled: setting("create_organization_enabled", "Whether the user may create organizations."),
  createOrganizationsLimit: {
    type: "integer",
    doc: "How many organizations the user may create; 0 means unlimited.",
    compare: "zeroIfAbsent",
    managed: "declared",
    wire: "create_organizations_limit",
    create: "",
    update: { via: "patch" },
    rule: { kind: "nonNegativeInteger" },
    config: "plain",
  },
  bypassClientTrust: setting("bypass_client_trust", "Skip Clerk's client-trust check for this user."),
  adopt: flag(
    "Take over an existing user (found by `externalId`, else the primary email) instead of failing with " +
      "`form_identifier_exists`. Undeclared fields are left as they are; a user another resource owns is refused.",
    false,
    { via: "none" },
  ),
  handOverFrom: {
    type: "string",
    doc:
      "The owner a user is deliberately taken from: the `ownerId` (or `project/stack/name` of an older marker) " +
      "that a `not_owner` error names. Needed for a hand-over between stacks and after a crash mid-create.",
    compare: "json",
    managed: "declared",
    writeOnly: true,
    create: false,
    update: { via: "none" },
    maxLength: 512,
    config: "plain",
  },
  ...replacedMetadata(),
  unsafeMetadata: metadata(
    "unsafe_metadata",
    "Readable and writable by the frontend. Replaced as a whole on update; managed only when declared.",
    { managed: "declared" },
  ),
  managedBy: {
    type: "object",
    doc: "Set by `ClerkUser` itself: the project, stack and resource name recorded in the marker.",
    compare: "json",
    managed: "always",
    create: false,
    update: { via: "none" },
    config: "program",
    echoed: true,
  },
} as const satisfies FieldTable;

export type UserFieldName = keyof typeof USER_FIELDS;

/** What a ClerkUser adds to its inputs in state. */
export const USER_OUTPUTS = {
  userId: { type: "string", doc: "Clerk's user id (`user_…`); equal to the resource id.", wire: "id" },
  primaryEmailAddressId: {
    type: "string | null",
    doc: "Id of the primary email address.",
    wire: "primary_email_address_id",
  },
  primaryPhoneNumberId: {
    type: "string | null",
    doc: "Id of the primary phone number.",
    wire: "primary_phone_number_id",
  },
  primaryWeb3WalletId: {
    type: "string | null",
    doc: "Id of the primary web3 wallet.",
    wire: "primary_web3_wallet_id",
  },
  passwordEnabled: { type: "boolean", doc: "Whether the user has a password.", wire: "password_enabled" },
  totpEnabled: { type: "boolean", doc: "Whether TOTP is set up.", wire: "totp_enabled" },
  backupCodeEnabled: { type: "boolean", doc: "Whether backup codes are set up.", wire: "backup_code_enabled" },
  twoFactorEnabled: { type: "boolean", doc: "Whether any second factor is set up.", wire: "two_factor_enabled" },
  instanceId: {
    type: "string",
    doc: "The Clerk instance (`ins_…`) holding the user: a 404 from any other instance is never taken as gone.",
  },
  ownerId: {
    type: "string",
    doc: "This resource's ownership id, also in the user's marker: the proof that the user is this resource's.",
  },
  adopted: {
    type: "boolean",
    doc: "Whether the user existed before this resource took it over (then `clerk-sweep` never deletes it).",
  },
  syncRequired: {
    type: "boolean | undefined",
    doc: "Set when an update failed midway and Clerk could not be read back: the next `pulumi up` updates again.",
  },
  declaredInputs: {
    type: "string[]",
    doc: "The input names the program declared (how a refresh tells a declared default from Clerk's).",
  },
  generatedPassword: {
    type: "string | undefined",
    doc: "Secret: the password the provider generated, only when `generatePassword` is set.",
    secret: true,
  },
} as const satisfies OutputTable;
