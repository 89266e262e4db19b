import { ClerkApiError, detail, identificationNotFound, invalidEmail, type ClerkErrorDetail } from "../errors";
import { newId } from "../ids";
import { isEmail } from "../rules";
import { deletedJson, emailAddressJson } from "../serialize";
import type { StoredEmailAddress, StoredUser } from "../types";
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
 * /email_addresses: add, read, verify / make primary, delete.
 * Rules: `verified` defaults to false; only a verified address can be primary; the first address becomes primary
 * only when it is verified (Clerk: "primary ... Default: false, unless it is the first email address").
 */

function emailOr404(ctx: HandlerContext): { user: StoredUser; email: StoredEmailAddress } {
  const ref = ctx.store.identification(ctx.params["email_address_id"] ?? "");
  if (!ref || ref.kind !== "email_address") throw identificationNotFound();
  ctx.setUserId(ref.user.id);
  return { user: ref.user, email: ref.record };
}

export function createEmailAddress(ctx: HandlerContext): HandlerResult {
  const b = ctx.body;
  const user = userOr404(ctx, String(b["user_id"]));
  const address = String(b["email_address"]);
  const errors: ClerkErrorDetail[] = [];
  if (!isEmail(address)) errors.push(invalidEmail("email_address"));
  throwIfAny(errors);
  checkUnique(ctx, errors, "email_address", [address]);
  throwIfAny(errors);
  const verified = b["verified"] === true;
  const wantsPrimary = b["primary"] === true;
  if (wantsPrimary && !verified) throwIfAny([notVerifiedForPrimary("primary", "email address")]);
  const email: StoredEmailAddress = {
    id: newId("idn", ctx.now),
    email_address: address,
    verified,
    reserved: false,
    created_at: ctx.now,
    updated_at: ctx.now,
  };
  writeUser(ctx, user, (u) => {
    u.email_addresses.push(email);
    if (wantsPrimary || (verified && u.primary_email_address_id === null)) u.primary_email_address_id = email.id;
  });
  return ok(emailAddressJson(email));
}

export function getEmailAddress(ctx: HandlerContext): HandlerResult {
  return ok(emailAddressJson(emailOr404(ctx).email));
}

export function updateEmailAddress(ctx: HandlerContext): HandlerResult {
  const { user, email } = emailOr404(ctx);
  const b = ctx.body;
  const verified = typeof b["verified"] === "boolean" ? b["verified"] : email.verified;
  const isPrimary = user.primary_email_address_id === email.id;
  if (b["primary"] === true && !verified) throwIfAny([notVerifiedForPrimary("primary", "email address")]);
  if (isPrimary && !verified) {
    throw new ClerkApiError(400, [
      detail(
        "identification_update_failed",
        "Update failed",
        "The primary email address cannot be marked as unverified.",
      ),
    ]);
  }
  const updated = writeUser(ctx, user, (u) => {
    const e = u.email_addresses.find((x) => x.id === email.id)!;
    e.verified = verified;
    if (b["primary"] === true) u.primary_email_address_id = e.id;
  });
  const e = updated.email_addresses.find((x) => x.id === email.id)!;
  e.updated_at = updated.updated_at; // the identification changed in the same write
  return ok(emailAddressJson(e));
}

/** Deleting the primary promotes the oldest remaining verified address, or leaves no primary. */
export function deleteEmailAddress(ctx: HandlerContext): HandlerResult {
  const { user, email } = emailOr404(ctx);
  if (identifierCount(user) <= 1) throw lastIdentificationError();
  writeUser(ctx, user, (u) => {
    u.email_addresses = u.email_addresses.filter((e) => e.id !== email.id);
    if (u.primary_email_address_id === email.id) {
      u.primary_email_address_id = u.email_addresses.find((e) => e.verified)?.id ?? null;
    }
  });
  return ok(deletedJson("email_address", email.id));
}
