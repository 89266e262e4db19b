import {
  conditionalParamMissing,
  exceedsAllowedSize,
  invalidTime,
  paramValueInvalid,
  passwordTooShort,
  type ClerkErrorDetail,
} from "./errors";
import type { JsonObject } from "./types";

/**
 * Semantic rules Clerk enforces beyond the OpenAPI schema (which only knows types and unknown keys).
 * Each returns Clerk error details so handlers can collect them and answer once, like Clerk's form errors.
 */

// RFC 5322 "dot-atom" local part and a dotted hostname domain: what Clerk accepts in practice.
const EMAIL =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
export const isEmail = (s: string): boolean => s.length <= 254 && EMAIL.test(s);

/** E.164: `+`, a non-zero country digit, at most 15 digits in total. */
export const isE164 = (s: string): boolean => /^\+[1-9]\d{6,14}$/.test(s);

export const isWeb3Wallet = (s: string): boolean => /^0x[0-9a-fA-F]{40}$/.test(s);

/** Go's time.RFC3339 (what Clerk parses): `T` separator, seconds, optional fraction, `Z` or ±hh:mm. */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

/** Milliseconds since the epoch, or undefined if not RFC3339. */
export function parseRfc3339(s: string): number | undefined {
  const m = RFC3339.exec(s);
  if (!m) return undefined;
  const [month, day, hour, minute, second] = [m[2], m[3], m[4], m[5], m[6]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return undefined;
  const ms = Date.parse(s.toUpperCase());
  return Number.isNaN(ms) ? undefined : ms;
}

/** Adds an error to `errors` unless `value` is absent or RFC3339; returns the parsed ms (null when value is null). */
export function timeParam(errors: ClerkErrorDetail[], name: string, value: unknown): number | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  const ms = typeof value === "string" ? parseRfc3339(value) : undefined;
  if (ms === undefined) errors.push(invalidTime(name));
  return ms;
}

/** Clerk caps each metadata object at 8 KB of JSON. */
export const METADATA_MAX_BYTES = 8192;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function checkMetadata(errors: ClerkErrorDetail[], name: string, value: unknown): void {
  if (value === undefined) return;
  if (!isJsonObject(value)) {
    errors.push(paramValueInvalid(name, `${name} must be a JSON object.`));
    return;
  }
  if (Buffer.byteLength(JSON.stringify(value), "utf8") > METADATA_MAX_BYTES) {
    errors.push(exceedsAllowedSize(name, METADATA_MAX_BYTES));
  }
}

export const PASSWORD_MIN_LENGTH = 8;

export interface PasswordFields {
  password?: string | null;
  password_digest?: string | null;
  password_hasher?: string | null;
  skip_password_checks?: boolean | null;
  sign_out_of_other_sessions?: boolean | null;
}

const present = (v: unknown): boolean => v !== undefined && v !== null;

/** Conditional password params and the length policy (Clerk's default instance policy: min 8). */
export function checkPassword(errors: ClerkErrorDetail[], body: PasswordFields, opts: { update: boolean }): void {
  if (present(body.password_hasher) && !present(body.password_digest)) {
    errors.push(conditionalParamMissing("password_digest", "password_hasher"));
  }
  if (present(body.password_digest) && !present(body.password_hasher)) {
    errors.push(conditionalParamMissing("password_hasher", "password_digest"));
  }
  if (opts.update) {
    // "This parameter can only be used when providing a `password`" (spec, UpdateUser)
    for (const flag of ["skip_password_checks", "sign_out_of_other_sessions"] as const) {
      if (present(body[flag]) && !present(body.password)) errors.push(conditionalParamMissing("password", flag));
    }
  }
  if (
    typeof body.password === "string" &&
    body.skip_password_checks !== true &&
    [...body.password].length < PASSWORD_MIN_LENGTH
  ) {
    errors.push(passwordTooShort(PASSWORD_MIN_LENGTH));
  }
}
