import type { ClerkUserJSON } from "../model/wire";
import { stripMarker } from "../marker/managedByMarker";
import type { JsonObject } from "../model/json";
import { WRITE_ONLY_KEYS, type UserInputs } from "../model/UserInputs";
import type { UserOutputs } from "../model/UserOutputs";
import { type IdentifierKind, orderIdentifiers } from "./identifiers";
import { isPlainObject } from "./isPlainObject";
import { jsonEquals } from "./jsonEquals";
import { isoFromMillis, sameInstant } from "./rfc3339";

/**
 * Mapping Clerk's user back into input shape, for the state (`toOutputs`) and for a refresh (`toReadInputs`).
 *
 * How `null` (and missing) Clerk fields map, chosen so that create → toOutputs → diff(outputs, sameInputs)
 * reports nothing and a refresh with no out-of-band change reproduces the previous inputs exactly:
 * - Clerk answers `null` for an unset string. A declared `""` maps back to `""` (Clerk's way of holding
 *   "empty"); a declared non-empty value with `null` in Clerk is omitted, so it shows as the drift it is.
 *   Not declared and `null` → omitted.
 * - A field missing from Clerk's payload (older API versions omit `locale`, `unsafe_metadata`,
 *   `create_organizations_limit`, `bypass_client_trust`) says nothing: the declared value is carried over.
 * - Metadata: `{}` in Clerk with nothing declared is omitted; when Clerk's value equals the declared one
 *   (key-order-insensitively), the declared object is kept so the state does not churn on key order.
 * - `createOrganizationsLimit` `null` reads as a declared `0` ("0 means unlimited"), else omitted.
 * - Identifier lists: primary first, then the declared ones in the declared order (and spelling, since emails
 *   match case-insensitively), then any others in Clerk's order. Omitted when none are held or declared.
 */

/** The three identifier kinds as Clerk lists them. */
function heldIdentifiers(
  user: ClerkUserJSON,
): Record<string, { kind: IdentifierKind; primaryId: string | null; held: { id: string; value: string }[] }> {
  return {
    emailAddresses: {
      kind: "email",
      primaryId: user.primary_email_address_id,
      held: (user.email_addresses ?? []).map((e) => ({ id: e.id, value: e.email_address })),
    },
    phoneNumbers: {
      kind: "phone",
      primaryId: user.primary_phone_number_id,
      held: (user.phone_numbers ?? []).map((p) => ({ id: p.id, value: p.phone_number })),
    },
    web3Wallets: {
      kind: "web3",
      primaryId: user.primary_web3_wallet_id,
      held: (user.web3_wallets ?? []).map((w) => ({ id: w.id, value: w.web3_wallet })),
    },
  };
}

/** The string attributes Clerk can clear, with their wire names. */
const STRINGS = {
  username: "username",
  firstName: "first_name",
  lastName: "last_name",
  externalId: "external_id",
  locale: "locale",
} as const satisfies Partial<Record<keyof UserInputs, keyof ClerkUserJSON>>;

/** Instance-defaulted settings: Clerk always holds a value; the program may leave them alone. */
const SETTINGS = {
  deleteSelfEnabled: "delete_self_enabled",
  createOrganizationEnabled: "create_organization_enabled",
  bypassClientTrust: "bypass_client_trust",
} as const satisfies Partial<Record<keyof UserInputs, keyof ClerkUserJSON>>;

type Bag = Record<string, unknown>;

/**
 * The managed fields Clerk holds, mapped to input shape against what was declared (`declared`: the inputs
 * for outputs, the previous inputs for a refresh). Shared by both mappings so they agree on every field.
 */
function mapManaged(user: ClerkUserJSON, declared: Bag, out: Bag): void {
  for (const [key, { kind, primaryId, held }] of Object.entries(heldIdentifiers(user))) {
    const d = Array.isArray(declared[key]) ? (declared[key] as string[]) : undefined;
    if (d === undefined && held.length === 0) continue;
    out[key] = orderIdentifiers(kind, held, primaryId, d);
  }
  for (const [key, wire] of Object.entries(STRINGS)) {
    const v = mapString(user[wire], declared[key]);
    if (v !== undefined) out[key] = v;
  }
  const metadata: [string, JsonObject | null | undefined][] = [
    ["publicMetadata", user.public_metadata],
    ["privateMetadata", user.private_metadata === undefined ? undefined : stripMarker(user.private_metadata)],
    ["unsafeMetadata", user.unsafe_metadata],
  ];
  for (const [key, held] of metadata) {
    const v = mapMetadata(held, declared[key]);
    if (v !== undefined) out[key] = v;
  }
}

function mapString(held: string | null | undefined, declared: unknown): string | undefined {
  if (held === undefined) return typeof declared === "string" ? declared : undefined;
  if (held === null || held === "") return declared === "" ? "" : undefined;
  return held;
}

function mapMetadata(held: JsonObject | null | undefined, declared: unknown): JsonObject | undefined {
  const d = isPlainObject(declared) ? (declared as JsonObject) : undefined;
  if (held === undefined) return d;
  const value = held ?? {};
  if (d !== undefined && jsonEquals(value, d)) return d;
  if (d === undefined && Object.keys(value).length === 0) return undefined;
  return value;
}

function mapLimit(held: number | null | undefined, declared: unknown): number | undefined {
  if (typeof held === "number") return held;
  if (held === undefined) return typeof declared === "number" ? declared : undefined;
  return declared === 0 ? 0 : undefined;
}

function copyWriteOnly(from: Bag, out: Bag): void {
  for (const key of WRITE_ONLY_KEYS) {
    const v = from[key];
    if (v !== undefined && v !== null) out[key] = Array.isArray(v) ? [...(v as unknown[])] : v;
  }
  if (isPlainObject(from["managedBy"])) out["managedBy"] = { ...from["managedBy"] };
}

/**
 * The state after create, update or refresh: Clerk's managed fields in input shape (see the module comment
 * for `null` handling), private metadata without the marker, `createdAt` and `legalAcceptedAt` as ISO strings
 * from Clerk's milliseconds, the write-only inputs and `managedBy` copied from `inputs`, Clerk's computed
 * fields, and `generatedPassword` when one was generated. Keys are omitted rather than `undefined`.
 */
export function toOutputs(
  user: ClerkUserJSON,
  inputs: UserInputs,
  extras: { generatedPassword?: string } = {},
): UserOutputs {
  const declared = inputs as Bag;
  const out: Bag = {};
  mapManaged(user, declared, out);
  for (const [key, wire] of Object.entries(SETTINGS)) {
    const held = user[wire];
    if (typeof held === "boolean") out[key] = held;
    else if (typeof declared[key] === "boolean") out[key] = declared[key];
  }
  const limit = mapLimit(user.create_organizations_limit, declared["createOrganizationsLimit"]);
  if (limit !== undefined) out["createOrganizationsLimit"] = limit;
  if (typeof user.legal_accepted_at === "number") out["legalAcceptedAt"] = isoFromMillis(user.legal_accepted_at);
  copyWriteOnly(declared, out);
  if (extras.generatedPassword !== undefined) out["generatedPassword"] = extras.generatedPassword;

  out["userId"] = user.id;
  out["primaryEmailAddressId"] = user.primary_email_address_id ?? null;
  out["primaryPhoneNumberId"] = user.primary_phone_number_id ?? null;
  out["primaryWeb3WalletId"] = user.primary_web3_wallet_id ?? null;
  out["createdAt"] = isoFromMillis(user.created_at);
  out["passwordEnabled"] = user.password_enabled;
  out["totpEnabled"] = user.totp_enabled;
  out["backupCodeEnabled"] = user.backup_code_enabled;
  out["twoFactorEnabled"] = user.two_factor_enabled;
  out["banned"] = user.banned;
  out["locked"] = user.locked;
  return out as unknown as UserOutputs;
}

/**
 * The inputs as Clerk now holds them, for `read` (refresh), so that the next diff starts from reality:
 * with no out-of-band change the result equals `previousInputs` exactly; drift (a name edited in the
 * dashboard, a metadata key added, an email removed) shows as the new value.
 *
 * A field is included when `previousInputs` had it or Clerk holds a non-default value that the program
 * manages even when silent: names, username, externalId, locale and metadata (non-empty), identifier lists
 * (non-empty), `banned` (true). `unsafeMetadata` and `locked` only when declared. Fields managed only when declared (deleteSelfEnabled,
 * createOrganizationEnabled, bypassClientTrust, createOrganizationsLimit, createdAt, legalAcceptedAt) appear
 * only if previously declared; timestamps keep the previous spelling when they name the same instant.
 * Write-only inputs and `managedBy` are carried over from `previousInputs`.
 */
export function toReadInputs(user: ClerkUserJSON, previousInputs: UserInputs): UserInputs {
  const prev = previousInputs as Bag;
  const has = (key: string): boolean => prev[key] !== undefined && prev[key] !== null;
  const out: Bag = {};
  mapManaged(user, prev, out);
  // Managed only when declared (the frontend and Clerk's lockout write them): no drift when silent.
  if (!has("unsafeMetadata")) delete out["unsafeMetadata"];
  if (has("banned") || user.banned) out["banned"] = user.banned === true;
  if (has("locked")) out["locked"] = user.locked === true;
  for (const [key, wire] of Object.entries(SETTINGS)) {
    if (!has(key)) continue;
    const held = user[wire];
    out[key] = typeof held === "boolean" ? held : prev[key];
  }
  if (has("createOrganizationsLimit")) {
    const limit = mapLimit(user.create_organizations_limit, prev["createOrganizationsLimit"]);
    if (limit !== undefined) out["createOrganizationsLimit"] = limit;
  }
  const times: [string, number | null | undefined][] = [
    ["createdAt", user.created_at],
    ["legalAcceptedAt", user.legal_accepted_at],
  ];
  for (const [key, ms] of times) {
    if (!has(key)) continue;
    if (ms === undefined) out[key] = prev[key];
    else if (ms !== null) {
      const iso = isoFromMillis(ms);
      out[key] = sameInstant(prev[key], iso) ? prev[key] : iso;
    }
  }
  copyWriteOnly(prev, out);
  return out as UserInputs;
}
