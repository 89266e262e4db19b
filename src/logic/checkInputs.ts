/**
 * Pulumi `check` for a ClerkUser: the field table's per-field checks plus the rules that span fields
 * (a user needs an identifier; password, digest and generation exclude each other).
 */
import { fieldsWhere } from "../model/fields";
import { USER_FIELDS } from "../model/user";
import { checkResource, type CheckedKind } from "./checkResource";
import type { CheckFailure, Fail, Finding } from "./checkTypes";
import { containsUnknown, isUnknown } from "./unknown";

export type { CheckFailure, Finding } from "./checkTypes";

/** What `check` returns: the inputs to store (normalised news) and every failure found. */
export interface CheckResult {
  inputs: Record<string, unknown>;
  failures: CheckFailure[];
}

/** Clerk's minimum password length (unless `skipPasswordChecks`). */
export const PASSWORD_MIN_LENGTH = 8;

const IDENTIFIER_FIELDS = fieldsWhere(USER_FIELDS, (f) => f.compare === "identifiers");

const USER_KIND: CheckedKind = {
  name: "ClerkUser",
  fields: USER_FIELDS,
  rules: (inputs, fail) => {
    checkIdentifierPresence(inputs, fail);
    checkPassword(inputs, fail);
  },
};

/**
 * Validates a ClerkUser's resolved inputs (Pulumi `check`): the field table's checks (see `checkResource`) plus
 * the user's own rules. Nothing is trimmed, case-folded or reordered (the first email stays primary).
 *
 * `olds` is accepted for the Pulumi signature; validity does not depend on the previous inputs.
 */
export function checkInputs(olds: Record<string, unknown>, news: Record<string, unknown>): CheckResult {
  void olds;
  const { inputs, findings } = checkUserInputs(news);
  return { inputs, failures: findings.map(({ property, reason }) => ({ property, reason })) };
}

/** `checkInputs` with each failure's rule, for the root program. */
export function checkUserInputs(news: Record<string, unknown>): {
  inputs: Record<string, unknown>;
  findings: Finding[];
} {
  return checkResource(USER_KIND, news);
}

/** Clerk refuses a user with no way to sign in; say so before Clerk answers with a bare 422. */
function checkIdentifierPresence(inputs: Record<string, unknown>, fail: Fail): void {
  let undecided = false;
  let present = false;
  for (const key of IDENTIFIER_FIELDS) {
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
      "missing_identifier",
    );
  }
}

function checkPassword(inputs: Record<string, unknown>, fail: Fail): void {
  // An unknown may still resolve to "not set", so it neither conflicts nor satisfies a pairing.
  const has = (key: string): boolean => inputs[key] !== undefined && !isUnknown(inputs[key]);
  const absent = (key: string): boolean => inputs[key] === undefined;
  if (has("passwordDigest") && absent("passwordHasher"))
    fail("passwordHasher", "is required when passwordDigest is set: it names the algorithm of the digest", "conflict");
  if (has("passwordHasher") && absent("passwordDigest"))
    fail(
      "passwordHasher",
      "is only meaningful with passwordDigest; set passwordDigest or remove passwordHasher",
      "conflict",
    );
  if (has("password") && has("passwordDigest"))
    fail(
      "passwordDigest",
      "conflicts with password: set either a plaintext password or a digest, not both",
      "conflict",
    );
  if (inputs["generatePassword"] === true && inputs["adopt"] === true)
    fail(
      "generatePassword",
      "conflicts with adopt: adopting must never reset the password of a user who already exists; " +
        "set a password explicitly if you mean to",
      "conflict",
    );
  if (inputs["generatePassword"] === true) {
    if (has("password"))
      fail("generatePassword", "conflicts with password: generate one or set one, not both", "conflict");
    if (has("passwordDigest"))
      fail(
        "generatePassword",
        "conflicts with passwordDigest: generate a password or import a digest, not both",
        "conflict",
      );
  }
  const password = inputs["password"];
  const skip = inputs["skipPasswordChecks"];
  if (typeof password === "string" && !isUnknown(password) && !isUnknown(skip) && skip !== true) {
    if ([...password].length < PASSWORD_MIN_LENGTH)
      fail(
        "password",
        `must be at least ${PASSWORD_MIN_LENGTH} characters (Clerk's minimum) unless skipPasswordChecks is true`,
        "too_short",
      );
  }
}
