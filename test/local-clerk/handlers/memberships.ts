import {
  alreadyAMember,
  membershipQuotaExceeded,
  minimumPermissionsNeeded,
  organizationRoleNotFound,
  resourceNotFound,
  type ClerkErrorDetail,
} from "../errors";
import { isElevated, newStoredMembership } from "../organizationStore";
import { checkMetadata } from "../rules";
import { membershipJson } from "../serialize";
import type { JsonObject, StoredMembership, StoredOrganization } from "../types";
import { ok, organizationOr404, throwIfAny, userOr404, type HandlerContext, type HandlerResult } from "./context";
import { asArray, lower, num, plusMinus, sortAndPage, text, type SortValue } from "./listing";
import { metadataUpdate } from "./metadata";

/**
 * Organization memberships (spec 2026-05-12: CreateOrganizationMembership, ListOrganizationMemberships,
 * UpdateOrganizationMembership, DeleteOrganizationMembership, UpdateOrganizationMembershipMetadata,
 * InstanceGetOrganizationMemberships, UsersGetOrganizationMemberships).
 *
 * Rules beyond the schema follow Clerk's Go backend (public copy: alexisintech/scalar-script,
 * `api/shared/organizations/service.go`, `api/bapi/v1/organization_memberships`, commit edbc6ae):
 * - add: unknown user 404; unknown role 404 (`meta.param_name` "role"); a full organization 403
 *   `organization_membership_quota_exceeded` (when `max_allowed_memberships` > 0; checked before the next rule);
 *   an existing member 400 `already_a_member_in_organization`;
 * - change role / remove: the last member holding the permissions that run an organization cannot lose them
 *   (400 `organization_minimum_permissions_needed`); any role change of that member is refused, as Clerk does;
 * - removing the last member deletes the organization;
 * - a missing membership is a 404 `resource_not_found`, as is an unknown organization.
 */

const METADATA = ["public_metadata", "private_metadata"] as const;

function json(ctx: HandlerContext, m: StoredMembership, org: StoredOrganization) {
  return membershipJson(m, org, ctx.store.get(m.user_id), ctx.organizationSettings.roles[m.role]);
}

function roleOr404(ctx: HandlerContext, role: unknown): string {
  const key = String(role);
  if (ctx.organizationSettings.roles[key] === undefined) throw organizationRoleNotFound();
  return key;
}

function membershipOr404(ctx: HandlerContext, org: StoredOrganization): StoredMembership {
  const userId = ctx.params["user_id"] ?? "";
  ctx.setUserId(userId);
  const m = ctx.store.organizations.membership(org.id, userId);
  if (!m) throw resourceNotFound();
  return m;
}

/** Clerk's EnsureAtLeastOneWithMinimumSystemPermissions: `m` must not be the only member who can run the org. */
function ensureNotLastElevated(ctx: HandlerContext, m: StoredMembership): void {
  const elevated = ctx.store.organizations
    .membershipsOf(m.organization_id)
    .filter((x) => isElevated(ctx.organizationSettings, x.role));
  if (elevated.length === 1 && elevated[0]!.user_id === m.user_id) throw minimumPermissionsNeeded();
}

const touched = (m: StoredMembership, now: number): StoredMembership => ({
  ...m,
  updated_at: Math.max(now, m.updated_at + 1),
});

// ---- POST /organizations/{organization_id}/memberships ----
export function createMembership(ctx: HandlerContext): HandlerResult {
  const org = organizationOr404(ctx);
  const b = ctx.body;
  const errors: ClerkErrorDetail[] = [];
  for (const f of METADATA) if (b[f] !== null) checkMetadata(errors, f, b[f]);
  throwIfAny(errors);
  const user = userOr404(ctx, String(b["user_id"]));
  const role = roleOr404(ctx, b["role"]);
  const orgs = ctx.store.organizations;
  const limit = org.max_allowed_memberships;
  if (limit > 0 && orgs.membershipsOf(org.id).length + 1 > limit) throw membershipQuotaExceeded(limit);
  if (orgs.membership(org.id, user.id)) throw alreadyAMember(user.id);
  const m = newStoredMembership(ctx.now, {
    organization_id: org.id,
    user_id: user.id,
    role,
    public_metadata: (b["public_metadata"] as JsonObject | null | undefined) ?? {},
    private_metadata: (b["private_metadata"] as JsonObject | null | undefined) ?? {},
  });
  orgs.saveMembership(m);
  return ok(json(ctx, m, org));
}

// ---- PATCH /organizations/{organization_id}/memberships/{user_id} ----
export function updateMembership(ctx: HandlerContext): HandlerResult {
  const org = organizationOr404(ctx);
  const m = membershipOr404(ctx, org);
  const role = roleOr404(ctx, ctx.body["role"]);
  if (role !== m.role) ensureNotLastElevated(ctx, m);
  const updated = ctx.store.organizations.saveMembership({ ...touched(m, ctx.now), role });
  return ok(json(ctx, updated, org));
}

// ---- PATCH /organizations/{organization_id}/memberships/{user_id}/metadata ----
export function updateMembershipMetadata(ctx: HandlerContext): HandlerResult {
  const org = organizationOr404(ctx);
  const m = membershipOr404(ctx, org);
  const { next, errors } = metadataUpdate(m, ctx.body, METADATA, "merge");
  throwIfAny(errors);
  const updated = ctx.store.organizations.saveMembership({ ...touched(m, ctx.now), ...next });
  return ok(json(ctx, updated, org));
}

// ---- DELETE /organizations/{organization_id}/memberships/{user_id} ----
export function deleteMembership(ctx: HandlerContext): HandlerResult {
  const org = organizationOr404(ctx);
  const m = membershipOr404(ctx, org);
  ensureNotLastElevated(ctx, m);
  const orgs = ctx.store.organizations;
  orgs.removeMembership(org.id, m.user_id);
  // "no members left in the organization, let's delete it" (Clerk's DeleteMembership)
  if (orgs.membershipsOf(org.id).length === 0) orgs.removeOrganization(org.id);
  return ok(json(ctx, m, org));
}

// ---- listings ----
const MEMBERSHIP_ORDER = (ctx: HandlerContext): Record<string, (m: StoredMembership) => SortValue> => {
  const user = (m: StoredMembership) => ctx.store.get(m.user_id);
  const primaryEmail = (m: StoredMembership) => {
    const u = user(m);
    return u?.email_addresses.find((e) => e.id === u.primary_email_address_id)?.email_address.toLowerCase() ?? null;
  };
  const primaryPhone = (m: StoredMembership) => {
    const u = user(m);
    return u?.phone_numbers.find((p) => p.id === u.primary_phone_number_id)?.phone_number ?? null;
  };
  return {
    created_at: (m) => m.created_at,
    email_address: primaryEmail,
    phone_number: primaryPhone,
    first_name: (m) => user(m)?.first_name ?? null,
    last_name: (m) => user(m)?.last_name ?? null,
    username: (m) => user(m)?.username ?? null,
    role: (m) => m.role,
  };
};

function page(ctx: HandlerContext, memberships: StoredMembership[]): HandlerResult {
  const orgs = ctx.store.organizations;
  const { page, total } = sortAndPage(memberships, ctx.query, "-created_at", MEMBERSHIP_ORDER(ctx), (m) =>
    orgs.sequenceOf(m.id),
  );
  return ok({ data: page.map((m) => json(ctx, m, orgs.get(m.organization_id)!)), total_count: total });
}

/** The user filters of ListOrganizationMemberships (the same semantics as GET /users). */
function memberFilter(ctx: HandlerContext): (m: StoredMembership) => boolean {
  const q = ctx.query;
  const userIds = plusMinus(asArray(q["user_id"]));
  const emails = new Set(asArray(q["email_address"]).map(lower));
  const phones = new Set(asArray(q["phone_number"]));
  const usernames = new Set(asArray(q["username"]).map(lower));
  const wallets = new Set(asArray(q["web3_wallet"]).map(lower));
  const roles = new Set(asArray(q["role"]));
  const query = text(q["query"])?.toLowerCase();
  const partial = (name: string): string | undefined => text(q[name])?.toLowerCase();
  const [emailQuery, phoneQuery, usernameQuery, nameQuery] = [
    partial("email_address_query"),
    partial("phone_number_query"),
    partial("username_query"),
    partial("name_query"),
  ];
  const within = (value: number | null, before: unknown, after: unknown): boolean =>
    (num(before) === undefined || (value !== null && value < num(before)!)) &&
    (num(after) === undefined || (value !== null && value > num(after)!));
  return (m) => {
    const u = ctx.store.get(m.user_id);
    if (!u) return false;
    const emailList = u.email_addresses.map((e) => lower(e.email_address));
    const phoneList = u.phone_numbers.map((p) => p.phone_number);
    const walletList = u.web3_wallets.map((w) => lower(w.web3_wallet));
    const fullName = lower(`${u.first_name ?? ""} ${u.last_name ?? ""}`);
    if (userIds.include.size > 0 && !userIds.include.has(u.id)) return false;
    if (userIds.exclude.has(u.id)) return false;
    if (emails.size > 0 && !emailList.some((e) => emails.has(e))) return false;
    if (phones.size > 0 && !phoneList.some((p) => phones.has(p))) return false;
    if (usernames.size > 0 && (u.username === null || !usernames.has(lower(u.username)))) return false;
    if (wallets.size > 0 && !walletList.some((w) => wallets.has(w))) return false;
    if (roles.size > 0 && !roles.has(m.role)) return false;
    const searchable = [lower(u.id), ...emailList, ...phoneList, ...walletList, lower(u.username ?? ""), fullName];
    if (query !== undefined && !searchable.some((s) => s.includes(query))) return false;
    if (emailQuery !== undefined && !emailList.some((e) => e.includes(emailQuery))) return false;
    if (phoneQuery !== undefined && !phoneList.some((p) => p.includes(phoneQuery))) return false;
    if (usernameQuery !== undefined && !lower(u.username ?? "").includes(usernameQuery)) return false;
    if (nameQuery !== undefined && !fullName.includes(nameQuery)) return false;
    if (!within(u.created_at, q["created_at_before"], q["created_at_after"])) return false;
    if (!within(u.last_active_at, q["last_active_at_before"], q["last_active_at_after"])) return false;
    return true;
  };
}

/** GET /organizations/{organization_id}/memberships (an unknown organization is a 404, as on all its routes). */
export function listMemberships(ctx: HandlerContext): HandlerResult {
  const org = organizationOr404(ctx);
  return page(ctx, ctx.store.organizations.membershipsOf(org.id).filter(memberFilter(ctx)));
}

/** GET /organization_memberships: every membership of the instance. */
export function listInstanceMemberships(ctx: HandlerContext): HandlerResult {
  return page(ctx, ctx.store.organizations.allMemberships());
}

/** GET /users/{user_id}/organization_memberships; the spec declares no 404: an unknown user has none [inferred]. */
export function listUserMemberships(ctx: HandlerContext): HandlerResult {
  const userId = ctx.params["user_id"] ?? "";
  ctx.setUserId(userId);
  return page(ctx, ctx.store.organizations.membershipsOfUser(userId));
}
