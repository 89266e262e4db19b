import fc from "fast-check";
import { mintOwnerId, withMarker, type Ownership } from "../../../src/marker/managedByMarker";
import type { JsonObject, JsonValue } from "../../../src/model/json";
import type { MembershipInputs, OrganizationInputs } from "../../../src/model/organization";
import type { ClerkMembershipJSON, ClerkOrganizationJSON } from "../../../src/model/organizationWire";
import { parseRfc3339 } from "../../../src/logic/rfc3339";
import { jsonObjectArb, T0 } from "./fixtures";

/** Spec-shaped organizations and memberships (organizationWire.ts), deterministic. */
export const ORG_ID = "org_2xhFjEI5X2qWRvtV13BzSj8H6Dk";
export const MEMBERSHIP_ID = "orgmem_2xhFjEI5X2qWRvtV13BzSj8H6Dk";
export const managedBy = { project: "proj", stack: "dev", name: "tenant-a" };
export const ownership: Ownership = {
  ownerId: mintOwnerId(() => new Uint8Array(16).fill(7)),
  instanceId: "ins_local",
  adopted: false,
};

export function clerkOrganization(overrides: Partial<ClerkOrganizationJSON> = {}): ClerkOrganizationJSON {
  return {
    object: "organization",
    id: ORG_ID,
    name: "Tenant A",
    slug: "tenant-a",
    max_allowed_memberships: 0,
    public_metadata: {},
    private_metadata: {},
    role_set_key: null,
    created_at: T0,
    updated_at: T0,
    ...overrides,
  };
}

/** The organization Clerk would hold after creating `inputs` with `slug`. */
export function organizationFromInputs(
  inputs: OrganizationInputs,
  slug = inputs.slug ?? "tenant-a",
): ClerkOrganizationJSON {
  return clerkOrganization({
    name: inputs.name ?? "Tenant A",
    slug,
    max_allowed_memberships: inputs.maxAllowedMemberships ?? 0,
    public_metadata: inputs.publicMetadata ?? {},
    private_metadata: withMarker(inputs.privateMetadata, inputs.managedBy, ownership),
    ...(inputs.createdBy !== undefined ? { created_by: inputs.createdBy } : {}),
    role_set_key: inputs.roleSetKey ?? null,
    created_at: inputs.createdAt !== undefined ? parseRfc3339(inputs.createdAt)! : T0,
  });
}

/** The membership Clerk would hold after creating `inputs`. */
export function membershipFromInputs(inputs: MembershipInputs): ClerkMembershipJSON {
  const organizationId = inputs.organizationId ?? ORG_ID;
  const userId = inputs.userId ?? "user_1";
  return {
    object: "organization_membership",
    id: MEMBERSHIP_ID,
    role: inputs.role ?? "org:member",
    public_metadata: inputs.publicMetadata ?? {},
    private_metadata: withMarker(inputs.privateMetadata, inputs.managedBy, ownership),
    organization: clerkOrganization({ id: organizationId }),
    public_user_data: { user_id: userId },
    organization_id: organizationId,
    user_id: userId,
    created_at: T0,
    updated_at: T0,
  };
}

const opt = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(a, { nil: undefined });

export const slugArb = fc.stringMatching(/^[a-z0-9-]{1,20}$/);
const nameArb = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 &.-]{0,20}[A-Za-z0-9]$/);

/** Arbitrary valid ClerkOrganization inputs, as check returns them (managedBy set by the class). */
export const organizationInputsArb: fc.Arbitrary<OrganizationInputs> = fc
  .record(
    {
      name: nameArb,
      slug: opt(slugArb),
      maxAllowedMemberships: opt(fc.nat({ max: 500 })),
      createdBy: opt(fc.stringMatching(/^user_[A-Za-z0-9]{6}$/)),
      createdAt: opt(
        fc
          .date({ min: new Date("2000-01-01Z"), max: new Date("2090-01-01Z"), noInvalidDate: true })
          .map((d) => d.toISOString()),
      ),
      roleSetKey: opt(fc.stringMatching(/^role_set:[a-z]{1,8}$/)),
      publicMetadata: opt(jsonObjectArb),
      privateMetadata: opt(jsonObjectArb),
    },
    { requiredKeys: ["name"] },
  )
  .map((r) => ({ ...(JSON.parse(JSON.stringify(r)) as OrganizationInputs), managedBy }));

/** JSON without `null` object members (Clerk's merge deletes those; check refuses them). */
const mergeableValue: fc.Arbitrary<JsonValue> = fc.letrec<{ v: JsonValue }>((tie) => ({
  v: fc.oneof(
    { depthSize: "small" },
    fc.string({ maxLength: 6 }),
    fc.integer(),
    fc.boolean(),
    fc.array(fc.oneof(fc.constant(null), fc.string({ maxLength: 4 })), { maxLength: 3 }),
    fc.dictionary(fc.stringMatching(/^[a-z]{1,4}$/), tie("v"), { maxKeys: 3 }),
  ),
})).v;

export const mergeableObjectArb: fc.Arbitrary<JsonObject> = fc.dictionary(
  fc.stringMatching(/^[a-z]{1,4}$/),
  mergeableValue,
  {
    maxKeys: 4,
  },
);

export const membershipInputsArb: fc.Arbitrary<MembershipInputs> = fc
  .record(
    {
      organizationId: fc.stringMatching(/^org_[A-Za-z0-9]{6}$/),
      userId: fc.stringMatching(/^user_[A-Za-z0-9]{6}$/),
      role: fc.constantFrom("org:admin", "org:member", "org:billing_manager"),
      publicMetadata: opt(mergeableObjectArb),
      privateMetadata: opt(mergeableObjectArb),
    },
    { requiredKeys: ["organizationId", "userId", "role"] },
  )
  .map((r) => ({ ...(JSON.parse(JSON.stringify(r)) as MembershipInputs), managedBy }));
