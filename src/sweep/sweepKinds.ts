/**
 * The kinds of Clerk object `clerk-sweep` handles, in the order it deletes them. Everything that differs between
 * kinds is here, once: names, the list and delete calls, the row, and whether a v1 marker may ever be deleted.
 * Selection, the safety rules, confirmation and output are the same code for every kind.
 */
import type { ClerkGateway } from "../clerk/gateway";
import { clerkCodeOf, isClerkApiError } from "../errors/clerkApiError";
import type { ClerkOrganizationJSON } from "../model/organizationWire";
import type { ClerkUserJSON } from "../model/wire";
import { escapeText } from "./escapeText";
import type { PagedList } from "./collectPages";
import type { Selected, Sweepable } from "./selectMarked";
import { SweepUsageError } from "./SweepUsageError";
import { organizationRow, userRow, type SweepRow } from "./sweepRow";

/** The values of `--kind`. */
export type KindName = "users" | "organizations";

/**
 * What the kinds' calls go through: the gateway, so one scheduler (rate limit, retries) covers both kinds.
 * users:         GET /users?limit&offset&order_by=+created_at, DELETE /users/{id}
 * organizations: GET /organizations?limit&offset&order_by=+created_at (getOrganizationList: one request a page;
 *                the list carries private_metadata), DELETE /organizations/{id} (its memberships go with it)
 */
export type SweepClerk = Pick<ClerkGateway, "listUsers" | "deleteUser" | "listOrganizations" | "deleteOrganization">;

/** Clerk's answer on every organization route of an instance that has organizations turned off. */
export const ORGANIZATIONS_DISABLED = "organization_not_enabled_in_instance";

/** True for Clerk's 403 `organization_not_enabled_in_instance`: the instance has no organizations to sweep. */
function isOrganizationsDisabled(e: unknown): boolean {
  return isClerkApiError(e) && e.status === 403 && clerkCodeOf(e) === ORGANIZATIONS_DISABLED;
}

export interface SweepKind<T extends Sweepable = Sweepable> {
  name: KindName;
  /** One of them, in messages: `user`, `organization`. */
  singular: SweepRow["kind"];
  /**
   * Whether `--include-v1-markers` applies. Users: v1 markers were written by earlier releases, so an operator may
   * choose to delete them. Organizations: no release ever wrote a v1 marker on one, so such a marker is not ours.
   */
  v1MarkersDeletable: boolean;
  /** The line that says why v1-marked ones are kept. */
  keptV1Reason: string;
  list(clerk: SweepClerk): PagedList<T>;
  /** Deletes one; `false` on a 404 (already gone), as `ClerkGateway.deleteUser` decides it. */
  remove(clerk: SweepClerk, id: string): Promise<boolean>;
  toRow(s: Selected<T>): SweepRow;
  /** When a listing error means "this instance has none of this kind" (not a failure): the line that says so. */
  unavailable(e: unknown): string | undefined;
}

const USERS: SweepKind<ClerkUserJSON> = {
  name: "users",
  singular: "user",
  v1MarkersDeletable: true,
  keptV1Reason:
    "it cannot tell a created user from an adopted one; re-run with --include-v1-markers to delete them too",
  list: (clerk) => ({ listPage: (page) => clerk.listUsers(page), request: "GET /users", plural: "users" }),
  remove: (clerk, id) => clerk.deleteUser(id),
  toRow: userRow,
  unavailable: () => undefined,
};

const ORGANIZATIONS: SweepKind<ClerkOrganizationJSON> = {
  name: "organizations",
  singular: "organization",
  v1MarkersDeletable: false,
  keptV1Reason: "pulumi-clerk never wrote a v1 marker on an organization, so clerk-sweep never deletes them",
  list: (clerk) => ({
    listPage: (page) => clerk.listOrganizations(page),
    request: "GET /organizations",
    plural: "organizations",
  }),
  remove: (clerk, id) => clerk.deleteOrganization(id),
  toRow: organizationRow,
  unavailable: (e) =>
    isOrganizationsDisabled(e)
      ? `organizations are not enabled in this Clerk instance (${ORGANIZATIONS_DISABLED}): none to sweep`
      : undefined,
};

/**
 * Every kind, in the order `delete` deletes them: organizations first, so each organization goes with its
 * memberships while its members still exist, and no user delete ever meets an organization's last-admin rule.
 */
export const SWEEP_KINDS: readonly SweepKind[] = [ORGANIZATIONS, USERS];

export const KIND_NAMES: readonly KindName[] = SWEEP_KINDS.map((k) => k.name);

/** The kinds named, in deletion order. */
export function kindsNamed(names: readonly KindName[]): SweepKind[] {
  return SWEEP_KINDS.filter((k) => names.includes(k.name));
}

/**
 * One `--kind` value: `users`, `organizations` or both, comma-separated. An empty value or item is a usage error
 * (an unset variable must not silently sweep less, or more, than meant), and so is an unknown kind.
 *
 * @throws SweepUsageError naming the offending value (escaped) and the kinds there are.
 */
export function parseKindFlag(text: string): KindName[] {
  const choices = `${KIND_NAMES.join(", ")}, or both as ${KIND_NAMES.join(",")}`;
  if (text.trim() === "") throw new SweepUsageError(`--kind: empty value (an unset variable?); name ${choices}`);
  const items = text.split(",").map((s) => s.trim());
  if (items.some((s) => s === "")) {
    throw new SweepUsageError("--kind: empty item in the list (an unset variable?); remove it or name the kind");
  }
  const unknown = items.filter((s) => !(KIND_NAMES as readonly string[]).includes(s));
  if (unknown.length > 0) {
    throw new SweepUsageError(
      `--kind: unknown kind ${unknown.map((s) => `"${escapeText(s)}"`).join(", ")}; expected ${choices}`,
    );
  }
  return items as KindName[];
}

/** `1 user`, `3 organizations`. */
export function countOf(n: number, kind: Pick<SweepKind, "name" | "singular">): string {
  return `${n} ${n === 1 ? kind.singular : kind.name}`;
}
