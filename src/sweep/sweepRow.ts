import type { ClerkUserJSON } from "../model/wire";
import type { Provenance } from "../marker/managedByMarker";
import type { SelectedUser } from "./selectUsers";

/** One managed user as `list --json` prints it (and as the table shows it). Values exactly as Clerk holds them. */
export interface SweepRow {
  id: string;
  /** The primary email address, else the first one, else `null`. */
  primaryEmail: string | null;
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

export function toSweepRow(s: SelectedUser): SweepRow {
  return {
    id: s.user.id,
    primaryEmail: primaryEmailOf(s.user),
    project: s.marker.project,
    stack: s.marker.stack,
    name: s.marker.name,
    origin: s.provenance,
    createdAt: new Date(s.user.created_at).toISOString(),
    ageMs: s.ageMs,
  };
}

export function primaryEmailOf(user: ClerkUserJSON): string | null {
  const emails = user.email_addresses ?? [];
  const primary = emails.find((e) => e.id === user.primary_email_address_id) ?? emails[0];
  return primary?.email_address ?? null;
}
