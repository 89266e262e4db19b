import { newId } from "./ids";
import { OrganizationStore } from "./organizationStore";
import type { IdentifierKind, StoredEmailAddress, StoredPhoneNumber, StoredUser, StoredWeb3Wallet } from "./types";

/**
 * The instance's users plus two derived indexes, rebuilt per user on every write so they can never drift:
 * - identifier index (instance-wide uniqueness: email case-insensitive, phone, username, external_id, web3);
 * - identification id -> owning user id (for /email_addresses/{id} and /phone_numbers/{id}).
 */
export type IdentificationRef =
  | { kind: "email_address"; user: StoredUser; record: StoredEmailAddress }
  | { kind: "phone_number"; user: StoredUser; record: StoredPhoneNumber }
  | { kind: "web3_wallet"; user: StoredUser; record: StoredWeb3Wallet };

export class IdentifierConflictError extends Error {
  constructor(
    readonly kind: IdentifierKind,
    readonly value: string,
    readonly ownerId: string,
  ) {
    super(`local-clerk: ${kind} "${value}" already belongs to ${ownerId}`);
    this.name = "IdentifierConflictError";
  }
}

/** The normalized key under which an identifier is unique. */
export function identifierKey(kind: IdentifierKind, value: string): string {
  // emails, usernames and wallets compare case-insensitively at Clerk; phones are E.164 (no case)
  const v = kind === "phone_number" || kind === "external_id" ? value : value.toLowerCase();
  return `${kind}:${v}`;
}

function identifiersOf(user: StoredUser): Array<[IdentifierKind, string]> {
  const out: Array<[IdentifierKind, string]> = [];
  for (const e of user.email_addresses) out.push(["email_address", e.email_address]);
  for (const p of user.phone_numbers) out.push(["phone_number", p.phone_number]);
  for (const w of user.web3_wallets) out.push(["web3_wallet", w.web3_wallet]);
  if (user.username) out.push(["username", user.username]);
  if (user.external_id) out.push(["external_id", user.external_id]);
  return out;
}

export class Store {
  private readonly users = new Map<string, StoredUser>();
  /** Insertion sequence: stable tie-break when many users share a created_at millisecond. */
  private readonly seq = new Map<string, number>();
  private nextSeq = 0;
  private readonly identifierIndex = new Map<string, string>();
  private readonly keysByUser = new Map<string, string[]>();
  private readonly identificationOwner = new Map<string, string>();
  private readonly identificationsByUser = new Map<string, string[]>();
  /** Organizations and memberships: cleared with the users, and a removed user's memberships go with them. */
  readonly organizations = new OrganizationStore();

  reset(): void {
    this.organizations.reset();
    this.users.clear();
    this.seq.clear();
    this.identifierIndex.clear();
    this.keysByUser.clear();
    this.identificationOwner.clear();
    this.identificationsByUser.clear();
  }

  get size(): number {
    return this.users.size;
  }

  all(): StoredUser[] {
    return [...this.users.values()];
  }

  sequenceOf(userId: string): number {
    return this.seq.get(userId) ?? 0;
  }

  get(userId: string): StoredUser | undefined {
    return this.users.get(userId);
  }

  /** Owner of an identifier (normalized), if taken. */
  ownerOf(kind: IdentifierKind, value: string): string | undefined {
    return this.identifierIndex.get(identifierKey(kind, value));
  }

  identification(id: string): IdentificationRef | undefined {
    const userId = this.identificationOwner.get(id);
    const user = userId === undefined ? undefined : this.users.get(userId);
    if (!user) return undefined;
    const email = user.email_addresses.find((e) => e.id === id);
    if (email) return { kind: "email_address", user, record: email };
    const phone = user.phone_numbers.find((p) => p.id === id);
    if (phone) return { kind: "phone_number", user, record: phone };
    const wallet = user.web3_wallets.find((w) => w.id === id);
    if (wallet) return { kind: "web3_wallet", user, record: wallet };
    return undefined;
  }

  /**
   * Inserts or replaces a user and re-indexes it. Throws {@link IdentifierConflictError} if one of its identifiers
   * belongs to another user: the index is an invariant, even for out-of-band writes that skip validation.
   */
  save(user: StoredUser): StoredUser {
    const keys = identifiersOf(user).map(([kind, value]) => {
      const key = identifierKey(kind, value);
      const owner = this.identifierIndex.get(key);
      if (owner !== undefined && owner !== user.id) throw new IdentifierConflictError(kind, value, owner);
      return key;
    });
    const unique = new Set(keys);
    if (unique.size !== keys.length) {
      const dup = keys.find((k, i) => keys.indexOf(k) !== i) ?? "";
      const [kind, ...rest] = dup.split(":");
      throw new IdentifierConflictError(kind as IdentifierKind, rest.join(":"), user.id);
    }
    this.unindex(user.id);
    this.users.set(user.id, user);
    if (!this.seq.has(user.id)) this.seq.set(user.id, this.nextSeq++);
    for (const key of keys) this.identifierIndex.set(key, user.id);
    this.keysByUser.set(user.id, keys);
    const idnIds = [...user.email_addresses, ...user.phone_numbers, ...user.web3_wallets].map((i) => i.id);
    for (const id of idnIds) this.identificationOwner.set(id, user.id);
    this.identificationsByUser.set(user.id, idnIds);
    return user;
  }

  /** Deletes a user and their organization memberships (Clerk's user deletion does both). */
  remove(userId: string): StoredUser | undefined {
    const user = this.users.get(userId);
    if (!user) return undefined;
    this.organizations.removeUser(userId);
    this.unindex(userId);
    this.users.delete(userId);
    this.seq.delete(userId);
    return user;
  }

  private unindex(userId: string): void {
    for (const key of this.keysByUser.get(userId) ?? []) {
      if (this.identifierIndex.get(key) === userId) this.identifierIndex.delete(key);
    }
    this.keysByUser.delete(userId);
    for (const id of this.identificationsByUser.get(userId) ?? []) {
      if (this.identificationOwner.get(id) === userId) this.identificationOwner.delete(id);
    }
    this.identificationsByUser.delete(userId);
  }
}

/** A complete stored user with Clerk's defaults; `partial` wins. Used by POST /users and control.putUser. */
export function newStoredUser(nowMs: number, partial: Partial<StoredUser> = {}): StoredUser {
  return {
    id: newId("user", nowMs),
    external_id: null,
    username: null,
    first_name: null,
    last_name: null,
    locale: null,
    public_metadata: {},
    private_metadata: {},
    unsafe_metadata: {},
    email_addresses: [],
    phone_numbers: [],
    web3_wallets: [],
    primary_email_address_id: null,
    primary_phone_number_id: null,
    primary_web3_wallet_id: null,
    password: null,
    password_digest: null,
    password_hasher: null,
    password_last_updated_at: null,
    totp_secret: null,
    backup_codes: null,
    banned: false,
    locked: false,
    profile_image_id: null,
    created_at: nowMs,
    updated_at: nowMs,
    last_sign_in_at: null,
    last_active_at: null,
    legal_accepted_at: null,
    delete_self_enabled: true,
    create_organization_enabled: true,
    create_organizations_limit: null,
    bypass_client_trust: false,
    mfa_enabled_at: null,
    mfa_disabled_at: null,
    ...partial,
  };
}
