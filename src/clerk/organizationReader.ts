/**
 * The read path of organizations and memberships, through the instance's scheduler. A definite 404 is
 * `undefined`; every other failure (network, 5xx, 403 organizations disabled) propagates.
 *
 * read/update/delete (organization) -> GET /organizations/{id}; adopt and create recovery -> GET /organizations/{slug}
 * read/update/delete (membership)   -> GET /organizations/{org}/memberships?user_id={user}
 */
import { isNotFound } from "../errors/clerkApiError";
import type { ClerkMembershipJSON, ClerkOrganizationJSON } from "../model/organizationWire";
import type { ListPage } from "./reader";
import { rawOf } from "./reader";
import type { Call, ClerkClient } from "./registry";

export interface OrganizationReads {
  /** By id or slug (Clerk's GET takes either); `undefined` only on a definite 404. */
  getOrganization(idOrSlug: string): Promise<ClerkOrganizationJSON | undefined>;
  /**
   * The membership of `userId` in `organizationId` (a list filtered by user: Clerk has no single-membership GET);
   * `undefined` when the list does not hold it or the organization is gone (404).
   */
  findMembership(organizationId: string, userId: string): Promise<ClerkMembershipJSON | undefined>;
  /** One page of the instance's organizations, oldest first unless `page.orderBy` says otherwise. */
  listOrganizations(page: ListPage): Promise<ClerkOrganizationJSON[]>;
}

/** A membership as Clerk answers it, with its organization's and user's ids lifted to the top (see the wire type). */
export function membershipJSON(resource: unknown): ClerkMembershipJSON {
  const raw = rawOf<Omit<ClerkMembershipJSON, "organization_id" | "user_id">>(resource);
  return { ...raw, organization_id: raw.organization.id, user_id: raw.public_user_data.user_id };
}

/** `undefined` for a definite 404, the answer otherwise. */
export async function unlessNotFound<T>(request: Promise<T>): Promise<T | undefined> {
  try {
    return await request;
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

export function createOrganizationReads(client: ClerkClient, call: Call): OrganizationReads {
  const orgs = client.organizations;
  const read = <T>(label: string, fn: () => Promise<T>) => call({ label, write: false }, fn);
  return {
    getOrganization: async (idOrSlug) => {
      const org = await unlessNotFound(
        read(`GET /organizations/${idOrSlug}`, () => orgs.getOrganization({ organizationId: idOrSlug })),
      );
      return org === undefined ? undefined : rawOf<ClerkOrganizationJSON>(org);
    },
    findMembership: async (organizationId, userId) => {
      const page = await unlessNotFound(
        read(`GET /organizations/${organizationId}/memberships?user_id=${userId}`, () =>
          orgs.getOrganizationMembershipList({ organizationId, userId: [userId] }),
        ),
      );
      const found = (page?.data ?? []).map(membershipJSON).find((m) => m.user_id === userId);
      return found;
    },
    listOrganizations: async (page) => {
      const answer = await read(`GET /organizations?offset=${page.offset ?? 0}`, () =>
        orgs.getOrganizationList({
          limit: page.limit,
          ...(page.offset ? { offset: page.offset } : {}),
          orderBy: (page.orderBy ?? "+created_at") as "+created_at",
        }),
      );
      return answer.data.map((o) => rawOf<ClerkOrganizationJSON>(o));
    },
  };
}
