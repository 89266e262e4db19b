import { stripMarker } from "../marker/managedByMarker";
import type { UserInputs } from "../model/UserInputs";
import type { UserOutputs } from "../model/UserOutputs";
import { blankToUndefined, limitOrZero, metadataOrEmpty } from "./fieldValues";
import { type IdentifierKind, sameIdentifiers } from "./identifiers";
import { jsonEquals } from "./jsonEquals";
import { sameInstant } from "./rfc3339";
import { containsUnknown } from "./unknown";

/** The answer to Pulumi's `diff`, plus the changed property names for logs and tests. */
export interface UserDiff {
  changes: boolean;
  /** Properties whose change needs a new user: only `web3Wallets` (Clerk cannot add a wallet later). */
  replaces: string[];
  /** Always true when replacing: the new user would collide on the old one's unique identifiers. */
  deleteBeforeReplace: boolean;
  /** Changed property names, sorted. */
  detailedChanges: string[];
}

/** Input-like view of either side, indexable by name. */
type Bag = Partial<Record<string, unknown>>;

/** Compares one property; true when equal. Only called when `news` holds no unknown for it. */
type Same = (olds: Bag, news: Bag, key: string) => boolean;

const identifiers =
  (kind: IdentifierKind): Same =>
  (o, n, k) => {
    const a = stringList(o[k]);
    const b = stringList(n[k]);
    // A malformed value (check reports it) only needs to compare unequal, never to throw.
    if (a === null || b === null) return jsonEquals(o[k] ?? null, n[k] ?? null);
    return sameIdentifiers(kind, a, b, kind === "email");
  };
/** Strings Clerk can clear: absent, null and "" are one value, so dropping one from the program is a change. */
const clearable: Same = (o, n, k) => blankToUndefined(o[k]) === blankToUndefined(n[k]);
/** Booleans whose absence means false. */
const falseIfAbsent: Same = (o, n, k) => (o[k] === true) === (n[k] === true);
/** Fields left alone when the program does not set them. */
const ifSet =
  (same: (a: unknown, b: unknown) => boolean): Same =>
  (o, n, k) =>
    n[k] === undefined || n[k] === null || same(o[k], n[k]);
const metadata: Same = (o, n, k) => jsonEquals(metadataOrEmpty(o[k]), metadataOrEmpty(n[k]));
/** Write-only strings and lists: compared with the previous inputs kept in state; absent equals absent. */
const previous: Same = (o, n, k) => jsonEquals(o[k] ?? null, n[k] ?? null);

/**
 * Per property, how the previous state and the new inputs compare. Computed outputs (userId, primary*Id,
 * passwordEnabled, totpEnabled, backupCodeEnabled, twoFactorEnabled, generatedPassword) are not listed, so
 * are never compared.
 */
const RULES: Readonly<Record<string, Same>> = {
  emailAddresses: identifiers("email"),
  phoneNumbers: identifiers("phone"),
  web3Wallets: identifiers("web3"),
  username: clearable,
  firstName: clearable,
  lastName: clearable,
  externalId: clearable,
  locale: clearable,
  publicMetadata: metadata,
  privateMetadata: (o, n) =>
    jsonEquals(stripMarker(metadataOrEmpty(o["privateMetadata"])), stripMarker(metadataOrEmpty(n["privateMetadata"]))),
  // Written by the frontend too: managed only when the program declares it, or an update would wipe it.
  unsafeMetadata: ifSet((a, b) => jsonEquals(metadataOrEmpty(a), metadataOrEmpty(b))),
  password: previous,
  passwordDigest: previous,
  passwordHasher: previous,
  totpSecret: previous,
  backupCodes: (o, n) => jsonEquals(sortedCodes(o["backupCodes"]), sortedCodes(n["backupCodes"])),
  generatePassword: falseIfAbsent,
  skipPasswordChecks: falseIfAbsent,
  skipPasswordRequirement: falseIfAbsent,
  signOutOfOtherSessions: falseIfAbsent,
  skipLegalChecks: falseIfAbsent,
  adopt: falseIfAbsent,
  banned: falseIfAbsent,
  // Clerk locks users itself after failed sign-ins: managed only when declared, never unlocked by silence.
  locked: ifSet((a, b) => (a === true) === (b === true)),
  createdAt: ifSet(sameInstant),
  legalAcceptedAt: ifSet(sameInstant),
  deleteSelfEnabled: ifSet((a, b) => a === b),
  createOrganizationEnabled: ifSet((a, b) => a === b),
  bypassClientTrust: ifSet((a, b) => a === b),
  createOrganizationsLimit: ifSet((a, b) => limitOrZero(a) === limitOrZero(b)),
  managedBy: (o, n) => jsonEquals(o["managedBy"] ?? null, n["managedBy"] ?? null),
};

/** The only property Clerk cannot change in place. */
const REPLACE_ON_CHANGE: ReadonlySet<string> = new Set(["web3Wallets"]);

/**
 * Pulumi `diff`: compares the previous state (`olds`, the outputs: Clerk's values mapped back to input shape,
 * plus the write-only inputs carried over) with the new checked inputs.
 *
 * - Managed fields compare as values: metadata deeply and key-order-insensitively (private metadata without
 *   the marker), emails as primary (exact) plus a case-insensitive set, phones and wallets as primary plus set.
 * - Removing a name, username, externalId, locale, metadata or identifier list from the program clears it.
 * - `banned` absent means false. `locked` and `unsafeMetadata` are managed only when the program sets them
 *   (Clerk's lockout and the frontend write them too). `createdAt`, `legalAcceptedAt` and the instance-defaulted settings
 *   (deleteSelfEnabled, createOrganizationEnabled, createOrganizationsLimit, bypassClientTrust) are compared
 *   only when the program sets them; timestamps as instants.
 * - Write-only inputs compare with their previous values; boolean flags read absent as false.
 * - An unknown (preview) value counts as a change.
 * - Only `web3Wallets` replaces (delete first, as identifiers are unique); emails and phones change in place so
 *   the user keeps its id and sessions.
 */
export function diffUser(olds: UserOutputs | Bag, news: UserInputs | Bag): UserDiff {
  const o = olds as Bag;
  const n = news as Bag;
  const changed: string[] = [];
  for (const [key, same] of Object.entries(RULES)) {
    if (containsUnknown(n[key]) || !same(o, n, key)) changed.push(key);
  }
  changed.sort();
  const replaces = changed.filter((k) => REPLACE_ON_CHANGE.has(k));
  return {
    changes: changed.length > 0,
    replaces,
    deleteBeforeReplace: replaces.length > 0,
    detailedChanges: changed,
  };
}

function stringList(value: unknown): string[] | undefined | null {
  if (value === undefined || value === null) return undefined;
  return Array.isArray(value) && value.every((v) => typeof v === "string") ? (value as string[]) : null;
}

function sortedCodes(value: unknown): unknown[] | null {
  return Array.isArray(value) ? [...(value as unknown[])].map(String).sort() : null;
}
