import { newId } from "./ids";
import type { OrganizationRole, OrganizationSettings, StoredMembership, StoredOrganization } from "./types";

/**
 * The instance's organizations and memberships, with the invariants Clerk's database keeps:
 * - a slug belongs to one organization;
 * - one membership per organization and user, and only for an organization that exists;
 * - deleting an organization deletes its memberships; deleting a user deletes theirs (see {@link Store.remove}).
 * Handlers apply Clerk's rules (roles, limits, the last admin); the store only refuses what would corrupt it.
 */
export class SlugConflictError extends Error {
  constructor(
    readonly slug: string,
    readonly ownerId: string,
  ) {
    super(`local-clerk: slug "${slug}" already belongs to ${ownerId}`);
    this.name = "SlugConflictError";
  }
}

const membershipKey = (organizationId: string, userId: string): string => `${organizationId}\u0000${userId}`;

export class OrganizationStore {
  private readonly orgs = new Map<string, StoredOrganization>();
  private readonly slugIndex = new Map<string, string>();
  private readonly memberships = new Map<string, StoredMembership>();
  /** Insertion sequence: stable tie-break when many records share a created_at millisecond. */
  private readonly seq = new Map<string, number>();
  private nextSeq = 0;

  reset(): void {
    this.orgs.clear();
    this.slugIndex.clear();
    this.memberships.clear();
    this.seq.clear();
  }

  sequenceOf(id: string): number {
    return this.seq.get(id) ?? 0;
  }

  all(): StoredOrganization[] {
    return [...this.orgs.values()];
  }

  get(id: string): StoredOrganization | undefined {
    return this.orgs.get(id);
  }

  /** `GET /organizations/{organization_id}` takes an id or a slug. */
  byIdOrSlug(idOrSlug: string): StoredOrganization | undefined {
    const bySlug = this.slugIndex.get(idOrSlug);
    return this.orgs.get(idOrSlug) ?? (bySlug === undefined ? undefined : this.orgs.get(bySlug));
  }

  slugOwner(slug: string): string | undefined {
    return this.slugIndex.get(slug);
  }

  /** Inserts or replaces an organization. Throws {@link SlugConflictError} if another one holds its slug. */
  saveOrganization(org: StoredOrganization): StoredOrganization {
    const owner = this.slugIndex.get(org.slug);
    if (owner !== undefined && owner !== org.id) throw new SlugConflictError(org.slug, owner);
    const previous = this.orgs.get(org.id);
    if (previous && this.slugIndex.get(previous.slug) === org.id) this.slugIndex.delete(previous.slug);
    this.orgs.set(org.id, org);
    this.slugIndex.set(org.slug, org.id);
    if (!this.seq.has(org.id)) this.seq.set(org.id, this.nextSeq++);
    return org;
  }

  /** Deletes an organization and its memberships; returns the organization, if it existed. */
  removeOrganization(id: string): StoredOrganization | undefined {
    const org = this.orgs.get(id);
    if (!org) return undefined;
    for (const m of this.membershipsOf(id)) this.removeMembership(m.organization_id, m.user_id);
    this.orgs.delete(id);
    if (this.slugIndex.get(org.slug) === id) this.slugIndex.delete(org.slug);
    this.seq.delete(id);
    return org;
  }

  membership(organizationId: string, userId: string): StoredMembership | undefined {
    return this.memberships.get(membershipKey(organizationId, userId));
  }

  allMemberships(): StoredMembership[] {
    return [...this.memberships.values()];
  }

  membershipsOf(organizationId: string): StoredMembership[] {
    return this.allMemberships().filter((m) => m.organization_id === organizationId);
  }

  membershipsOfUser(userId: string): StoredMembership[] {
    return this.allMemberships().filter((m) => m.user_id === userId);
  }

  /** Inserts or replaces the membership of (organization, user); the organization must exist. */
  saveMembership(m: StoredMembership): StoredMembership {
    if (!this.orgs.has(m.organization_id))
      throw new Error(`local-clerk: membership for unknown organization ${m.organization_id}`);
    this.memberships.set(membershipKey(m.organization_id, m.user_id), m);
    if (!this.seq.has(m.id)) this.seq.set(m.id, this.nextSeq++);
    return m;
  }

  removeMembership(organizationId: string, userId: string): StoredMembership | undefined {
    const key = membershipKey(organizationId, userId);
    const m = this.memberships.get(key);
    if (!m) return undefined;
    this.memberships.delete(key);
    this.seq.delete(m.id);
    return m;
  }

  /** A deleted user leaves no memberships behind (their organizations stay). */
  removeUser(userId: string): void {
    for (const m of this.membershipsOfUser(userId)) this.removeMembership(m.organization_id, userId);
  }
}

/** Permission keys Clerk requires of the role that runs an organization (its creator role, its last admin). */
export const ELEVATED_PERMISSIONS = ["org:sys_memberships:manage", "org:sys_profile:manage"] as const;

/** Clerk's default roles (https://clerk.com/docs/guides/organizations/control-access/roles-and-permissions). */
export const DEFAULT_ROLES: Readonly<Record<string, OrganizationRole>> = {
  "org:admin": {
    name: "Admin",
    permissions: [
      "org:sys_profile:manage",
      "org:sys_profile:delete",
      "org:sys_memberships:read",
      "org:sys_memberships:manage",
      "org:sys_domains:read",
      "org:sys_domains:manage",
    ],
  },
  "org:member": { name: "Member", permissions: ["org:sys_memberships:read"] },
};

export function defaultOrganizationSettings(partial: Partial<OrganizationSettings> = {}): OrganizationSettings {
  return structuredClone({
    enabled: true,
    maxAllowedMemberships: 0,
    creatorRole: "org:admin",
    adminDeleteEnabled: true,
    initialRoleSetKey: null,
    roles: DEFAULT_ROLES,
    ...partial,
  });
}

export function isElevated(settings: OrganizationSettings, role: string): boolean {
  const permissions = settings.roles[role]?.permissions ?? [];
  return ELEVATED_PERMISSIONS.every((p) => permissions.includes(p));
}

/** A complete stored organization with Clerk's defaults; `partial` wins. Used by POST and control.putOrganization. */
export function newStoredOrganization(
  nowMs: number,
  settings: OrganizationSettings,
  partial: Partial<StoredOrganization> = {},
): StoredOrganization {
  const id = partial.id ?? newId("org", nowMs);
  return {
    id,
    name: "",
    slug: id.toLowerCase().replace(/_/g, "-"),
    max_allowed_memberships: settings.maxAllowedMemberships,
    admin_delete_enabled: settings.adminDeleteEnabled,
    public_metadata: {},
    private_metadata: {},
    created_by: null,
    role_set_key: settings.initialRoleSetKey,
    created_at: nowMs,
    updated_at: nowMs,
    ...partial,
  };
}

export function newStoredMembership(
  nowMs: number,
  partial: Partial<StoredMembership> & Pick<StoredMembership, "organization_id" | "user_id">,
): StoredMembership {
  return {
    id: newId("orgmem", nowMs),
    role: "org:member",
    public_metadata: {},
    private_metadata: {},
    created_at: nowMs,
    updated_at: nowMs,
    ...partial,
  };
}
