import { identifierExists, organizationCreatorNotFound, paramValueInvalid, type ClerkErrorDetail } from "../errors";
import { isElevated, newStoredMembership, newStoredOrganization } from "../organizationStore";
import { checkMetadata, timeParam } from "../rules";
import { deletedJson, organizationJson, type OrganizationExtras } from "../serialize";
import type { JsonObject, StoredOrganization } from "../types";
import { ok, organizationOr404, throwIfAny, type HandlerContext, type HandlerResult } from "./context";
import { asArray, lower, plusMinus, sortAndPage, text, type SortValue } from "./listing";
import { metadataUpdate } from "./metadata";

/**
 * /organizations (spec 2026-05-12: CreateOrganization, ListOrganizations, GetOrganization, UpdateOrganization,
 * DeleteOrganization, MergeOrganizationMetadata, ReplaceOrganizationMetadata).
 *
 * Rules beyond the schema follow Clerk's Go backend (a public copy: alexisintech/scalar-script, `api/shared/
 * organizations/service.go` and `api/bapi/v1/organizations`, commit edbc6ae) and the error index (NOTES Appendix A):
 * - a slug someone else holds: 422 `form_identifier_exists`, `meta.param_name` "slug", on create and update;
 * - no slug on create: one is generated from the name plus the creation time in whole seconds (`acme-1767225600`),
 *   so two unnamed-slug organizations with one name created within one second collide like a taken slug;
 * - `created_by` must be a user of the instance (400 `organization_creator_not_found`) and becomes a member with the
 *   instance's creator role (`org:admin` by default), counted against `max_allowed_memberships`;
 * - `null` for an optional field of PATCH leaves it unchanged;
 * - deleting an organization deletes its memberships.
 */

const METADATA = ["public_metadata", "private_metadata"] as const;
/** Spec: "Max length: 256". */
export const ORGANIZATION_NAME_MAX = 256;
/** Spec: "Can contain only lowercase alphanumeric characters and the dash". */
const SLUG = /^[a-z0-9-]+$/;

function checkName(errors: ClerkErrorDetail[], name: unknown): void {
  if (typeof name !== "string") return; // the schema already refused other types
  if (name.trim() === "" || [...name].length > ORGANIZATION_NAME_MAX) {
    errors.push(paramValueInvalid("name", "name is invalid"));
  } else if (/<[^>]*>|https?:\/\/|www\./i.test(name)) {
    // error index OrganizationNameInvalid ("May not contain URLs or HTML")
    errors.push(paramValueInvalid("name", `The organization name ${JSON.stringify(name)} is invalid.`));
  }
}

function checkSlug(errors: ClerkErrorDetail[], slug: unknown): void {
  if (typeof slug === "string" && !SLUG.test(slug)) {
    errors.push({
      code: "form_param_format_invalid",
      message: "is invalid",
      long_message: 'slug can contain only lowercase alphanumeric characters and the dash "-".',
      meta: { param_name: "slug" },
    });
  }
}

/** Clerk's generated slug: the name transliterated, lowercased, runs of other characters as `-`, then `-<unix s>`. */
export function generatedSlug(name: string, nowMs: number): string {
  const base = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9\-_]+/g, "-");
  return `${base}-${Math.floor(nowMs / 1000)}`;
}

function slugTaken(ctx: HandlerContext, slug: string, selfId?: string): void {
  const owner = ctx.store.organizations.slugOwner(slug);
  if (owner !== undefined && owner !== selfId) throwIfAny([identifierExists("slug")]);
}

/** `updated_at` moves on every write, strictly increasing (see users' `touch`). */
function touched(org: StoredOrganization, now: number): StoredOrganization {
  return { ...org, updated_at: Math.max(now, org.updated_at + 1) };
}

/** Members count and whether no member can run the organization, when the request asks for them. */
function extras(ctx: HandlerContext, org: StoredOrganization): OrganizationExtras {
  const members = ctx.store.organizations.membershipsOf(org.id);
  return {
    ...(ctx.query["include_members_count"] === true ? { membersCount: members.length } : {}),
    ...(ctx.query["include_missing_member_with_elevated_permissions"] === true
      ? { missingMemberWithElevatedPermissions: !members.some((m) => isElevated(ctx.organizationSettings, m.role)) }
      : {}),
  };
}

// ---- POST /organizations ----
export function createOrganization(ctx: HandlerContext): HandlerResult {
  const b = ctx.body;
  const errors: ClerkErrorDetail[] = [];
  checkName(errors, b["name"]);
  checkSlug(errors, b["slug"]);
  const createdAt = timeParam(errors, "created_at", b["created_at"]);
  for (const m of METADATA) if (b[m] !== null) checkMetadata(errors, m, b[m]);
  throwIfAny(errors);

  const createdBy = text(b["created_by"]);
  if (createdBy !== undefined && !ctx.store.get(createdBy)) throw organizationCreatorNotFound(createdBy);
  const name = String(b["name"]).trim();
  const slug = text(b["slug"]) ?? generatedSlug(name, ctx.now);
  slugTaken(ctx, slug);

  const settings = ctx.organizationSettings;
  const org = newStoredOrganization(ctx.now, settings, {
    name,
    slug,
    ...(typeof b["max_allowed_memberships"] === "number"
      ? { max_allowed_memberships: b["max_allowed_memberships"] }
      : {}),
    public_metadata: (b["public_metadata"] as JsonObject | null | undefined) ?? {},
    private_metadata: (b["private_metadata"] as JsonObject | null | undefined) ?? {},
    created_by: createdBy ?? null,
    ...(typeof b["role_set_key"] === "string" ? { role_set_key: b["role_set_key"] } : {}),
    created_at: createdAt ?? ctx.now,
    updated_at: ctx.now,
  });
  ctx.store.organizations.saveOrganization(org);
  ctx.setOrganizationId(org.id);
  if (createdBy !== undefined) {
    ctx.store.organizations.saveMembership(
      newStoredMembership(ctx.now, { organization_id: org.id, user_id: createdBy, role: settings.creatorRole }),
    );
  }
  return ok(organizationJson(org));
}

// ---- GET /organizations/{organization_id} (an id or a slug) ----
export function getOrganization(ctx: HandlerContext): HandlerResult {
  const org = organizationOr404(ctx, { slugToo: true });
  return ok(organizationJson(org, extras(ctx, org)));
}

// ---- PATCH /organizations/{organization_id} ----
export function updateOrganization(ctx: HandlerContext): HandlerResult {
  const org = organizationOr404(ctx);
  const b = ctx.body;
  const errors: ClerkErrorDetail[] = [];
  checkName(errors, b["name"]);
  checkSlug(errors, b["slug"]);
  const createdAt = timeParam(errors, "created_at", b["created_at"]);
  throwIfAny(errors);
  const slug = text(b["slug"]);
  if (slug !== undefined) slugTaken(ctx, slug, org.id);

  const next = touched(org, ctx.now);
  if (typeof b["name"] === "string") next.name = b["name"].trim();
  if (slug !== undefined) next.slug = slug;
  if (typeof b["max_allowed_memberships"] === "number") next.max_allowed_memberships = b["max_allowed_memberships"];
  if (typeof b["admin_delete_enabled"] === "boolean") next.admin_delete_enabled = b["admin_delete_enabled"];
  if (typeof createdAt === "number") next.created_at = createdAt;
  if (typeof b["role_set_key"] === "string") next.role_set_key = b["role_set_key"];
  return ok(organizationJson(ctx.store.organizations.saveOrganization(next)));
}

// ---- DELETE /organizations/{organization_id} ----
export function deleteOrganization(ctx: HandlerContext): HandlerResult {
  const org = organizationOr404(ctx);
  ctx.store.organizations.removeOrganization(org.id);
  return ok(deletedJson("organization", org.id));
}

function metadataWrite(ctx: HandlerContext, mode: "merge" | "replace"): HandlerResult {
  const org = organizationOr404(ctx);
  const { next, errors } = metadataUpdate(org, ctx.body, METADATA, mode);
  throwIfAny(errors);
  const updated = { ...touched(org, ctx.now), ...next };
  return ok(organizationJson(ctx.store.organizations.saveOrganization(updated)));
}

/** PATCH /organizations/{organization_id}/metadata */
export const mergeOrganizationMetadata = (ctx: HandlerContext): HandlerResult => metadataWrite(ctx, "merge");
/** PUT /organizations/{organization_id}/metadata */
export const replaceOrganizationMetadata = (ctx: HandlerContext): HandlerResult => metadataWrite(ctx, "replace");

// ---- GET /organizations ----
const ORGANIZATION_ORDER: Record<string, (o: StoredOrganization) => SortValue> = {
  created_at: (o) => o.created_at,
  name: (o) => lower(o.name),
  // members_count is filled in per request (see listOrganizations)
};

/**
 * Filters: `query` (exact id, or part of the name or slug, any case), `user_id` and `organization_id` (each value
 * optionally `+` / `-` prefixed: include / exclude), `order_by` name | created_at | members_count (default
 * `-created_at`), `limit` / `offset`; `include_members_count` adds `members_count` to each organization.
 */
export function listOrganizations(ctx: HandlerContext): HandlerResult {
  const q = ctx.query;
  const orgs = ctx.store.organizations;
  const query = text(q["query"]);
  const userIds = plusMinus(asArray(q["user_id"]));
  const orgIds = plusMinus(asArray(q["organization_id"]));
  const membersOf = (id: string): string[] => orgs.membershipsOf(id).map((m) => m.user_id);
  const matching = orgs.all().filter((o) => {
    if (query !== undefined && o.id !== query && ![o.name, o.slug].some((s) => lower(s).includes(lower(query))))
      return false;
    if (orgIds.include.size > 0 && !orgIds.include.has(o.id)) return false;
    if (orgIds.exclude.has(o.id)) return false;
    const members = membersOf(o.id);
    if (userIds.include.size > 0 && !members.some((u) => userIds.include.has(u))) return false;
    if (members.some((u) => userIds.exclude.has(u))) return false;
    return true;
  });
  const order = { ...ORGANIZATION_ORDER, members_count: (o: StoredOrganization) => membersOf(o.id).length };
  const { page, total } = sortAndPage(matching, q, "-created_at", order, (o) => orgs.sequenceOf(o.id));
  return ok({ data: page.map((o) => organizationJson(o, extras(ctx, o))), total_count: total });
}
