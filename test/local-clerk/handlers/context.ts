import { ClerkApiError, detail, resourceNotFound, unprocessable, userNotFound, type ClerkErrorDetail } from "../errors";
import { isTwoFactorEnabled } from "../serialize";
import type { LocalInstance } from "../instance";
import type { Store } from "../store";
import type { OrganizationSettings, StoredOrganization, StoredUser } from "../types";

/** What every operation handler receives; handlers are synchronous and throw {@link ClerkApiError} on failure. */
export interface HandlerContext {
  readonly store: Store;
  /** Request time in ms (from the server's clock). */
  readonly now: number;
  /** Path params, e.g. `user_id`. */
  readonly params: Record<string, string>;
  /** Query after spec coercion (integers, booleans, arrays). */
  readonly query: Record<string, unknown>;
  /** Parsed JSON body; `{}` when none was sent. */
  readonly body: Record<string, unknown>;
  /** Dev-instance user cap; null = unlimited. */
  readonly userQuota: number | null;
  /** The instance this server plays (`GET /v1/instance`). */
  readonly instance: Readonly<LocalInstance>;
  /** The instance's organization settings (roles, creator role, defaults of new organizations). */
  readonly organizationSettings: Readonly<OrganizationSettings>;
  /** Records the user a request concerns (request log `userId`). */
  setUserId(id: string): void;
  /** Records the organization a request concerns (request log `organizationId`). */
  setOrganizationId(id: string): void;
}

export interface HandlerResult {
  status: number;
  body: unknown;
}

export type Handler = (ctx: HandlerContext) => HandlerResult;

export const ok = (body: unknown): HandlerResult => ({ status: 200, body });

export function userOr404(ctx: HandlerContext, userId: string): StoredUser {
  ctx.setUserId(userId);
  const user = ctx.store.get(userId);
  if (!user) throw userNotFound(userId);
  return user;
}

/** The organization of the `organization_id` path param (an id, or for GET a slug too), or Clerk's 404. */
export function organizationOr404(ctx: HandlerContext, opts: { slugToo?: boolean } = {}): StoredOrganization {
  const key = ctx.params["organization_id"] ?? "";
  const orgs = ctx.store.organizations;
  ctx.setOrganizationId(key);
  const org = opts.slugToo ? orgs.byIdOrSlug(key) : orgs.get(key);
  if (!org) throw resourceNotFound();
  ctx.setOrganizationId(org.id);
  return org;
}

export function throwIfAny(errors: ClerkErrorDetail[]): void {
  if (errors.length > 0) throw unprocessable(...errors);
}

/**
 * `updated_at` moves on every write. It is kept strictly increasing (at least +1 ms) so two writes inside
 * one millisecond are still distinguishable — tests assert "bumped".
 */
export function touch(user: StoredUser, now: number): number {
  user.updated_at = Math.max(now, user.updated_at + 1);
  return user.updated_at;
}

/**
 * Applies `mutate` to a copy of the user, maintains mfa_enabled_at / mfa_disabled_at across the 2FA transition,
 * bumps updated_at and saves. Working on a copy means a throwing mutation leaves the store untouched.
 */
export function writeUser(ctx: HandlerContext, user: StoredUser, mutate: (draft: StoredUser) => void): StoredUser {
  const draft = structuredClone(user);
  const before = isTwoFactorEnabled(draft);
  mutate(draft);
  const after = isTwoFactorEnabled(draft);
  if (!before && after) draft.mfa_enabled_at = ctx.now;
  if (before && !after) draft.mfa_disabled_at = ctx.now;
  touch(draft, ctx.now);
  return ctx.store.save(draft);
}

/** Number of sign-in identifiers (emails, phones, wallets, username) a user has. */
export function identifierCount(user: StoredUser): number {
  return user.email_addresses.length + user.phone_numbers.length + user.web3_wallets.length + (user.username ? 1 : 0);
}

/**
 * [inferred] Clerk refuses to remove a user's last identification; the BAPI index documents no code for it, so we
 * use the Identifications family's 400 shape (`identification_deletion_failed`, as Clerk's Frontend API does).
 */
export const lastIdentificationError = (): ClerkApiError =>
  new ClerkApiError(400, [
    detail("identification_deletion_failed", "Deletion failed", "You cannot delete your last identification."),
  ]);

/** [inferred] Clerk requires a verified identification to become primary; the code is undocumented. */
export const notVerifiedForPrimary = (param: string, what: string): ClerkErrorDetail =>
  detail(
    "form_param_value_invalid",
    "is invalid",
    `The ${what} must be verified before it can be set as primary.`,
    param,
  );

export const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
