/**
 * The write calls of organizations and memberships, through `@clerk/backend`'s `organizations` API and the
 * instance's scheduler. Each is marked as a write (the read snapshot is dropped before it goes out). Updates of one
 * organization (PATCH and metadata) share that organization's write window, and those of one membership its own,
 * as Clerk limits them (10 per 10 s each, docs/organizations-groundwork.md).
 *
 * create -> POST /organizations, POST /organizations/{id}/memberships
 * update -> PATCH /organizations/{id}, PUT /organizations/{id}/metadata,
 *           PATCH /organizations/{id}/memberships/{user}, PATCH …/memberships/{user}/metadata
 * delete -> DELETE /organizations/{id}, DELETE /organizations/{id}/memberships/{user}
 */
import type { ClerkMembershipJSON, ClerkOrganizationJSON } from "../model/organizationWire";
import { membershipJSON, unlessNotFound } from "./organizationReader";
import { rawOf } from "./reader";
import type { Call, ClerkClient } from "./registry";

type Orgs = ClerkClient["organizations"];
type Bag = Record<string, unknown>;

export interface OrganizationWrites {
  /** Params from `organizationCreateParams`; `createdAt` and `roleSetKey` are outside the SDK's type. */
  createOrganization(params: Bag): Promise<ClerkOrganizationJSON>;
  /** Only defined keys: an `undefined` one still makes the SDK send the PATCH. Never metadata. */
  updateOrganization(organizationId: string, params: Bag): Promise<ClerkOrganizationJSON>;
  /** PUT: each object sent replaces Clerk's whole object. Never called with nothing to write (no body). */
  replaceOrganizationMetadata(organizationId: string, params: Bag): Promise<ClerkOrganizationJSON>;
  /** `false` when it was already gone (404). */
  deleteOrganization(organizationId: string): Promise<boolean>;
  /** Params from `membershipCreateParams`; the metadata are outside the SDK's type. */
  createMembership(params: Bag): Promise<ClerkMembershipJSON>;
  updateMembershipRole(organizationId: string, userId: string, role: string): Promise<ClerkMembershipJSON>;
  /** PATCH …/metadata: Clerk's deep merge (`null` deletes a key). */
  mergeMembershipMetadata(organizationId: string, userId: string, params: Bag): Promise<ClerkMembershipJSON>;
  /** `false` when the membership (or its organization) was already gone (404). */
  deleteMembership(organizationId: string, userId: string): Promise<boolean>;
}

export function createOrganizationWrites(client: ClerkClient, call: Call): OrganizationWrites {
  const orgs = client.organizations;
  const write = <T>(label: string, fn: () => Promise<T>, key?: string): Promise<T> =>
    call({ label, write: true, ...(key ? { userWrite: key } : {}) }, fn);
  const org = async (label: string, fn: () => Promise<unknown>, key?: string) =>
    rawOf<ClerkOrganizationJSON>(await write(label, fn, key));
  const member = async (label: string, fn: () => Promise<unknown>, key?: string) =>
    membershipJSON(await write(label, fn, key));
  const path = (organizationId: string, userId?: string) =>
    `/organizations/${organizationId}${userId === undefined ? "" : `/memberships/${userId}`}`;
  return {
    createOrganization: (params) =>
      org("POST /organizations", () => orgs.createOrganization(params as Parameters<Orgs["createOrganization"]>[0])),
    updateOrganization: (id, params) => org(`PATCH ${path(id)}`, () => orgs.updateOrganization(id, params), id),
    replaceOrganizationMetadata: (id, params) =>
      org(`PUT ${path(id)}/metadata`, () => orgs.replaceOrganizationMetadata(id, params), id),
    deleteOrganization: async (id) =>
      (await unlessNotFound(write(`DELETE ${path(id)}`, () => orgs.deleteOrganization(id)))) !== undefined,
    createMembership: (params) =>
      member(`POST ${path(String(params["organizationId"]))}/memberships`, () =>
        orgs.createOrganizationMembership(params as Parameters<Orgs["createOrganizationMembership"]>[0]),
      ),
    updateMembershipRole: (organizationId, userId, role) =>
      member(
        `PATCH ${path(organizationId, userId)}`,
        () => orgs.updateOrganizationMembership({ organizationId, userId, role }),
        `${organizationId}/${userId}`,
      ),
    mergeMembershipMetadata: (organizationId, userId, params) =>
      member(
        `PATCH ${path(organizationId, userId)}/metadata`,
        () => orgs.updateOrganizationMembershipMetadata({ organizationId, userId, ...params }),
        `${organizationId}/${userId}`,
      ),
    deleteMembership: async (organizationId, userId) =>
      (await unlessNotFound(
        write(`DELETE ${path(organizationId, userId)}`, () =>
          orgs.deleteOrganizationMembership({ organizationId, userId }),
        ),
      )) !== undefined,
  };
}
