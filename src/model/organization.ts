/**
 * The field tables of `ClerkOrganization` and `ClerkOrganizationMembership`: every input each kind takes and every
 * output it adds, declared once, as `USER_FIELDS` is for users. Check, diff, the update plan, create params,
 * outputs and read-back, the secret lists and the reference docs are derived from here.
 */
import { flag, metadata, NAME_MAX, replacedMetadata, timestamp } from "./fieldKinds";
import type { FieldSpec, FieldTable, OutputTable } from "./fields";
import { USER_FIELDS } from "./user";
import type { InputsOf } from "./UserInputs";

/** Who manages the resource: the same `{project, stack, name}` input as a ClerkUser's (set by the class). */
const managedBy = <K extends string>(kind: K) =>
  ({
    ...USER_FIELDS.managedBy,
    doc: `Set by \`${kind}\` itself: the project, stack and resource name recorded in the marker.`,
  }) as const;

/** Every ClerkOrganization input, in the order the docs list them. */
export const ORGANIZATION_FIELDS = {
  name: {
    type: "string",
    doc: "The organization's name (≤ 256 characters; no URL or HTML). Changed in place.",
    compare: "json",
    managed: "always",
    wire: "name",
    create: "",
    update: { via: "patch" },
    required: true,
    rule: { kind: "displayName" },
    maxLength: NAME_MAX,
    config: "plain",
  },
  slug: {
    type: "string",
    doc:
      "Unique per instance: lowercase letters, digits and `-`. Changed in place. Default: derived at create from " +
      "the resource name and the ownership id, so two stacks of one program never collide.",
    compare: "json",
    managed: "declared",
    wire: "slug",
    create: "",
    update: { via: "patch" },
    rule: { kind: "slug" },
    maxLength: NAME_MAX,
    config: "plain",
    unique: "exact",
  },
  maxAllowedMemberships: {
    type: "integer",
    doc: "How many members the organization may have; 0 means unlimited. Managed only when declared.",
    compare: "zeroIfAbsent",
    managed: "declared",
    wire: "max_allowed_memberships",
    create: "",
    update: { via: "patch" },
    rule: { kind: "nonNegativeInteger" },
    config: "plain",
  },
  createdBy: {
    type: "string",
    doc:
      "A user id (`user_…`) Clerk makes an `org:admin` member at create; that membership goes with the " +
      "organization. Create-only: a later change is not applied.",
    compare: "json",
    managed: "declared",
    wire: "created_by",
    create: "",
    update: { via: "none" },
    createOnly: true,
    rule: { kind: "clerkId", prefix: "user_" },
    maxLength: 64,
    config: "plain",
  },
  createdAt: timestamp("created_at", "RFC 3339 creation time, to backdate migrated organizations."),
  roleSetKey: {
    type: "string",
    doc: "The key of the role set the organization uses. Managed only when declared.",
    compare: "blank",
    managed: "declared",
    wire: "role_set_key",
    create: "",
    update: { via: "patch" },
    maxLength: NAME_MAX,
    config: "plain",
  },
  adopt: flag(
    "Take over an existing organization found by `slug` instead of failing with `form_identifier_exists`. " +
      "Undeclared fields are left as they are; an organization another resource owns is refused.",
    false,
    { via: "none" },
  ),
  handOverFrom: {
    ...USER_FIELDS.handOverFrom,
    doc:
      "The owner an organization is deliberately taken from: the `ownerId` (or `project/stack/name` of an older " +
      "marker) that a `not_owner` error names.",
  },
  ...replacedMetadata(),
  managedBy: managedBy("ClerkOrganization"),
} as const satisfies FieldTable;

/** The ownership outputs every kind records (see `USER_OUTPUTS`), with the kind's noun in the doc lines. */
function ownershipOutputs(noun: string) {
  return {
    instanceId: {
      type: "string",
      doc: `The Clerk instance (\`ins_…\`) holding the ${noun}: a 404 from any other instance is never taken as gone.`,
    },
    ownerId: {
      type: "string",
      doc: `This resource's ownership id, also in the ${noun}'s marker: the proof that the ${noun} is this resource's.`,
    },
  } as const;
}

const SYNC_REQUIRED = {
  type: "boolean | undefined",
  doc: "Set when an update failed midway and Clerk could not be read back: the next `pulumi up` updates again.",
} as const;
const DECLARED_INPUTS = {
  type: "string[]",
  doc: "The input names the program declared (how a refresh tells a declared default from Clerk's).",
} as const;

/** What a ClerkOrganization adds to its inputs in state. */
export const ORGANIZATION_OUTPUTS = {
  organizationId: { type: "string", doc: "Clerk's organization id (`org_…`); equal to the resource id.", wire: "id" },
  ...ownershipOutputs("organization"),
  adopted: {
    type: "boolean",
    doc: "Whether the organization existed before this resource took it over (then `clerk-sweep` never deletes it).",
  },
  syncRequired: SYNC_REQUIRED,
  declaredInputs: DECLARED_INPUTS,
} as const satisfies OutputTable;

/** A membership's organization or user: fixed for its life, so a change replaces the membership. */
const memberOf = (prefix: string, wire: string, doc: string): FieldSpec & { type: "string" } => ({
  type: "string",
  doc,
  compare: "strict",
  managed: "always",
  wire,
  create: "",
  update: { via: "replace" },
  required: true,
  rule: { kind: "clerkId", prefix },
  maxLength: 64,
  config: "plain",
});

/** Membership metadata: Clerk only merges it, so removed keys are sent as `null` (declarative all the same). */
const mergedMetadata = (wire: string, doc: string, extra: Partial<Omit<FieldSpec, "type">> = {}) =>
  metadata(wire, doc, { update: { via: "mergeMetadata" }, ...extra });

/** Every ClerkOrganizationMembership input, in the order the docs list them. */
export const MEMBERSHIP_FIELDS = {
  organizationId: memberOf("org_", "organization_id", "The organization (`org_…`). A change replaces the membership."),
  userId: memberOf("user_", "user_id", "The member (`user_…`). A change replaces the membership."),
  role: {
    type: "string",
    doc: 'The role key, e.g. "org:admin" or "org:member"; it must exist in the instance. Changed in place.',
    compare: "strict",
    managed: "always",
    wire: "role",
    create: "",
    update: { via: "patch" },
    required: true,
    rule: { kind: "role" },
    maxLength: NAME_MAX,
    config: "plain",
  },
  publicMetadata: mergedMetadata(
    "public_metadata",
    "Readable by the frontend, writable only by the backend. Declarative: keys removed from the program are deleted.",
  ),
  privateMetadata: mergedMetadata(
    "private_metadata",
    "Backend-only. Secret. Declarative (the provider's marker is kept beside it).",
    { secret: true, holdsMarker: true },
  ),
  managedBy: managedBy("ClerkOrganizationMembership"),
} as const satisfies FieldTable;

/** What a ClerkOrganizationMembership adds to its inputs in state. */
export const MEMBERSHIP_OUTPUTS = {
  membershipId: { type: "string", doc: "Clerk's membership id (`orgmem_…`); equal to the resource id.", wire: "id" },
  ...ownershipOutputs("membership"),
  syncRequired: SYNC_REQUIRED,
  declaredInputs: DECLARED_INPUTS,
} as const satisfies OutputTable;

export type OrganizationFieldName = keyof typeof ORGANIZATION_FIELDS;
export type MembershipFieldName = keyof typeof MEMBERSHIP_FIELDS;

/** The resolved inputs of a ClerkOrganization (every field optional; `check` decides what is valid). */
export type OrganizationInputs = InputsOf<typeof ORGANIZATION_FIELDS>;
/** The resolved inputs of a ClerkOrganizationMembership. */
export type MembershipInputs = InputsOf<typeof MEMBERSHIP_FIELDS>;
