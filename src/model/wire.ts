import type { JsonObject } from "../model/json";

/**
 * Clerk's wire shapes (snake_case, spec 2026-05-12), limited to the fields this provider reads.
 * The gateway returns these (the SDK's `user.raw`), so mapping code is pure and testable with spec-shaped fixtures.
 */
export interface ClerkVerificationJSON {
  status: string;
  strategy: string;
}

export interface ClerkEmailAddressJSON {
  id: string;
  object: "email_address";
  email_address: string;
  reserved: boolean;
  verification: ClerkVerificationJSON | null;
  linked_to: { type: string; id: string }[];
  created_at: number;
  updated_at: number;
}

export interface ClerkPhoneNumberJSON {
  id: string;
  object: "phone_number";
  phone_number: string;
  reserved: boolean;
  reserved_for_second_factor?: boolean;
  default_second_factor?: boolean;
  verification: ClerkVerificationJSON | null;
  linked_to: { type: string; id: string }[];
  created_at: number;
  updated_at: number;
}

export interface ClerkWeb3WalletJSON {
  id: string;
  object: "web3_wallet";
  web3_wallet: string;
  verification: ClerkVerificationJSON | null;
  created_at: number;
  updated_at: number;
}

export interface ClerkUserJSON {
  id: string;
  object: "user";
  external_id: string | null;
  primary_email_address_id: string | null;
  primary_phone_number_id: string | null;
  primary_web3_wallet_id: string | null;
  username: string | null;
  first_name: string | null;
  last_name: string | null;
  locale?: string | null;
  public_metadata: JsonObject;
  private_metadata?: JsonObject | null;
  unsafe_metadata?: JsonObject;
  email_addresses: ClerkEmailAddressJSON[];
  phone_numbers: ClerkPhoneNumberJSON[];
  web3_wallets: ClerkWeb3WalletJSON[];
  password_enabled: boolean;
  two_factor_enabled: boolean;
  totp_enabled: boolean;
  backup_code_enabled: boolean;
  banned: boolean;
  locked: boolean;
  created_at: number;
  updated_at: number;
  last_sign_in_at: number | null;
  legal_accepted_at: number | null;
  delete_self_enabled: boolean;
  create_organization_enabled: boolean;
  create_organizations_limit?: number | null;
  bypass_client_trust?: boolean;
}

/** Where Clerk's user JSON holds each kind of identifier: the list, the value inside an item, the primary's id. */
export const IDENTIFIER_WIRE = {
  email: { list: "email_addresses", value: "email_address", primaryId: "primary_email_address_id" },
  phone: { list: "phone_numbers", value: "phone_number", primaryId: "primary_phone_number_id" },
  web3: { list: "web3_wallets", value: "web3_wallet", primaryId: "primary_web3_wallet_id" },
} as const satisfies Record<string, { list: keyof ClerkUserJSON; value: string; primaryId: keyof ClerkUserJSON }>;
