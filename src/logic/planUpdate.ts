import type { ClerkUserJSON } from "../model/wire";
import { MARKER_KEY, withMarker } from "../marker/managedByMarker";
import type { JsonObject } from "../model/json";
import type { UserInputs } from "../model/UserInputs";
import type { UserOutputs } from "../model/UserOutputs";
import { blankToUndefined, limitOrZero, metadataOrEmpty } from "./fieldValues";
import { type IdentifierKind, identifierKey } from "./identifiers";
import { jsonEquals } from "./jsonEquals";
import { isoFromMillis, sameInstant } from "./rfc3339";

/**
 * camelCase params for `users.updateUser` (PATCH /users/{id}). A type alias, not an interface, so it is
 * assignable to the gateway's `Record<string, unknown>`. `null` clears a string attribute. Never metadata:
 * under API 2026-05-12 the SDK would turn that into a second, merging call.
 */
export type UpdateUserParams = {
  firstName?: string | null;
  lastName?: string | null;
  username?: string | null;
  externalId?: string | null;
  locale?: string | null;
  password?: string;
  skipPasswordChecks?: boolean;
  signOutOfOtherSessions?: boolean;
  passwordDigest?: string;
  passwordHasher?: string;
  totpSecret?: string;
  backupCodes?: string[];
  createdAt?: string;
  legalAcceptedAt?: string;
  skipLegalChecks?: boolean;
  deleteSelfEnabled?: boolean;
  createOrganizationEnabled?: boolean;
  createOrganizationsLimit?: number;
  bypassClientTrust?: boolean;
};

/** Params for `users.replaceUserMetadata` (PUT /users/{id}/metadata): each sent field replaces Clerk's whole object. */
export type ReplaceMetadataParams = {
  publicMetadata?: JsonObject;
  privateMetadata?: JsonObject;
  unsafeMetadata?: JsonObject;
};

/** One Clerk call of an update, in the order `planUpdate` returns them. */
export type UpdateStep =
  /** POST /email_addresses, created verified; `primary` when it is the declared primary. */
  | { kind: "addEmail"; emailAddress: string; primary: boolean }
  /** PATCH /email_addresses/{id} `{primary: true}` for a declared primary the user already has. */
  | { kind: "setPrimaryEmail"; emailAddressId: string }
  /** DELETE /email_addresses/{id}; the address is carried for messages. */
  | { kind: "deleteEmail"; emailAddressId: string; emailAddress: string }
  | { kind: "addPhone"; phoneNumber: string; primary: boolean }
  | { kind: "setPrimaryPhone"; phoneNumberId: string }
  | { kind: "deletePhone"; phoneNumberId: string; phoneNumber: string }
  | { kind: "updateUser"; params: UpdateUserParams }
  | { kind: "replaceMetadata"; params: ReplaceMetadataParams }
  | { kind: "ban" }
  | { kind: "unban" }
  | { kind: "lock" }
  | { kind: "unlock" };

/**
 * The Clerk calls that take the live user `current` to the declared `news`, in a safe order:
 *
 * 1. add the new emails, then phones (a new primary is created with `primary: true`), so the user never
 *    runs out of identifiers: Clerk refuses to delete the last one;
 * 2. make an already-held declared primary primary;
 * 3. `updateUser` with only the attributes that differ;
 * 4. `replaceMetadata` with only the metadata objects that differ (declarative: a removed key disappears);
 * 5. delete the identifiers no longer declared;
 * 6. ban/unban, then lock/unlock, last, so a ban never blocks the steps before it.
 *
 * Clerk-visible fields are compared with `current` (the truth, after any out-of-band change); write-only
 * inputs with `olds` (the previous state), since Clerk never returns them. A password is sent only when
 * `news.password` is set and differs: an absent password (e.g. with `generatePassword`, whose password is kept
 * in `olds.generatedPassword`) never triggers one. `signOutOfOtherSessions` and `skipPasswordChecks` ride along
 * with a password, `skipLegalChecks` with `legalAcceptedAt`. Web3 wallets are not planned: a change replaces
 * the user (see `diffUser`). Returns `[]` when nothing differs.
 */
export function planUpdate(
  current: ClerkUserJSON,
  olds: UserOutputs | Partial<UserOutputs>,
  news: UserInputs,
): UpdateStep[] {
  const emails = planIdentifiers(
    "email",
    (current.email_addresses ?? []).map((e) => ({ id: e.id, value: e.email_address })),
    current.primary_email_address_id,
    news.emailAddresses ?? [],
  );
  const phones = planIdentifiers(
    "phone",
    (current.phone_numbers ?? []).map((p) => ({ id: p.id, value: p.phone_number })),
    current.primary_phone_number_id,
    news.phoneNumbers ?? [],
  );

  const steps: UpdateStep[] = [];
  for (const emailAddress of emails.add)
    steps.push({ kind: "addEmail", emailAddress, primary: emailAddress === emails.primaryToAdd });
  for (const phoneNumber of phones.add)
    steps.push({ kind: "addPhone", phoneNumber, primary: phoneNumber === phones.primaryToAdd });
  if (emails.setPrimaryId) steps.push({ kind: "setPrimaryEmail", emailAddressId: emails.setPrimaryId });
  if (phones.setPrimaryId) steps.push({ kind: "setPrimaryPhone", phoneNumberId: phones.setPrimaryId });

  const params = planUserParams(current, olds as Partial<UserOutputs>, news);
  if (Object.keys(params).length > 0) steps.push({ kind: "updateUser", params });

  const metadata = planMetadata(current, news);
  if (Object.keys(metadata).length > 0) steps.push({ kind: "replaceMetadata", params: metadata });

  for (const d of emails.remove) steps.push({ kind: "deleteEmail", emailAddressId: d.id, emailAddress: d.value });
  for (const d of phones.remove) steps.push({ kind: "deletePhone", phoneNumberId: d.id, phoneNumber: d.value });

  const banned = news.banned === true;
  if (banned !== current.banned) steps.push({ kind: banned ? "ban" : "unban" });
  // Unset means unmanaged: Clerk's own lockout after failed sign-ins is never undone by silence.
  if (news.locked !== undefined && news.locked !== null && (news.locked === true) !== current.locked) {
    steps.push({ kind: news.locked === true ? "lock" : "unlock" });
  }
  return steps;
}

interface IdentifierPlan {
  add: string[];
  /** The declared primary, when it has to be added. */
  primaryToAdd: string | undefined;
  /** The id of the declared primary, when held but not primary. */
  setPrimaryId: string | undefined;
  remove: { id: string; value: string }[];
}

function planIdentifiers(
  kind: IdentifierKind,
  held: { id: string; value: string }[],
  primaryId: string | null,
  declared: readonly string[],
): IdentifierPlan {
  const heldByKey = new Map(held.map((h) => [identifierKey(kind, h.value), h]));
  const declaredKeys = new Set(declared.map((v) => identifierKey(kind, v)));
  const add = declared.filter((v) => !heldByKey.has(identifierKey(kind, v)));
  const primary = declared[0];
  const heldPrimary = primary === undefined ? undefined : heldByKey.get(identifierKey(kind, primary));
  return {
    add,
    primaryToAdd: primary !== undefined && !heldPrimary ? primary : undefined,
    setPrimaryId: heldPrimary && heldPrimary.id !== primaryId ? heldPrimary.id : undefined,
    remove: held.filter((h) => !declaredKeys.has(identifierKey(kind, h.value))),
  };
}

const CLEARABLE = {
  firstName: "first_name",
  lastName: "last_name",
  username: "username",
  externalId: "external_id",
  locale: "locale",
} as const;

const SETTINGS = {
  deleteSelfEnabled: "delete_self_enabled",
  createOrganizationEnabled: "create_organization_enabled",
  bypassClientTrust: "bypass_client_trust",
} as const;

function planUserParams(current: ClerkUserJSON, olds: Partial<UserOutputs>, news: UserInputs): UpdateUserParams {
  const p: UpdateUserParams = {};
  for (const [key, wire] of Object.entries(CLEARABLE) as [
    keyof typeof CLEARABLE,
    (typeof CLEARABLE)[keyof typeof CLEARABLE],
  ][]) {
    const held = current[wire];
    const want = blankToUndefined(news[key]);
    if (held === undefined && want === undefined) continue; // Clerk did not report it and nothing is declared
    if (want !== blankToUndefined(held)) p[key] = want ?? null;
  }

  if (news.password !== undefined && news.password !== olds.password) {
    p.password = news.password;
    if (news.skipPasswordChecks === true) p.skipPasswordChecks = true;
    if (news.signOutOfOtherSessions === true) p.signOutOfOtherSessions = true;
  }
  if (
    news.passwordDigest !== undefined &&
    (news.passwordDigest !== olds.passwordDigest || news.passwordHasher !== olds.passwordHasher)
  ) {
    p.passwordDigest = news.passwordDigest;
    if (news.passwordHasher !== undefined) p.passwordHasher = news.passwordHasher;
  }
  if (news.totpSecret !== undefined && news.totpSecret !== olds.totpSecret) p.totpSecret = news.totpSecret;
  if (
    news.backupCodes !== undefined &&
    !jsonEquals([...news.backupCodes].sort(), [...(olds.backupCodes ?? [])].sort())
  ) {
    p.backupCodes = [...news.backupCodes];
  }

  if (news.createdAt !== undefined && !sameInstant(news.createdAt, isoFromMillis(current.created_at))) {
    p.createdAt = news.createdAt;
  }
  if (
    news.legalAcceptedAt !== undefined &&
    (typeof current.legal_accepted_at !== "number" ||
      !sameInstant(news.legalAcceptedAt, isoFromMillis(current.legal_accepted_at)))
  ) {
    p.legalAcceptedAt = news.legalAcceptedAt;
    if (news.skipLegalChecks === true) p.skipLegalChecks = true;
  }

  for (const [key, wire] of Object.entries(SETTINGS) as [
    keyof typeof SETTINGS,
    (typeof SETTINGS)[keyof typeof SETTINGS],
  ][]) {
    const want = news[key];
    if (want !== undefined && want !== current[wire]) p[key] = want;
  }
  if (
    news.createOrganizationsLimit !== undefined &&
    limitOrZero(news.createOrganizationsLimit) !== limitOrZero(current.create_organizations_limit)
  ) {
    p.createOrganizationsLimit = news.createOrganizationsLimit;
  }
  return p;
}

/**
 * Private metadata always carries the marker. Without `managedBy` (never the case for `ClerkUser`), a marker
 * Clerk already holds is kept: the provider does not silently disown a user.
 */
function planMetadata(current: ClerkUserJSON, news: UserInputs): ReplaceMetadataParams {
  const p: ReplaceMetadataParams = {};
  const publicMetadata = metadataOrEmpty(news.publicMetadata);
  if (!jsonEquals(publicMetadata, metadataOrEmpty(current.public_metadata))) p.publicMetadata = publicMetadata;

  const heldPrivate = metadataOrEmpty(current.private_metadata);
  const privateMetadata = withMarker(news.privateMetadata, news.managedBy);
  const heldMarker = heldPrivate[MARKER_KEY];
  if (!news.managedBy && heldMarker !== undefined) privateMetadata[MARKER_KEY] = heldMarker;
  if (!jsonEquals(privateMetadata, heldPrivate)) p.privateMetadata = privateMetadata;

  // The frontend writes unsafe metadata too: only a program that declares it manages it.
  if (news.unsafeMetadata !== undefined && news.unsafeMetadata !== null) {
    const unsafeMetadata = metadataOrEmpty(news.unsafeMetadata);
    if (!jsonEquals(unsafeMetadata, metadataOrEmpty(current.unsafe_metadata))) p.unsafeMetadata = unsafeMetadata;
  }
  return p;
}
