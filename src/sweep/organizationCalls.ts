/**
 * The sweeper's organization calls, through `@clerk/backend` and the instance's shared scheduler (the one the
 * gateway's user calls use, so one rate limit and one retry policy cover both kinds).
 *
 * list   -> GET /organizations?limit=…&offset=…&order_by=+created_at (getOrganizationList: one request a page)
 * delete -> DELETE /organizations/{id} (deleteOrganization; Clerk deletes its memberships with it)
 */
import type { ListPage } from "../clerk/gateway";
import { rawOf } from "../clerk/reader";
import { instanceFor } from "../clerk/registry";
import type { ClerkSettings } from "../clerk/settings";
import { clerkCodeOf, isClerkApiError, isNotFound } from "../errors/clerkApiError";
import type { JsonObject } from "../model/json";

/**
 * Clerk's organization JSON (spec 2026-05-12 `Organization`), limited to what the sweeper reads. The spec lists
 * `private_metadata` as optional; Clerk's Backend API serializer (the same one for GET and for the list) sends it,
 * and the local Clerk does. An organization listed without it cannot show a marker, so it is never swept.
 */
export interface ClerkOrganizationListJSON {
  id: string;
  object: "organization";
  name: string;
  slug: string;
  private_metadata?: JsonObject | null;
  created_at: number;
}

export interface OrganizationCalls {
  listOrganizations(page: ListPage): Promise<ClerkOrganizationListJSON[]>;
  /** `false` when the organization was already gone (404). */
  deleteOrganization(organizationId: string): Promise<boolean>;
}

/** Clerk's answer on every organization route of an instance that has organizations turned off. */
export const ORGANIZATIONS_DISABLED = "organization_not_enabled_in_instance";

/** True for Clerk's 403 `organization_not_enabled_in_instance`: the instance has no organizations to sweep. */
export function isOrganizationsDisabled(e: unknown): boolean {
  return isClerkApiError(e) && e.status === 403 && clerkCodeOf(e) === ORGANIZATIONS_DISABLED;
}

/** The organization calls of the instance `settings` names (its client and scheduler, shared with the gateway). */
export function organizationCallsFor(settings: ClerkSettings): OrganizationCalls {
  const { client, call } = instanceFor(settings);
  return {
    listOrganizations: async (page) => {
      const offset = page.offset ?? 0;
      const answer = await call({ label: `GET /organizations?offset=${offset}`, write: false }, () =>
        client.organizations.getOrganizationList({
          limit: page.limit,
          ...(offset > 0 ? { offset } : {}),
          ...(page.orderBy !== undefined ? { orderBy: page.orderBy as "+created_at" } : {}),
        }),
      );
      return answer.data.map((o) => rawOf<ClerkOrganizationListJSON>(o));
    },
    deleteOrganization: async (organizationId) => {
      try {
        await call({ label: `DELETE /organizations/${organizationId}`, write: true }, () =>
          client.organizations.deleteOrganization(organizationId),
        );
        return true;
      } catch (e) {
        if (isNotFound(e)) return false;
        throw e;
      }
    },
  };
}
