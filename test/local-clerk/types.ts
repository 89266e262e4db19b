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
