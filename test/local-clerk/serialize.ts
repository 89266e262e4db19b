import type {
  JsonObject,
  OrganizationRole,
  StoredEmailAddress,
  StoredMembership,
  StoredOrganization,
  StoredPhoneNumber,
  StoredUser,
  StoredWeb3Wallet,
} from "./types";

/**
 * Stored records -> Clerk wire JSON (spec 2026-05-12 `User`, `EmailAddress`, `PhoneNumber`, `Web3Wallet`).
 * Those schemas are `additionalProperties: false`, so every required field is present and nothing else;
 * the contract test validates these shapes against the spec.
 */

const VERIFIED_ADMIN = {
  object: "verification_admin",
  status: "verified",
  strategy: "admin",
  attempts: null,
  expire_at: null,
} as const;

function unverifiedOtp(strategy: "email_code" | "phone_code") {
  return { object: "verification_otp", status: "unverified", strategy, attempts: null, expire_at: null } as const;
}

export function emailAddressJson(e: StoredEmailAddress) {
  return {
    id: e.id,
    object: "email_address" as const,
    email_address: e.email_address,
    reserved: e.reserved,
    verification: e.verified ? { ...VERIFIED_ADMIN } : unverifiedOtp("email_code"),
    linked_to: [] as { type: string; id: string }[],
    matches_sso_connection: false,
    created_at: e.created_at,
    updated_at: e.updated_at,
  };
}

export function phoneNumberJson(p: StoredPhoneNumber) {
  return {
    id: p.id,
    object: "phone_number" as const,
    phone_number: p.phone_number,
    reserved_for_second_factor: p.reserved_for_second_factor,
    default_second_factor: p.default_second_factor,
    reserved: p.reserved,
    verification: p.verified ? { ...VERIFIED_ADMIN } : unverifiedOtp("phone_code"),
    linked_to: [] as { type: string; id: string }[],
    backup_codes: null,
    created_at: p.created_at,
    updated_at: p.updated_at,
  };
}

export function web3WalletJson(w: StoredWeb3Wallet) {
  return {
    id: w.id,
    object: "web3_wallet" as const,
    web3_wallet: w.web3_wallet,
    verification: w.verified
      ? { ...VERIFIED_ADMIN }
      : {
          object: "verification_web3",
          status: "unverified",
          strategy: "web3_metamask_signature",
          attempts: null,
          expire_at: null,
        },
    created_at: w.created_at,
    updated_at: w.updated_at,
  };
}

export const isTotpEnabled = (u: StoredUser): boolean => u.totp_secret !== null;
export const isBackupCodeEnabled = (u: StoredUser): boolean => u.backup_codes !== null && u.backup_codes.length > 0;
/** [inferred] Clerk counts TOTP, backup codes and phones reserved for 2FA as second factors. */
export const isTwoFactorEnabled = (u: StoredUser): boolean =>
  isTotpEnabled(u) || isBackupCodeEnabled(u) || u.phone_numbers.some((p) => p.reserved_for_second_factor);

/** Clerk's default avatar / logo URL is an img.clerk.com URL carrying a base64 JSON descriptor. */
function clerkImageUrl(type: "proxy" | "default", resourceId: string): string {
  const descriptor = { type, iid: "ins_local", rid: resourceId };
  return `https://img.clerk.com/${Buffer.from(JSON.stringify(descriptor)).toString("base64url")}`;
}

const imageUrl = (u: StoredUser): string => clerkImageUrl(u.profile_image_id ? "proxy" : "default", u.id);

const clone = (o: JsonObject): JsonObject => structuredClone(o);

export function userJson(u: StoredUser) {
  const image = imageUrl(u);
  return {
    id: u.id,
    object: "user" as const,
    external_id: u.external_id,
    primary_email_address_id: u.primary_email_address_id,
    primary_phone_number_id: u.primary_phone_number_id,
    primary_web3_wallet_id: u.primary_web3_wallet_id,
    username: u.username,
    first_name: u.first_name,
    last_name: u.last_name,
    locale: u.locale,
    profile_image_url: image,
    image_url: image,
    has_image: u.profile_image_id !== null,
    public_metadata: clone(u.public_metadata),
    private_metadata: clone(u.private_metadata),
    unsafe_metadata: clone(u.unsafe_metadata),
    email_addresses: u.email_addresses.map(emailAddressJson),
    phone_numbers: u.phone_numbers.map(phoneNumberJson),
    web3_wallets: u.web3_wallets.map(web3WalletJson),
    passkeys: [] as unknown[],
    password_enabled: u.password !== null || u.password_digest !== null,
    two_factor_enabled: isTwoFactorEnabled(u),
    totp_enabled: isTotpEnabled(u),
    backup_code_enabled: isBackupCodeEnabled(u),
    mfa_enabled_at: u.mfa_enabled_at,
    mfa_disabled_at: u.mfa_disabled_at,
    password_last_updated_at: u.password_last_updated_at,
    external_accounts: [] as unknown[],
    saml_accounts: [] as unknown[],
    enterprise_accounts: [] as unknown[],
    last_sign_in_at: u.last_sign_in_at,
    banned: u.banned,
    locked: u.locked,
    // a user locked through the Backend API stays locked until unlocked: Clerk reports null ("never expires")
    lockout_expires_in_seconds: null,
    // [inferred] lockout is enabled on the instance (POST /lock needs it); Clerk's default is 100 attempts
    verification_attempts_remaining: u.locked ? 0 : 100,
    updated_at: u.updated_at,
    created_at: u.created_at,
    delete_self_enabled: u.delete_self_enabled,
    create_organization_enabled: u.create_organization_enabled,
    create_organizations_limit: u.create_organizations_limit,
    last_active_at: u.last_active_at,
    legal_accepted_at: u.legal_accepted_at,
    bypass_client_trust: u.bypass_client_trust,
  };
}

export type UserJson = ReturnType<typeof userJson>;

export function deletedJson(object: string, id: string) {
  return { object, id, deleted: true as const };
}

/** Counts a list or a read adds when asked (`include_members_count`, `include_missing_member_with_elevated_…`). */
export interface OrganizationExtras {
  membersCount?: number;
  missingMemberWithElevatedPermissions?: boolean;
}

/**
 * Spec `Organization`. `created_by` is left out when nobody created it through the API (the schema types it as a
 * non-null string); `pending_invitations_count` is 0 (invitations are not modelled).
 */
export function organizationJson(o: StoredOrganization, extras: OrganizationExtras = {}) {
  return {
    object: "organization" as const,
    id: o.id,
    name: o.name,
    slug: o.slug,
    image_url: clerkImageUrl("default", o.id),
    has_image: false,
    ...(extras.membersCount !== undefined ? { members_count: extras.membersCount, pending_invitations_count: 0 } : {}),
    ...(extras.missingMemberWithElevatedPermissions !== undefined
      ? { missing_member_with_elevated_permissions: extras.missingMemberWithElevatedPermissions }
      : {}),
    max_allowed_memberships: o.max_allowed_memberships,
    admin_delete_enabled: o.admin_delete_enabled,
    public_metadata: clone(o.public_metadata),
    private_metadata: clone(o.private_metadata),
    ...(o.created_by !== null ? { created_by: o.created_by } : {}),
    role_set_key: o.role_set_key,
    created_at: o.created_at,
    updated_at: o.updated_at,
  };
}

/** The identifier Clerk shows for a member: primary email, else primary phone, else username, else wallet. */
function identifierOf(u: StoredUser | undefined): string | null {
  if (!u) return null;
  const email = u.email_addresses.find((e) => e.id === u.primary_email_address_id) ?? u.email_addresses[0];
  const phone = u.phone_numbers.find((p) => p.id === u.primary_phone_number_id) ?? u.phone_numbers[0];
  return email?.email_address ?? phone?.phone_number ?? u.username ?? u.web3_wallets[0]?.web3_wallet ?? null;
}

/** Spec `OrganizationMembershipPublicUserData`. */
export function publicUserDataJson(userId: string, u: StoredUser | undefined) {
  const image = u ? imageUrl(u) : clerkImageUrl("default", userId);
  return {
    user_id: userId,
    first_name: u?.first_name ?? null,
    last_name: u?.last_name ?? null,
    profile_image_url: image,
    image_url: image,
    has_image: u ? u.profile_image_id !== null : false,
    identifier: identifierOf(u),
    username: u?.username ?? null,
    banned: u?.banned ?? false,
    deprovisioned: false,
  };
}

/** Spec `OrganizationMembership`: the membership with its organization, its role's name and permissions, the member. */
export function membershipJson(
  m: StoredMembership,
  org: StoredOrganization,
  user: StoredUser | undefined,
  role: OrganizationRole | undefined,
) {
  return {
    id: m.id,
    object: "organization_membership" as const,
    role: m.role,
    role_name: role?.name ?? m.role,
    permissions: [...(role?.permissions ?? [])],
    public_metadata: clone(m.public_metadata),
    private_metadata: clone(m.private_metadata),
    organization: organizationJson(org),
    public_user_data: publicUserDataJson(m.user_id, user),
    created_at: m.created_at,
    updated_at: m.updated_at,
  };
}
