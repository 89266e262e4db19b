/**
 * Stored records. Field names mirror Clerk's wire names (snake_case) so tests can compare stored state with
 * request/response bodies directly. Write-only inputs Clerk never returns (password, digest + hasher, TOTP
 * secret, backup codes) are kept here so tests can assert what "Clerk" received.
 */
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export interface StoredEmailAddress {
  id: string;
  email_address: string;
  verified: boolean;
  reserved: boolean;
  created_at: number;
  updated_at: number;
}

export interface StoredPhoneNumber {
  id: string;
  phone_number: string;
  verified: boolean;
  reserved: boolean;
  reserved_for_second_factor: boolean;
  default_second_factor: boolean;
  created_at: number;
  updated_at: number;
}

export interface StoredWeb3Wallet {
  id: string;
  web3_wallet: string;
  verified: boolean;
  created_at: number;
  updated_at: number;
}

export interface StoredUser {
  id: string;
  external_id: string | null;
  username: string | null;
  first_name: string | null;
  last_name: string | null;
  locale: string | null;
  public_metadata: JsonObject;
  private_metadata: JsonObject;
  unsafe_metadata: JsonObject;
  email_addresses: StoredEmailAddress[];
  phone_numbers: StoredPhoneNumber[];
  web3_wallets: StoredWeb3Wallet[];
  primary_email_address_id: string | null;
  primary_phone_number_id: string | null;
  primary_web3_wallet_id: string | null;
  /** Write-only: the plaintext password as received. */
  password: string | null;
  /** Write-only: a migrated digest as received, with its hasher. */
  password_digest: string | null;
  password_hasher: string | null;
  password_last_updated_at: number | null;
  /** Write-only. */
  totp_secret: string | null;
  /** Write-only. */
  backup_codes: string[] | null;
  banned: boolean;
  locked: boolean;
  profile_image_id: string | null;
  created_at: number;
  updated_at: number;
  last_sign_in_at: number | null;
  last_active_at: number | null;
  legal_accepted_at: number | null;
  delete_self_enabled: boolean;
  create_organization_enabled: boolean;
  create_organizations_limit: number | null;
  bypass_client_trust: boolean;
  mfa_enabled_at: number | null;
  mfa_disabled_at: number | null;
}

export type IdentifierKind = "email_address" | "phone_number" | "username" | "external_id" | "web3_wallet";

/** An organization (spec `Organization`); the logo is not modelled (`has_image` is always false). */
export interface StoredOrganization {
  id: string;
  name: string;
  /** Unique in the instance; Clerk compares slugs as given (they are lowercase by rule). */
  slug: string;
  /** 0 = unlimited. */
  max_allowed_memberships: number;
  admin_delete_enabled: boolean;
  public_metadata: JsonObject;
  private_metadata: JsonObject;
  /** The user who created it through the API, if any. */
  created_by: string | null;
  role_set_key: string | null;
  created_at: number;
  updated_at: number;
}

/** A user's membership in an organization (spec `OrganizationMembership`); one per organization and user. */
export interface StoredMembership {
  id: string;
  organization_id: string;
  user_id: string;
  /** A role key of the instance, e.g. `org:admin`. */
  role: string;
  public_metadata: JsonObject;
  private_metadata: JsonObject;
  created_at: number;
  updated_at: number;
}

/** An organization role of the instance: its name and permission keys. */
export interface OrganizationRole {
  name: string;
  permissions: string[];
}

/**
 * The instance's organization settings (spec `OrganizationSettings`, the parts the endpoints use).
 * Defaults: enabled, unlimited memberships for new organizations, creator role `org:admin`, admin delete on,
 * no initial role set, and Clerk's two default roles.
 */
export interface OrganizationSettings {
  /** Off: every organization endpoint answers 403 `organization_not_enabled_in_instance`. */
  enabled: boolean;
  /** `max_allowed_memberships` of an organization created without one; 0 = unlimited. */
  maxAllowedMemberships: number;
  /** The role `created_by` gets in the organization it creates. */
  creatorRole: string;
  /** `admin_delete_enabled` of new organizations. */
  adminDeleteEnabled: boolean;
  /** `role_set_key` of an organization created without one. */
  initialRoleSetKey: string | null;
  /** Role key -> role. A membership may only name one of these. */
  roles: Record<string, OrganizationRole>;
}
