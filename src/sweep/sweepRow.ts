import type { Provenance } from "../marker/managedByMarker";
import type { ClerkOrganizationJSON } from "../model/organizationWire";
import type { ClerkUserJSON } from "../model/wire";
import type { Selected } from "./selectMarked";

/** What every row says, whatever its kind. Values exactly as Clerk holds them. */
interface RowBase {
  id: string;
  project: string;
  stack: string;
  /** The Pulumi resource name from the marker. */
  name: string;
  /** `created` by pulumi-clerk, `adopted` (never deleted by the sweeper), or `unknown` (v1 marker). */
  origin: Provenance;
  /** `created_at` as an ISO 8601 timestamp. */
  createdAt: string;
  ageMs: number;
}

/** A managed user as `list --json` prints it (and as the users' table shows it). */
export interface UserRow extends RowBase {
  kind: "user";
  /** The primary email address, else the first one, else `null`. */
  primaryEmail: string | null;
}

/** A managed organization as `list --json` prints it (and as the organizations' table shows it). */
export interface OrganizationRow extends RowBase {
  kind: "organization";
  slug: string;
}

/** One row of `list --json`: `kind` says which. */
export type SweepRow = UserRow | OrganizationRow;

function base(s: Selected): RowBase {
  return {
    id: s.item.id,
    project: s.marker.project,
    stack: s.marker.stack,
    name: s.marker.name,
    origin: s.provenance,
    createdAt: new Date(s.item.created_at).toISOString(),
    ageMs: s.ageMs,
  };
}

export function userRow(s: Selected<ClerkUserJSON>): UserRow {
  const { id, ...rest } = base(s);
  return { kind: "user", id, primaryEmail: primaryEmailOf(s.item), ...rest };
}

export function organizationRow(s: Selected<ClerkOrganizationJSON>): OrganizationRow {
  const { id, ...rest } = base(s);
  return { kind: "organization", id, slug: s.item.slug, ...rest };
}

export function primaryEmailOf(user: ClerkUserJSON): string | null {
  const emails = user.email_addresses ?? [];
  const primary = emails.find((e) => e.id === user.primary_email_address_id) ?? emails[0];
  return primary?.email_address ?? null;
}
