/**
 * Plain-text rendering for `npm run demo`: per-resource progress lines and the tables of the users and the
 * organizations Clerk holds.
 */
import { readMarker } from "../../src/marker/managedByMarker";
import type { StoredMembership, StoredOrganization, StoredUser } from "../../test/local-clerk";

/** The resource name in a Clerk object's marker, or `(unmanaged)`. */
const resourceName = (privateMetadata: StoredUser["private_metadata"]): string =>
  readMarker(privateMetadata)?.name ?? "(unmanaged)";

const SYMBOL: Record<string, string> = { create: "+", update: "~", replace: "+-", delete: "-", same: "=" };
const VERB: Record<string, string> = {
  create: "created",
  update: "updated",
  replace: "replaced",
  delete: "deleted",
  same: "unchanged",
};

/**
 * `  + qa-admin            created     142 ms` (or `failed: <reason>`); `note` instead of the time, e.g. `with
 * tenant-a` for a membership deleted with its organization.
 */
export function progressLine(
  op: string,
  name: string,
  ok: boolean,
  ms?: number,
  error?: string,
  note?: string,
): string {
  const sym = (SYMBOL[op] ?? "?").padEnd(2);
  const what = ok ? (VERB[op] ?? op) : `${op} FAILED`;
  const time = note !== undefined ? note : ms === undefined ? "" : `${String(ms).padStart(6)} ms`;
  return `  ${sym} ${name.padEnd(19)} ${what.padEnd(10)}${time}${error ? `  ${error}` : ""}`.trimEnd();
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows.map(
    (r) =>
      "  " +
      r
        .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]! + 2)))
        .join("")
        .trimEnd(),
  );
}

/** The users as Clerk (local) holds them, sorted by resource name. */
export function usersTable(users: readonly StoredUser[]): string[] {
  const rows = users
    .map((u) => {
      const primary = u.email_addresses.find((e) => e.id === u.primary_email_address_id)?.email_address;
      const roles = (u.public_metadata as { roles?: unknown }).roles;
      return [
        resourceName(u.private_metadata),
        u.id,
        primary ?? u.username ?? u.phone_numbers[0]?.phone_number ?? "",
        [u.first_name, u.last_name].filter(Boolean).join(" "),
        Array.isArray(roles) ? roles.join(",") : "",
        u.password !== null ? "yes" : "no",
      ];
    })
    .sort((a, b) => (a[0] ?? "").localeCompare(b[0] ?? ""));
  return table([["RESOURCE", "CLERK USER ID", "PRIMARY IDENTIFIER", "NAME", "ROLES", "PASSWORD"], ...rows]);
}

/** The organizations as Clerk (local) holds them, each with its members (by user resource name) and roles. */
export function organizationsTable(
  organizations: readonly StoredOrganization[],
  memberships: readonly StoredMembership[],
  users: readonly StoredUser[],
): string[] {
  const userName = new Map(users.map((u) => [u.id, resourceName(u.private_metadata)]));
  const rows = organizations
    .map((o) => [
      resourceName(o.private_metadata),
      o.id,
      o.slug,
      o.name,
      memberships
        .filter((m) => m.organization_id === o.id)
        .map((m) => `${userName.get(m.user_id) ?? m.user_id} ${m.role}`)
        .sort()
        .join(", "),
    ])
    .sort((a, b) => (a[0] ?? "").localeCompare(b[0] ?? ""));
  return table([["RESOURCE", "CLERK ORGANIZATION ID", "SLUG", "NAME", "MEMBERS (ROLE)"], ...rows]);
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
