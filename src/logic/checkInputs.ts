import { MARKER_KEY, markerFor } from "../marker/managedByMarker";
import type { ManagedBy } from "../model/UserInputs";
import { PASSWORD_HASHERS, USER_INPUT_KEYS } from "../model/UserInputs";
import { IDENTIFIER_PATTERNS, type IdentifierKind, identifierKey } from "./identifiers";
import { isPlainObject } from "./isPlainObject";
import { childPath } from "./propertyPath";
import { isRfc3339 } from "./rfc3339";
import { suggestName } from "./suggest";
import { containsUnknown, isUnknown, UNKNOWN } from "./unknown";

/** One problem with one input, as Pulumi's `check` reports it. */
export interface CheckFailure {
  /** Pulumi property path: `emailAddresses[1]`, `publicMetadata.plan`. */
  property: string;
  /** Readable, and never containing a secret value. */
  reason: string;
}

/** What `check` returns: the inputs to store (normalised news) and every failure found. */
export interface CheckResult {
  inputs: Record<string, unknown>;
  failures: CheckFailure[];
}

/** Clerk's per-field limit on metadata, in UTF-8 bytes of its JSON. */
export const METADATA_MAX_BYTES = 8192;
/** Clerk's minimum password length (unless `skipPasswordChecks`). */
export const PASSWORD_MIN_LENGTH = 8;

const PROVIDER_KEY = "__provider";
const KNOWN_KEYS: ReadonlySet<string> = new Set(USER_INPUT_KEYS);
const METADATA_KEYS = ["publicMetadata", "privateMetadata", "unsafeMetadata"] as const;
const IDENTIFIER_LISTS: readonly [string, IdentifierKind, string][] = [
  ["emailAddresses", "email", "a valid email address"],
  ["phoneNumbers", "phone", "an E.164 phone number (+ then up to 15 digits, e.g. +15555550100)"],
  ["web3Wallets", "web3", "a web3 wallet address (0x then 40 hex digits)"],
];
const STRING_KEYS = [
  "username",
  "firstName",
  "lastName",
  "externalId",
  "locale",
  "password",
  "passwordDigest",
  "passwordHasher",
  "totpSecret",
  "createdAt",
  "legalAcceptedAt",
] as const;
const BOOLEAN_KEYS = [
  "generatePassword",
  "skipPasswordChecks",
  "skipPasswordRequirement",
  "signOutOfOtherSessions",
  "skipLegalChecks",
  "banned",
  "locked",
  "deleteSelfEnabled",
  "createOrganizationEnabled",
  "bypassClientTrust",
  "adopt",
] as const;
/** Inputs whose values are secret: failures describe them, never quote them. */
export const SECRET_INPUT_NAMES: ReadonlySet<string> = new Set([
  "password",
  "passwordDigest",
  "totpSecret",
  "backupCodes",
  "privateMetadata",
]);

/**
 * Validates a ClerkUser's resolved inputs (Pulumi `check`). Every problem is reported at once, each naming its
 * property, so a user fixes a program in one pass instead of one Clerk 422 at a time. Never throws: during
 * preview any value may be Pulumi's unknown sentinel, and checks needing that value are skipped.
 *
 * Returned inputs are `news` with `undefined` and `null` scalars removed (the host cannot encode `undefined`;
 * `null` means "not set" for every non-metadata input) and everything else, `__provider` included, untouched:
 * no trimming, no case folding, no reordering (the first email stays primary).
 *
 * `olds` is accepted for the Pulumi signature; validity does not depend on the previous inputs.
 */
export function checkInputs(olds: Record<string, unknown>, news: Record<string, unknown>): CheckResult {
  void olds;
  const failures: CheckFailure[] = [];
  const inputs: Record<string, unknown> = {};
  try {
    const source: Record<string, unknown> = isPlainObject(news) ? news : {};
    for (const [key, value] of Object.entries(source)) {
      if (value === undefined) continue;
      if (key === PROVIDER_KEY) {
        inputs[key] = value;
        continue;
      }
      if (value === null && !(METADATA_KEYS as readonly string[]).includes(key)) continue;
      inputs[key] = value;
      if (!KNOWN_KEYS.has(key)) {
        const suggestion = suggestName(key, USER_INPUT_KEYS);
        failures.push({
          property: key,
          reason: `"${key}" is not a ClerkUser input${suggestion ? `; did you mean "${suggestion}"?` : ""}`,
        });
      }
    }
    validate(inputs, (property, reason) => failures.push({ property, reason }));
  } catch {
    // Defensive only (e.g. a getter that throws): report instead of crashing the host, without details that
    // could carry a secret.
    failures.push({ property: "", reason: "the inputs could not be validated (unexpected value shape)" });
  }
  return { inputs, failures };
}

type Fail = (property: string, reason: string) => void;

function validate(inputs: Record<string, unknown>, fail: Fail): void {
  for (const [key, kind, what] of IDENTIFIER_LISTS) validateIdentifierList(key, kind, what, inputs[key], fail);

  for (const key of STRING_KEYS) {
    const v = inputs[key];
    if (v !== undefined && !isUnknown(v) && typeof v !== "string") fail(key, `must be a string, got ${typeName(v)}`);
  }
  for (const key of BOOLEAN_KEYS) {
    const v = inputs[key];
    if (v !== undefined && !isUnknown(v) && typeof v !== "boolean") fail(key, `must be a boolean, got ${typeName(v)}`);
  }

  const username = inputs["username"];
  if (typeof username === "string" && !isUnknown(username)) {
    if (username === "") fail("username", "must not be empty; omit it to have no username");
    else if (/\s/.test(username)) fail("username", `must not contain whitespace (got ${JSON.stringify(username)})`);
  }

  validateIdentifierPresence(inputs, fail);
  validatePassword(inputs, fail);

  for (const key of ["createdAt", "legalAcceptedAt"]) {
    const v = inputs[key];
    if (typeof v === "string" && !isUnknown(v) && !isRfc3339(v)) {
      fail(key, `must be an RFC 3339 timestamp such as 2012-10-20T07:15:20.902Z (got ${JSON.stringify(v)})`);
    }
  }

  const limit = inputs["createOrganizationsLimit"];
  if (limit !== undefined && !isUnknown(limit) && !(Number.isSafeInteger(limit) && (limit as number) >= 0)) {
    fail("createOrganizationsLimit", `must be a non-negative integer (0 means unlimited), got ${describe(limit)}`);
  }

  const codes = inputs["backupCodes"];
  if (codes !== undefined && !isUnknown(codes)) {
    if (!Array.isArray(codes)) fail("backupCodes", `must be a list of strings, got ${typeName(codes)}`);
    else
      codes.forEach((code, i) => {
        if (!isUnknown(code) && typeof code !== "string")
          fail(childPath("backupCodes", i), `must be a string, got ${typeName(code)}`);
      });
  }

  for (const key of METADATA_KEYS) validateMetadata(key, inputs[key], fail, inputs["managedBy"]);

  validateManagedBy(inputs["managedBy"], fail);
}

function validateIdentifierList(key: string, kind: IdentifierKind, what: string, value: unknown, fail: Fail): void {
  if (value === undefined || isUnknown(value)) return;
  if (!Array.isArray(value)) {
    fail(key, `must be a list of strings, got ${typeName(value)}`);
    return;
  }
  const seen = new Map<string, number>();
  value.forEach((item, i) => {
    const path = childPath(key, i);
    if (isUnknown(item)) return;
    if (typeof item !== "string") {
      fail(path, `must be a string, got ${typeName(item)}`);
      return;
    }
    if (!IDENTIFIER_PATTERNS[kind].test(item)) {
      fail(path, `${JSON.stringify(item)} is not ${what}`);
      return;
    }
    const k = identifierKey(kind, item);
    const first = seen.get(k);
    if (first !== undefined) {
      const how = kind === "phone" ? "" : " (compared case-insensitively)";
      fail(path, `${JSON.stringify(item)} duplicates ${childPath(key, first)}${how}`);
    } else seen.set(k, i);
  });
}

/** Clerk refuses a user with no way to sign in; say so before Clerk answers with a bare 422. */
function validateIdentifierPresence(inputs: Record<string, unknown>, fail: Fail): void {
  let undecided = false;
  let present = false;
  for (const [key] of IDENTIFIER_LISTS) {
    const v = inputs[key];
    if (v === undefined) continue;
    if (!Array.isArray(v) || containsUnknown(v)) undecided = true;
    else if (v.length > 0) present = true;
  }
  const username = inputs["username"];
  if (isUnknown(username) || (username !== undefined && typeof username !== "string")) undecided = true;
  else if (typeof username === "string" && username !== "") present = true;
  if (!present && !undecided) {
    fail(
      "emailAddresses",
      "a user needs at least one identifier: set emailAddresses, phoneNumbers, web3Wallets or username",
    );
  }
}

function validatePassword(inputs: Record<string, unknown>, fail: Fail): void {
  // An unknown may still resolve to "not set", so it neither conflicts nor satisfies a pairing.
  const has = (key: string): boolean => inputs[key] !== undefined && !isUnknown(inputs[key]);
  const absent = (key: string): boolean => inputs[key] === undefined;

  const hasher = inputs["passwordHasher"];
  if (typeof hasher === "string" && !isUnknown(hasher) && !(PASSWORD_HASHERS as readonly string[]).includes(hasher)) {
    fail(
      "passwordHasher",
      `${JSON.stringify(hasher)} is not a hasher Clerk supports (one of: ${PASSWORD_HASHERS.join(", ")})`,
    );
  }
  if (has("passwordDigest") && absent("passwordHasher"))
    fail("passwordHasher", "is required when passwordDigest is set: it names the algorithm of the digest");
  if (has("passwordHasher") && absent("passwordDigest"))
    fail("passwordHasher", "is only meaningful with passwordDigest; set passwordDigest or remove passwordHasher");
  if (has("password") && has("passwordDigest"))
    fail("passwordDigest", "conflicts with password: set either a plaintext password or a digest, not both");
  if (inputs["generatePassword"] === true) {
    if (has("password")) fail("generatePassword", "conflicts with password: generate one or set one, not both");
    if (has("passwordDigest"))
      fail("generatePassword", "conflicts with passwordDigest: generate a password or import a digest, not both");
  }
  const password = inputs["password"];
  const skip = inputs["skipPasswordChecks"];
  if (has("password") && typeof password === "string" && !isUnknown(skip) && skip !== true) {
    if ([...password].length < PASSWORD_MIN_LENGTH)
      fail(
        "password",
        `must be at least ${PASSWORD_MIN_LENGTH} characters (Clerk's minimum) unless skipPasswordChecks is true`,
      );
  }
}

function validateMetadata(key: string, value: unknown, fail: Fail, managedBy: unknown): void {
  if (value === undefined || isUnknown(value)) return;
  if (!isPlainObject(value)) {
    fail(key, `must be a JSON object ({...}), got ${typeName(value)}`);
    return;
  }
  const before = countingFail(fail);
  checkJson(value, key, before.fail, new Set());
  if (key === "privateMetadata" && Object.prototype.hasOwnProperty.call(value, MARKER_KEY)) {
    before.fail(
      childPath(key, MARKER_KEY),
      `"${MARKER_KEY}" is reserved: the provider stores its managed-by marker under it`,
    );
  }
  if (before.count() > 0) return;
  // Clerk stores the managed-by marker inside private metadata, so it counts against the same limit.
  const stored =
    key === "privateMetadata" && isPlainObject(managedBy) && !containsUnknown(managedBy)
      ? { ...value, [MARKER_KEY]: markerFor(managedBy as unknown as ManagedBy) }
      : value;
  // An unknown value resolves to at least one byte ("0"), so the size with unknowns as 0 is a lower bound.
  const bytes = Buffer.byteLength(
    JSON.stringify(stored, (_k, v: unknown) => (v === UNKNOWN ? 0 : v)),
    "utf8",
  );
  if (bytes > METADATA_MAX_BYTES) {
    const marker = stored === value ? "" : ` (with the provider's "${MARKER_KEY}" marker)`;
    fail(
      key,
      `is ${bytes} bytes as JSON${marker}; Clerk allows at most ${METADATA_MAX_BYTES} bytes per metadata field`,
    );
  }
}

function checkJson(value: unknown, path: string, fail: Fail, ancestors: Set<object>): void {
  if (value === null || typeof value === "string" || typeof value === "boolean") return;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) fail(path, "must be a finite number: JSON has no NaN or Infinity");
    return;
  }
  if (value === undefined) {
    fail(path, "is undefined, which JSON cannot hold: omit the key or use null");
    return;
  }
  if (Array.isArray(value) || isPlainObject(value)) {
    if (ancestors.has(value)) {
      fail(path, "is circular, which JSON cannot hold");
      return;
    }
    ancestors.add(value);
    if (Array.isArray(value)) value.forEach((item, i) => checkJson(item, childPath(path, i), fail, ancestors));
    else for (const [k, v] of Object.entries(value)) checkJson(v, childPath(path, k), fail, ancestors);
    ancestors.delete(value);
    return;
  }
  fail(path, `is ${typeName(value)}, not a JSON value`);
}

function validateManagedBy(value: unknown, fail: Fail): void {
  if (value === undefined || isUnknown(value)) return;
  if (!isPlainObject(value)) {
    fail("managedBy", `must be an object {project, stack, name}, got ${typeName(value)}`);
    return;
  }
  for (const field of ["project", "stack", "name"]) {
    const v = value[field];
    if (isUnknown(v)) continue;
    if (typeof v !== "string" || v === "") fail(childPath("managedBy", field), "must be a non-empty string");
  }
  for (const k of Object.keys(value))
    if (!["project", "stack", "name"].includes(k)) fail(childPath("managedBy", k), "is not a managedBy field");
}

function countingFail(fail: Fail): { fail: Fail; count: () => number } {
  let n = 0;
  return {
    fail: (p, r) => {
      n++;
      fail(p, r);
    },
    count: () => n,
  };
}

/** A value's kind for messages, never its content. */
function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (value instanceof Date) return "a Date";
  if (typeof value === "object") return isPlainObject(value) ? "an object" : "a non-plain object";
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  const t = typeof value;
  return `${t === "undefined" || t === "object" ? "" : /^[aeiou]/.test(t) ? "an " : "a "}${t}`;
}

/** Non-secret numbers are quoted; everything else by kind. */
function describe(value: unknown): string {
  return typeof value === "number" ? String(value) : typeName(value);
}
