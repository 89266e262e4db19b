/**
 * The read path of organizations and memberships, through the instance's scheduler. A definite 404 is
 * `undefined`; every other failure (network, 5xx, 403 organizations disabled) propagates.
 *
 * read/update/delete (organization) -> GET /organizations/{id}; adopt and create recovery -> GET /organizations/{slug}
 * read/update/delete (membership)   -> GET /organizations/{org}/memberships?user_id=…&user_id=… (batched: the
 *                                     lookups of a refresh or destroy arrive together, one request per organization)
 */
import { isNotFound } from "../errors/clerkApiError";
import type { ClerkMembershipJSON, ClerkOrganizationJSON } from "../model/organizationWire";
import { createBatcher } from "../scheduler";
import { MAX_FILTER_VALUES, rawOf, type ListPage } from "./reader";
import type { Call, ClerkClient } from "./registry";

export interface OrganizationReads {
  /** By id or slug (Clerk's GET takes either); `undefined` only on a definite 404. */
  getOrganization(idOrSlug: string): Promise<ClerkOrganizationJSON | undefined>;
  /**
   * The membership of `userId` in `organizationId` (a list filtered by user: Clerk has no single-membership GET);
   * `undefined` when the list does not hold it or the organization is gone (404). Lookups arriving together are
   * coalesced: one request per organization for up to 100 users.
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
  const members = async (organizationId: string, userIds: string[]): Promise<ClerkMembershipJSON[]> => {
    const label = `GET /organizations/${organizationId}/memberships?user_id=…(${userIds.length})`;
    const page = await unlessNotFound(
      read(label, () => orgs.getOrganizationMembershipList({ organizationId, userId: userIds, limit: userIds.length })),
    );
    return (page?.data ?? []).map(membershipJSON);
  };
  const memberships = createMembershipBatcher(members);
  return {
    getOrganization: async (idOrSlug) => {
      const org = await unlessNotFound(
        read(`GET /organizations/${idOrSlug}`, () => orgs.getOrganization({ organizationId: idOrSlug })),
      );
      return org === undefined ? undefined : rawOf<ClerkOrganizationJSON>(org);
    },
    findMembership: (organizationId, userId) => memberships.load(`${organizationId} ${userId}`),
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

type Members = (organizationId: string, userIds: string[]) => Promise<ClerkMembershipJSON[]>;

/**
 * The membership lookups of a refresh or a destroy arrive together, as users' reads do (see `createUserBatcher`):
 * keys `"<organization> <user>"`, one list request per organization in a batch.
 */
function createMembershipBatcher(members: Members) {
  return createBatcher<string, ClerkMembershipJSON>({
    windowMs: 25,
    busyWindowMs: 100,
    maxWaitMs: 1000,
    holdWhileInFlight: true,
    maxBatch: MAX_FILTER_VALUES,
    fetchBatch: async (keys) => {
      const byOrganization = new Map<string, string[]>();
      for (const key of keys) {
        const [organizationId = "", userId = ""] = key.split(" ");
        byOrganization.set(organizationId, [...(byOrganization.get(organizationId) ?? []), userId]);
      }
      const found = new Map<string, ClerkMembershipJSON>();
      const answers = await Promise.all([...byOrganization].map(([org, users]) => members(org, users)));
      for (const m of answers.flat()) found.set(`${m.organization_id} ${m.user_id}`, m);
      return found;
    },
  });
}
