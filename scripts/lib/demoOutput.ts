/** Plain-text rendering for `npm run demo`: per-user progress lines and the table of users Clerk holds. */
import { readMarker } from "../../src/marker/managedByMarker";
import type { StoredUser } from "../../test/local-clerk";

const SYMBOL: Record<string, string> = { create: "+", update: "~", replace: "+-", delete: "-", same: "=" };
const VERB: Record<string, string> = {
  create: "created",
  update: "updated",
  replace: "replaced",
  delete: "deleted",
  same: "unchanged",
};

/** `  + qa-admin        created     142 ms` (or `failed: <reason>`). */
export function progressLine(op: string, name: string, ok: boolean, ms?: number, error?: string): string {
  const sym = (SYMBOL[op] ?? "?").padEnd(2);
  const what = ok ? (VERB[op] ?? op) : `${op} FAILED`;
  const time = ms === undefined ? "" : `${String(ms).padStart(6)} ms`;
  return `  ${sym} ${name.padEnd(14)} ${what.padEnd(10)}${time}${error ? `  ${error}` : ""}`;
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
        readMarker(u.private_metadata)?.name ?? "(unmanaged)",
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

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
