import { withMarker } from "../marker/managedByMarker";
import type { UserInputs } from "../model/UserInputs";

/**
 * Inputs passed to `users.createUser` under another name (the SDK snake-cases top-level keys:
 * `emailAddress` → `email_address`). Every other listed input keeps its name.
 */
const RENAMED = {
  emailAddresses: "emailAddress",
  phoneNumbers: "phoneNumber",
  web3Wallets: "web3Wallet",
} as const;

/** Inputs sent to POST /users as they are. */
const PASSED = [
  "username",
  "password",
  "passwordDigest",
  "passwordHasher",
  "firstName",
  "lastName",
  "externalId",
  "locale",
  "skipPasswordChecks",
  "skipPasswordRequirement",
  "skipLegalChecks",
  "legalAcceptedAt",
  "totpSecret",
  "backupCodes",
  "createdAt",
  "banned",
  "locked",
  "deleteSelfEnabled",
  "createOrganizationEnabled",
  "createOrganizationsLimit",
  "bypassClientTrust",
  "publicMetadata",
  "unsafeMetadata",
] as const satisfies readonly (keyof UserInputs)[];

/**
 * The camelCase params for `@clerk/backend` `users.createUser` (POST /users): one request creates the user with
 * every identifier, attribute and metadata, the managed-by marker included, so a create never leaves a
 * half-configured user behind.
 *
 * - Absent inputs are omitted (never `undefined`: the request must say exactly what the program says).
 * - Dates stay the RFC 3339 strings of the program (the SDK would serialize a Date to the same JSON).
 * - `privateMetadata` is the declared metadata plus the marker (`withMarker`), sent when either exists.
 * - `opts.generatedPassword` is sent as `password` when the program sets none.
 * - Never sent: `generatePassword`, `adopt`, `managedBy` (provider-side only) and `signOutOfOtherSessions`
 *   (update-only; POST /users rejects unknown keys).
 */
export function toCreateParams(inputs: UserInputs, opts: { generatedPassword?: string } = {}): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [from, to] of Object.entries(RENAMED)) {
    const v = inputs[from as keyof typeof RENAMED];
    if (v !== undefined && v !== null) params[to] = [...v];
  }
  for (const key of PASSED) {
    const v = inputs[key];
    if (v !== undefined && v !== null) params[key] = Array.isArray(v) ? [...v] : v;
  }
  if (params["password"] === undefined && opts.generatedPassword !== undefined) {
    params["password"] = opts.generatedPassword;
  }
  if (inputs.privateMetadata !== undefined || inputs.managedBy !== undefined) {
    params["privateMetadata"] = withMarker(inputs.privateMetadata, inputs.managedBy);
  }
  return params;
}
