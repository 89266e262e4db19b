import type { ClerkUserJSON } from "../../src/model/wire";
import { mintOwnerId } from "../../src/marker/managedByMarker";
import type { JsonObject } from "../../src/model/json";
import type { ClerkOrganizationJSON } from "../../src/model/organizationWire";

export const DAY = 86_400_000;
export const HOUR = 3_600_000;
/** A fixed "now" so ages are exact. */
export const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);

export interface UserSpec {
  id: string;
  createdAt?: number;
  privateMetadata?: JsonObject | null;
  email?: string | null;
}

/** A spec-shaped `ClerkUserJSON` (only what the sweeper reads varies). */
export function makeUser(spec: UserSpec): ClerkUserJSON {
  const emailId = `idn_${spec.id}`;
  const email = spec.email === undefined ? `${spec.id}@example.com` : spec.email;
  const createdAt = spec.createdAt ?? NOW - DAY;
  return {
    id: spec.id,
    object: "user",
    external_id: null,
    primary_email_address_id: email === null ? null : emailId,
    primary_phone_number_id: null,
    primary_web3_wallet_id: null,
    username: null,
    first_name: null,
    last_name: null,
    public_metadata: {},
    private_metadata: spec.privateMetadata === undefined ? {} : spec.privateMetadata,
    unsafe_metadata: {},
    email_addresses:
      email === null
        ? []
        : [
            {
              id: emailId,
              object: "email_address",
              email_address: email,
              reserved: false,
              verification: { status: "verified", strategy: "admin" },
              linked_to: [],
              created_at: createdAt,
              updated_at: createdAt,
            },
          ],
    phone_numbers: [],
    web3_wallets: [],
    password_enabled: false,
    two_factor_enabled: false,
    totp_enabled: false,
    backup_code_enabled: false,
    banned: false,
    locked: false,
    created_at: createdAt,
    updated_at: createdAt,
    last_sign_in_at: null,
    legal_accepted_at: null,
    delete_self_enabled: true,
    create_organization_enabled: true,
  };
}

/** A v1 marker (written before ownership ids): its provenance is unknown. */
export function marker(project: string, stack: string, name: string): JsonObject {
  return { pulumiClerk: { v: 1, project, stack, name } };
}

/** The instance id the sweeper fixtures' v2 markers carry. */
export const INSTANCE_ID = "ins_sweepFixture";
/** A fixed ownership id (the sweeper never compares it; only its shape must be valid). */
export const OWNER_ID = mintOwnerId(() => new Uint8Array(16).fill(7));

/**
 * A v2 marker: created by pulumi-clerk, or adopted (`adopted: true`, never deleted by the sweeper), written in
 * `instanceId` (default the fixtures' instance; the sweeper never deletes what another instance's marker names).
 */
export function markerV2(
  project: string,
  stack: string,
  name: string,
  adopted = false,
  instanceId = INSTANCE_ID,
): JsonObject {
  return { pulumiClerk: { v: 2, project, stack, name, ownerId: OWNER_ID, instanceId, adopted } };
}

export interface OrganizationSpec {
  id: string;
  createdAt?: number;
  privateMetadata?: JsonObject | null;
  slug?: string;
}

/** A spec-shaped organization as `GET /organizations` lists it (only what the sweeper reads varies). */
export function makeOrganization(spec: OrganizationSpec): ClerkOrganizationJSON {
  const createdAt = spec.createdAt ?? NOW - DAY;
  return {
    object: "organization",
    id: spec.id,
    name: `Org ${spec.id}`,
    slug: spec.slug ?? spec.id.toLowerCase().replace(/_/g, "-"),
    max_allowed_memberships: 0,
    public_metadata: {},
    private_metadata: spec.privateMetadata === undefined ? {} : spec.privateMetadata,
    created_at: createdAt,
    updated_at: createdAt,
  };
}

/** Private metadata that looks like a marker but is not a valid one: never swept. */
export const MALFORMED_MARKERS: JsonObject[] = [
  { pulumiClerk: "proj/stack/name" },
  { pulumiClerk: null },
  { pulumiClerk: [] },
  { pulumiClerk: { v: 2, project: "p", stack: "s", name: "n" } },
  { pulumiClerk: { v: "1", project: "p", stack: "s", name: "n" } },
  { pulumiClerk: { v: 1, project: "p", stack: "s" } },
  { pulumiClerk: { v: 1, project: "", stack: "s", name: "n" } },
  { pulumiClerk: { v: 1, project: "p", stack: "  ", name: "n" } },
  {
    pulumiClerk: {
      v: 2,
      project: "p",
      stack: "s",
      name: "\t\n",
      ownerId: OWNER_ID,
      instanceId: INSTANCE_ID,
      adopted: false,
    },
  },
  { pulumiClerk: { v: 1, project: "p", stack: 7, name: "n" } },
  { pulumiclerk: { v: 1, project: "p", stack: "s", name: "n" } },
  { other: { v: 1, project: "p", stack: "s", name: "n" } },
];
