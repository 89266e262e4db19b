/**
 * The pure machinery of `ClerkOrganization` and `ClerkOrganizationMembership`, from their field tables: check,
 * diff, create params, the update plan, outputs and read-back. The hooks in `provider/organization*` and
 * `provider/membership*` do the I/O around these.
 */
import type { Ownership } from "../marker/managedByMarker";
import type { FieldTable } from "../model/fields";
import {
  MEMBERSHIP_FIELDS,
  MEMBERSHIP_OUTPUTS,
  ORGANIZATION_FIELDS,
  ORGANIZATION_OUTPUTS,
  type MembershipInputs,
  type OrganizationInputs,
} from "../model/organization";
import type { ClerkMembershipJSON, ClerkOrganizationJSON } from "../model/organizationWire";
import { checkResource, type CheckedKind } from "./checkResource";
import type { Fail, Finding } from "./checkTypes";
import { createDiff } from "./diffFields";
import { outputsOf, readInputsOf } from "./fieldOutputs";
import { planMergeMetadata, planMetadata, planPatch, type PlanOptions } from "./planFields";
import { markerParam, sentParams } from "./toCreateParams";

type Bag = Record<string, unknown>;
const ORG = ORGANIZATION_FIELDS as FieldTable;
const MEMBER = MEMBERSHIP_FIELDS as FieldTable;

/** The class names, as messages and errors name the kinds. */
export const ORGANIZATION_KIND = "ClerkOrganization";
export const MEMBERSHIP_KIND = "ClerkOrganizationMembership";

const ORGANIZATION_CHECK: CheckedKind = {
  name: ORGANIZATION_KIND,
  fields: ORG,
  rules: (inputs: Bag, fail: Fail) => {
    // The default slug holds a fresh ownership id: nothing that exists could be found by it.
    if (inputs["adopt"] === true && inputs["slug"] === undefined)
      fail("adopt", "needs slug: an organization is adopted by its slug", "conflict");
  },
};

const MEMBERSHIP_CHECK: CheckedKind = { name: MEMBERSHIP_KIND, fields: MEMBER };

/** Pulumi `check` of a ClerkOrganization, with each failure's rule. */
export function checkOrganization(news: Bag): { inputs: Bag; findings: Finding[] } {
  return checkResource(ORGANIZATION_CHECK, news);
}

/** Pulumi `check` of a ClerkOrganizationMembership, with each failure's rule. */
export function checkMembership(news: Bag): { inputs: Bag; findings: Finding[] } {
  return checkResource(MEMBERSHIP_CHECK, news);
}

/** Pulumi `diff` of an organization: everything changes in place. */
export const diffOrganization = createDiff(ORG, { deleteBeforeReplace: false });

/**
 * Pulumi `diff` of a membership: a new organization or user replaces it, creating the new one first (nothing
 * collides, and an organization's only admin can move to another user without a moment with no admin).
 */
export const diffMembership = createDiff(MEMBER, { deleteBeforeReplace: false });

/**
 * The slug an organization gets when the program declares none: the resource name in Clerk's slug alphabet, then
 * 8 characters of the ownership id, so two stacks of one program (a stack per pull request) never collide.
 */
export function defaultSlug(resourceName: string, ownerId: string): string {
  const base = resourceName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, 64)
    .replace(/^-+|-+$/g, "");
  return `${base || "organization"}-${ownerId.slice("own_".length, "own_".length + 8)}`;
}

/**
 * `organizations.createOrganization` params (POST /organizations): every declared field the table sends, the
 * slug (declared or default) and the private metadata with the marker. `createdAt` and `roleSetKey` are not in the
 * SDK's type; it forwards them snake-cased (docs/organizations-groundwork.md).
 */
export function organizationCreateParams(inputs: OrganizationInputs, slug: string, ownership: Ownership): Bag {
  return { ...sentParams(ORG, inputs as Bag), slug, ...markerParam(ORG, inputs as Bag, ownership) };
}

/**
 * `organizations.createOrganizationMembership` params: `organizationId` (the SDK puts it in the path), `userId`,
 * `role`, the metadata and the marker. The SDK's type lacks the metadata; it forwards them snake-cased.
 */
export function membershipCreateParams(inputs: MembershipInputs, ownership: Ownership): Bag {
  return { ...sentParams(MEMBER, inputs as Bag), ...markerParam(MEMBER, inputs as Bag, ownership) };
}

/** One Clerk call of an organization's update, in the order they run. */
export type OrganizationStep =
  /** PATCH /organizations/{id} with only the attributes that differ. */
  | { kind: "updateOrganization"; params: Bag }
  /** PUT /organizations/{id}/metadata with only the objects that differ, whole. */
  | { kind: "replaceMetadata"; params: Bag };

/**
 * The calls that take the live organization `current` to the declared `news`: a PATCH of the attributes that
 * differ, then a PUT of the metadata objects that differ (never metadata through the PATCH, never an empty call).
 */
export function planOrganizationUpdate(
  current: ClerkOrganizationJSON,
  olds: Bag,
  news: OrganizationInputs,
  opts: PlanOptions,
): OrganizationStep[] {
  const steps: OrganizationStep[] = [];
  const params = planPatch(ORG, current, olds, news as Bag, opts.adopted === true);
  if (Object.keys(params).length > 0) steps.push({ kind: "updateOrganization", params });
  const metadata = planMetadata(ORG, current, news as Bag, opts);
  if (Object.keys(metadata).length > 0) steps.push({ kind: "replaceMetadata", params: metadata });
  return steps;
}

/** One Clerk call of a membership's update, in the order they run. */
export type MembershipStep =
  /** PATCH /organizations/{org}/memberships/{user} `{role}`. */
  | { kind: "updateRole"; role: string }
  /** PATCH …/memberships/{user}/metadata: Clerk's merge, `null` for removed keys. */
  | { kind: "mergeMetadata"; params: Bag };

/** The calls that take the live membership to the declared one: the role, then the metadata merge. */
export function planMembershipUpdate(
  current: ClerkMembershipJSON,
  news: MembershipInputs,
  opts: PlanOptions,
): MembershipStep[] {
  const steps: MembershipStep[] = [];
  const { role } = planPatch(MEMBER, current, {}, news as Bag, false);
  if (typeof role === "string") steps.push({ kind: "updateRole", role });
  const metadata = planMergeMetadata(MEMBER, current, news as Bag, opts);
  if (Object.keys(metadata).length > 0) steps.push({ kind: "mergeMetadata", params: metadata });
  return steps;
}

/** The state of an organization: Clerk's fields in input shape, the write-only inputs, the claim, the id. */
export function organizationOutputs(org: ClerkOrganizationJSON, inputs: Bag, ownership?: Partial<Ownership>): Bag {
  return outputsOf(ORG, ORGANIZATION_OUTPUTS, org, inputs, ownership);
}

/** The organization's inputs as Clerk holds them, for a refresh (see `toReadInputs` for users). */
export function organizationReadInputs(org: ClerkOrganizationJSON, previous: Bag, adopted: boolean): Bag {
  return readInputsOf(ORG, org, previous, adopted);
}

/** The state of a membership: organization, user, role and metadata as Clerk holds them, the claim, the id. */
export function membershipOutputs(m: ClerkMembershipJSON, inputs: Bag, ownership?: Partial<Ownership>): Bag {
  return outputsOf(MEMBER, MEMBERSHIP_OUTPUTS, m, inputs, ownership);
}

/** The membership's inputs as Clerk holds them, for a refresh: a role changed out of band shows as drift. */
export function membershipReadInputs(m: ClerkMembershipJSON, previous: Bag): Bag {
  return readInputsOf(MEMBER, m, previous);
}
