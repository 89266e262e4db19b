import {
  identifierExists,
  invalidEmail,
  invalidPhone,
  invalidWeb3,
  paramValueInvalid,
  resourceParamNotFound,
  unprocessable,
  userQuotaExceeded,
  type ClerkErrorDetail,
} from "../errors";
import { newId } from "../ids";
import { checkMetadata, checkPassword, isE164, isEmail, isWeb3Wallet, timeParam, type PasswordFields } from "../rules";
import { deletedJson, userJson } from "../serialize";
import { newStoredUser } from "../store";
import type { IdentifierKind, JsonObject, StoredUser } from "../types";
import {
  identifierCount,
  lastIdentificationError,
  notVerifiedForPrimary,
  ok,
  str,
  throwIfAny,
  userOr404,
  writeUser,
  type HandlerContext,
  type HandlerResult,
} from "./context";
import { metadataUpdate } from "./metadata";

const METADATA = ["public_metadata", "private_metadata", "unsafe_metadata"] as const;

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

/** Empty string and null both clear username / external_id (spec: "Username can be removed by sending null or ''"). */
const clearable = (v: unknown): string | null | undefined =>
  v === undefined ? undefined : v === null || v === "" ? null : String(v);

/** Instance-wide uniqueness (ignoring the user itself); also catches duplicates inside one request. */
function checkUnique(
  ctx: HandlerContext,
  errors: ClerkErrorDetail[],
  kind: IdentifierKind,
  values: string[],
  selfId?: string,
): void {
  const seen = new Set<string>();
  for (const value of values) {
    const norm = kind === "phone_number" || kind === "external_id" ? value : value.toLowerCase();
    const owner = ctx.store.ownerOf(kind, value);
    if ((owner !== undefined && owner !== selfId) || seen.has(norm)) {
      errors.push(identifierExists(kind));
      return;
    }
    seen.add(norm);
  }
}

// ---- POST /users ----
export function createUser(ctx: HandlerContext): HandlerResult {
  const b = ctx.body;
  const emails = strings(b["email_address"]);
  const phones = strings(b["phone_number"]);
  const wallets = strings(b["web3_wallet"]);
  const errors: ClerkErrorDetail[] = [];
  if (emails.some((e) => !isEmail(e))) errors.push(invalidEmail("email_address"));
  if (phones.some((p) => !isE164(p))) errors.push(invalidPhone("phone_number"));
  if (wallets.some((w) => !isWeb3Wallet(w))) errors.push(invalidWeb3("web3_wallet"));
  const emailStatus = strings(b["email_address_identification_status"]);
  const phoneStatus = strings(b["phone_number_identification_status"]);
  if (emailStatus.length > 0 && emailStatus.length !== emails.length) {
    errors.push(
      paramValueInvalid(
        "email_address_identification_status",
        "email_address_identification_status must contain exactly one item per email address.",
      ),
    );
  }
  if (phoneStatus.length > 0 && phoneStatus.length !== phones.length) {
    errors.push(
      paramValueInvalid(
        "phone_number_identification_status",
        "phone_number_identification_status must contain exactly one item per phone number.",
      ),
    );
  }
  const createdAt = timeParam(errors, "created_at", b["created_at"]);
  const legalAcceptedAt = timeParam(errors, "legal_accepted_at", b["legal_accepted_at"]);
  for (const m of METADATA) checkMetadata(errors, m, b[m]);
  checkPassword(errors, b as PasswordFields, { update: false });
  throwIfAny(errors);

  const username = clearable(b["username"]) ?? null;
  const externalId = clearable(b["external_id"]) ?? null;
  checkUnique(ctx, errors, "email_address", emails);
  checkUnique(ctx, errors, "phone_number", phones);
  checkUnique(ctx, errors, "web3_wallet", wallets);
  if (username !== null) checkUnique(ctx, errors, "username", [username]);
  if (externalId !== null) checkUnique(ctx, errors, "external_id", [externalId]);
  throwIfAny(errors);

  if (ctx.userQuota !== null && ctx.store.size >= ctx.userQuota) throw userQuotaExceeded(ctx.userQuota);

  const now = ctx.now;
  const idn = () => newId("idn", now);
  const email_addresses = emails.map((email_address, i) => ({
    id: idn(),
    email_address,
    verified: emailStatus[i] !== "reserved",
    reserved: emailStatus[i] === "reserved",
    created_at: now,
    updated_at: now,
  }));
  const phone_numbers = phones.map((phone_number, i) => ({
    id: idn(),
    phone_number,
    verified: phoneStatus[i] !== "reserved",
    reserved: phoneStatus[i] === "reserved",
    reserved_for_second_factor: false,
    default_second_factor: false,
    created_at: now,
    updated_at: now,
  }));
  const web3_wallets = wallets.map((web3_wallet) => ({
    id: idn(),
    web3_wallet,
    verified: true,
    created_at: now,
    updated_at: now,
  }));
  const password = str(b["password"]) ?? null;
  const digest = str(b["password_digest"]) ?? null;
  const totp = str(b["totp_secret"]) ?? null;
  const backupCodes = Array.isArray(b["backup_codes"]) ? strings(b["backup_codes"]) : null;
  const user = newStoredUser(now, {
    external_id: externalId,
    username,
    first_name: str(b["first_name"]) ?? null,
    last_name: str(b["last_name"]) ?? null,
    locale: str(b["locale"]) ?? null,
    public_metadata: (b["public_metadata"] as JsonObject | undefined) ?? {},
    private_metadata: (b["private_metadata"] as JsonObject | undefined) ?? {},
    unsafe_metadata: (b["unsafe_metadata"] as JsonObject | undefined) ?? {},
    email_addresses,
    phone_numbers,
    web3_wallets,
    // "The first email address will be set as the user's primary email address" (same for phones, wallets)
    primary_email_address_id: email_addresses[0]?.id ?? null,
    primary_phone_number_id: phone_numbers[0]?.id ?? null,
    primary_web3_wallet_id: web3_wallets[0]?.id ?? null,
    password,
    password_digest: digest,
    password_hasher: digest === null ? null : (str(b["password_hasher"]) ?? null),
    password_last_updated_at: password !== null || digest !== null ? now : null,
    totp_secret: totp,
    backup_codes: backupCodes && backupCodes.length > 0 ? backupCodes : null,
    banned: b["banned"] === true,
    locked: b["locked"] === true,
    created_at: createdAt ?? now,
    updated_at: now,
    legal_accepted_at: legalAcceptedAt ?? null,
    delete_self_enabled: typeof b["delete_self_enabled"] === "boolean" ? b["delete_self_enabled"] : true,
    create_organization_enabled:
      typeof b["create_organization_enabled"] === "boolean" ? b["create_organization_enabled"] : true,
    create_organizations_limit:
      typeof b["create_organizations_limit"] === "number" ? b["create_organizations_limit"] : null,
    bypass_client_trust: b["bypass_client_trust"] === true,
  });
  if (totp !== null || user.backup_codes !== null) user.mfa_enabled_at = now;
  ctx.store.save(user);
  ctx.setUserId(user.id);
  return ok(userJson(user));
}

// ---- GET /users/{user_id} ----
export function getUser(ctx: HandlerContext): HandlerResult {
  return ok(userJson(userOr404(ctx, ctx.params["user_id"] ?? "")));
}

/** Validates a primary_*_id: it must be one of the user's identifications of that kind and verified. */
function primaryTarget(
  errors: ClerkErrorDetail[],
  param: string,
  what: string,
  value: unknown,
  list: Array<{ id: string; verified: boolean }>,
): string | undefined {
  if (typeof value !== "string") return undefined; // null / absent: leave the primary unchanged
  const target = list.find((i) => i.id === value);
  if (!target) errors.push(resourceParamNotFound(param));
  else if (!target.verified) errors.push(notVerifiedForPrimary(param, what));
  return target?.verified ? value : undefined;
}

// ---- PATCH /users/{user_id} ----
export function updateUser(ctx: HandlerContext): HandlerResult {
  const user = userOr404(ctx, ctx.params["user_id"] ?? "");
  const b = ctx.body;
  const errors: ClerkErrorDetail[] = [];
  checkPassword(errors, b as PasswordFields, { update: true });
  const createdAt = timeParam(errors, "created_at", b["created_at"]);
  const legalAcceptedAt = timeParam(errors, "legal_accepted_at", b["legal_accepted_at"]);
  const primaryEmail = primaryTarget(
    errors,
    "primary_email_address_id",
    "email address",
    b["primary_email_address_id"],
    user.email_addresses,
  );
  const primaryPhone = primaryTarget(
    errors,
    "primary_phone_number_id",
    "phone number",
    b["primary_phone_number_id"],
    user.phone_numbers,
  );
  const primaryWallet = primaryTarget(
    errors,
    "primary_web3_wallet_id",
    "web3 wallet",
    b["primary_web3_wallet_id"],
    user.web3_wallets,
  );
  throwIfAny(errors);

  const username = clearable(b["username"]);
  const externalId = clearable(b["external_id"]);
  if (username) checkUnique(ctx, errors, "username", [username], user.id);
  if (externalId) checkUnique(ctx, errors, "external_id", [externalId], user.id);
  throwIfAny(errors);
  if (username === null && user.username !== null && identifierCount(user) <= 1) throw lastIdentificationError();

  const updated = writeUser(ctx, user, (u) => {
    if (username !== undefined) u.username = username;
    if (externalId !== undefined) u.external_id = externalId;
    for (const f of ["first_name", "last_name", "locale", "profile_image_id"] as const) {
      if (b[f] !== undefined) u[f] = str(b[f]) ?? null;
    }
    if (primaryEmail) u.primary_email_address_id = primaryEmail;
    if (primaryPhone) u.primary_phone_number_id = primaryPhone;
    if (primaryWallet) u.primary_web3_wallet_id = primaryWallet;
    if (typeof b["password"] === "string") {
      u.password = b["password"];
      u.password_digest = null;
      u.password_hasher = null;
      u.password_last_updated_at = ctx.now;
    } else if (typeof b["password_digest"] === "string") {
      u.password = null;
      u.password_digest = b["password_digest"];
      u.password_hasher = str(b["password_hasher"]) ?? null;
      u.password_last_updated_at = ctx.now;
    }
    if (typeof b["totp_secret"] === "string") u.totp_secret = b["totp_secret"];
    if (Array.isArray(b["backup_codes"])) {
      const codes = strings(b["backup_codes"]);
      u.backup_codes = codes.length > 0 ? codes : null;
    }
    for (const f of ["delete_self_enabled", "create_organization_enabled", "bypass_client_trust"] as const) {
      if (typeof b[f] === "boolean") u[f] = b[f];
    }
    if (b["create_organizations_limit"] !== undefined) {
      u.create_organizations_limit =
        typeof b["create_organizations_limit"] === "number" ? b["create_organizations_limit"] : null;
    }
    if (createdAt !== undefined && createdAt !== null) u.created_at = createdAt;
    if (legalAcceptedAt !== undefined) u.legal_accepted_at = legalAcceptedAt;
  });
  return ok(userJson(updated));
}

// ---- DELETE /users/{user_id} ----
export function deleteUser(ctx: HandlerContext): HandlerResult {
  const user = userOr404(ctx, ctx.params["user_id"] ?? "");
  ctx.store.remove(user.id);
  return ok(deletedJson("user", user.id));
}

function metadataWrite(ctx: HandlerContext, mode: "merge" | "replace"): HandlerResult {
  const user = userOr404(ctx, ctx.params["user_id"] ?? "");
  const { next, errors } = metadataUpdate(user, ctx.body, METADATA, mode);
  throwIfAny(errors);
  const updated = writeUser(ctx, user, (u) => {
    for (const m of METADATA) {
      const v = next[m];
      if (v !== undefined) u[m] = v;
    }
  });
  return ok(userJson(updated));
}

/** PATCH /users/{user_id}/metadata */
export const mergeMetadata = (ctx: HandlerContext): HandlerResult => metadataWrite(ctx, "merge");
/** PUT /users/{user_id}/metadata */
export const replaceMetadata = (ctx: HandlerContext): HandlerResult => metadataWrite(ctx, "replace");

function flagWrite(field: "banned" | "locked", value: boolean) {
  return (ctx: HandlerContext): HandlerResult => {
    const user = userOr404(ctx, ctx.params["user_id"] ?? "");
    return ok(userJson(writeUser(ctx, user, (u) => void (u[field] = value))));
  };
}

export const banUser = flagWrite("banned", true);
export const unbanUser = flagWrite("banned", false);
export const lockUser = flagWrite("locked", true);
export const unlockUser = flagWrite("locked", false);

/** POST /users/{user_id}/remove_password: "If the user does not have a password, the user is returned unchanged". */
export function removePassword(ctx: HandlerContext): HandlerResult {
  const user = userOr404(ctx, ctx.params["user_id"] ?? "");
  if (user.password === null && user.password_digest === null) return ok(userJson(user));
  const updated = writeUser(ctx, user, (u) => {
    u.password = null;
    u.password_digest = null;
    u.password_hasher = null;
  });
  return ok(userJson(updated));
}

/** DELETE /users/{id}/totp | backup_code | mfa: spec answers `{user_id}` (no `object`, the SDK returns it raw). */
function mfaRemoval(mutate: (u: StoredUser) => void, changed: (u: StoredUser) => boolean) {
  return (ctx: HandlerContext): HandlerResult => {
    const user = userOr404(ctx, ctx.params["user_id"] ?? "");
    if (changed(user)) writeUser(ctx, user, mutate);
    return ok({ user_id: user.id });
  };
}

export const deleteTotp = mfaRemoval(
  (u) => void (u.totp_secret = null),
  (u) => u.totp_secret !== null,
);
export const deleteBackupCodes = mfaRemoval(
  (u) => void (u.backup_codes = null),
  (u) => u.backup_codes !== null,
);
export const disableMfa = mfaRemoval(
  (u) => {
    u.totp_secret = null;
    u.backup_codes = null;
    for (const p of u.phone_numbers) {
      p.reserved_for_second_factor = false;
      p.default_second_factor = false;
    }
  },
  (u) => u.totp_secret !== null || u.backup_codes !== null || u.phone_numbers.some((p) => p.reserved_for_second_factor),
);

/** Exported for the identification handlers. */
export { checkUnique, unprocessable };
