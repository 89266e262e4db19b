import { ClerkApiError, detail, identificationNotFound, invalidPhone, type ClerkErrorDetail } from "../errors";
import { newId } from "../ids";
import { isE164 } from "../rules";
import { deletedJson, phoneNumberJson } from "../serialize";
import type { StoredPhoneNumber, StoredUser } from "../types";
import {
  identifierCount,
  lastIdentificationError,
  notVerifiedForPrimary,
  ok,
  throwIfAny,
  userOr404,
  writeUser,
  type HandlerContext,
  type HandlerResult,
} from "./context";
import { checkUnique } from "./users";

/**
 * /phone_numbers: like /email_addresses plus `reserved_for_second_factor` (2FA). A verified phone reserved for
 * 2FA becomes the default second factor when no other phone is; 2FA changes move mfa_enabled_at/disabled_at.
 */

function phoneOr404(ctx: HandlerContext): { user: StoredUser; phone: StoredPhoneNumber } {
  const ref = ctx.store.identification(ctx.params["phone_number_id"] ?? "");
  if (!ref || ref.kind !== "phone_number") throw identificationNotFound();
  ctx.setUserId(ref.user.id);
  return { user: ref.user, phone: ref.record };
}

const secondFactorUnverified = (create: boolean): ClerkApiError =>
  create
    ? new ClerkApiError(400, [
        detail(
          "identification_create_second_factor_unverified",
          "Create failed",
          "Unverified identifications cannot be a second factor",
        ),
      ])
    : new ClerkApiError(400, [
        detail(
          "identification_update_second_factor_unverified",
          "Update failed",
          "Cannot update second factor attributes for unverified identification",
        ),
      ]);

/** Keeps exactly one default second factor among the phones reserved for 2FA (none if there are none). */
function normalizeSecondFactors(user: StoredUser, preferred?: string): void {
  const reserved = user.phone_numbers.filter((p) => p.reserved_for_second_factor);
  for (const p of user.phone_numbers) if (!p.reserved_for_second_factor) p.default_second_factor = false;
  if (reserved.some((p) => p.default_second_factor)) return;
  const next = reserved.find((p) => p.id === preferred) ?? reserved[0];
  if (next) next.default_second_factor = true;
}

export function createPhoneNumber(ctx: HandlerContext): HandlerResult {
  const b = ctx.body;
  const user = userOr404(ctx, String(b["user_id"]));
  const number = String(b["phone_number"]);
  const errors: ClerkErrorDetail[] = [];
  if (!isE164(number)) errors.push(invalidPhone("phone_number"));
  throwIfAny(errors);
  checkUnique(ctx, errors, "phone_number", [number]);
  throwIfAny(errors);
  const verified = b["verified"] === true;
  const wantsPrimary = b["primary"] === true;
  const secondFactor = b["reserved_for_second_factor"] === true;
  if (wantsPrimary && !verified) throwIfAny([notVerifiedForPrimary("primary", "phone number")]);
  if (secondFactor && !verified) throw secondFactorUnverified(true);
  const phone: StoredPhoneNumber = {
    id: newId("idn", ctx.now),
    phone_number: number,
    verified,
    reserved: false,
    reserved_for_second_factor: secondFactor,
    default_second_factor: false,
    created_at: ctx.now,
    updated_at: ctx.now,
  };
  const updated = writeUser(ctx, user, (u) => {
    u.phone_numbers.push(phone);
    if (wantsPrimary || (verified && u.primary_phone_number_id === null)) u.primary_phone_number_id = phone.id;
    normalizeSecondFactors(u, phone.id);
  });
  return ok(phoneNumberJson(updated.phone_numbers.find((p) => p.id === phone.id)!));
}

export function getPhoneNumber(ctx: HandlerContext): HandlerResult {
  return ok(phoneNumberJson(phoneOr404(ctx).phone));
}

export function updatePhoneNumber(ctx: HandlerContext): HandlerResult {
  const { user, phone } = phoneOr404(ctx);
  const b = ctx.body;
  const verified = typeof b["verified"] === "boolean" ? b["verified"] : phone.verified;
  if (b["primary"] === true && !verified) throwIfAny([notVerifiedForPrimary("primary", "phone number")]);
  const secondFactor =
    typeof b["reserved_for_second_factor"] === "boolean"
      ? b["reserved_for_second_factor"]
      : phone.reserved_for_second_factor;
  if (secondFactor && !verified) throw secondFactorUnverified(false);
  if (user.primary_phone_number_id === phone.id && !verified) {
    throw new ClerkApiError(400, [
      detail(
        "identification_update_failed",
        "Update failed",
        "The primary phone number cannot be marked as unverified.",
      ),
    ]);
  }
  const updated = writeUser(ctx, user, (u) => {
    const p = u.phone_numbers.find((x) => x.id === phone.id)!;
    p.verified = verified;
    p.reserved_for_second_factor = secondFactor;
    if (b["primary"] === true) u.primary_phone_number_id = p.id;
    normalizeSecondFactors(u, p.id);
  });
  const p = updated.phone_numbers.find((x) => x.id === phone.id)!;
  p.updated_at = updated.updated_at;
  return ok(phoneNumberJson(p));
}

/** Deleting the primary promotes the oldest remaining verified number, or leaves no primary. */
export function deletePhoneNumber(ctx: HandlerContext): HandlerResult {
  const { user, phone } = phoneOr404(ctx);
  if (identifierCount(user) <= 1) throw lastIdentificationError();
  writeUser(ctx, user, (u) => {
    u.phone_numbers = u.phone_numbers.filter((p) => p.id !== phone.id);
    if (u.primary_phone_number_id === phone.id) {
      u.primary_phone_number_id = u.phone_numbers.find((p) => p.verified)?.id ?? null;
    }
    normalizeSecondFactors(u);
  });
  return ok(deletedJson("phone_number", phone.id));
}
