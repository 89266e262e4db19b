/**
 * Per-field checks driven by a field table: each value against its JSON type and its rule. Cross-field rules
 * (identifiers present, password combinations) live with the resource kind's check.
 */
import type { FieldSpec, FieldTable, Rule } from "../model/fields";
import { isMarkerName } from "../marker/managedByMarker";
import { checkMetadata } from "./checkJson";
import type { Fail } from "./checkTypes";
import { typeName } from "./describeValue";
import { IDENTIFIER_PATTERNS, identifierKey } from "./identifiers";
import { isPlainObject } from "./isPlainObject";
import { notJsonMark } from "./markNotJson";
import { childPath } from "./propertyPath";
import { isRfc3339 } from "./rfc3339";
import { isUnknown } from "./unknown";

/** How each identifier kind is described in a failure. */
const IDENTIFIER_WHAT = {
  email: "a valid email address",
  phone: "an E.164 phone number (+ then up to 15 digits, e.g. +15555550100)",
  web3: "a web3 wallet address (0x then 40 hex digits)",
} as const;

/** Checks every declared field of `inputs` against `table`, in the table's order; reports required ones missing. */
export function checkFields(table: FieldTable, inputs: Record<string, unknown>, fail: Fail): void {
  for (const [key, spec] of Object.entries(table)) {
    const value = inputs[key];
    if (value === undefined && spec.required) fail(key, "is required", "required");
    if (value === undefined || isUnknown(value)) continue;
    checkField(key, spec, value, inputs, fail);
  }
}

function checkField(key: string, spec: FieldSpec, value: unknown, inputs: Record<string, unknown>, fail: Fail): void {
  switch (spec.type) {
    case "string":
      if (typeof value !== "string") fail(key, `must be a string, got ${typeName(value)}`, "type");
      else if (checkLength(key, spec, value, fail) && spec.rule) checkRule(key, spec.rule, value, fail);
      return;
    case "boolean":
      if (typeof value !== "boolean") fail(key, `must be a boolean, got ${typeName(value)}`, "type");
      return;
    case "integer":
      if (spec.rule) checkRule(key, spec.rule, value, fail);
      else if (!Number.isSafeInteger(value)) fail(key, `must be an integer, got ${typeName(value)}`, "type");
      return;
    case "stringList":
      checkList(key, spec, value, fail);
      return;
    case "jsonObject":
      checkMetadata(key, value, fail, spec.holdsMarker === true, inputs["managedBy"]);
      if (spec.update.via === "mergeMetadata") checkNoNullMembers(key, value, fail);
      return;
    case "object":
      checkManagedBy(key, value, fail);
      return;
  }
}

function checkRule(key: string, rule: Rule, value: unknown, fail: Fail): void {
  switch (rule.kind) {
    case "username":
      if (value === "") fail(key, "must not be empty; omit it to have no username", "format");
      else if (/\s/.test(value as string)) fail(key, `must not contain whitespace`, "format");
      return;
    case "rfc3339":
      if (!isRfc3339(value as string))
        fail(key, `must be an RFC 3339 timestamp such as 2012-10-20T07:15:20.902Z`, "format");
      return;
    case "oneOf":
      if (!rule.values.includes(value as string))
        fail(key, `is not a hasher Clerk supports (one of: ${rule.values.join(", ")})`, "format");
      return;
    case "nonNegativeInteger":
      if (!(Number.isSafeInteger(value) && (value as number) >= 0)) {
        fail(key, `must be a non-negative integer (0 means unlimited), got ${numberKind(value)}`, "format");
      }
      return;
    case "identifier":
      return; // checked per item by checkList
    default:
      checkNamingRule(key, rule, value as string, fail);
  }
}

/** Clerk's organization slug format (spec: "lowercase alphanumeric characters and the dash"). */
const SLUG = /^[a-z0-9-]+$/;
/** Role keys: `org:` then the key (Clerk's format for system and custom roles). */
const ROLE = /^org:[A-Za-z0-9_:-]+$/;
/** What Clerk refuses in an organization name (error index: "May not contain URLs or HTML"). */
const URL_OR_HTML = /<[^>]*>|https?:\/\/|www\./i;

function checkNamingRule(key: string, rule: Rule, value: string, fail: Fail): void {
  switch (rule.kind) {
    case "slug":
      if (value === "") fail(key, "must not be empty; omit it to have the default slug", "format");
      else if (!SLUG.test(value)) fail(key, 'must contain only lowercase letters, digits and "-"', "format");
      return;
    case "displayName":
      if (value.trim() === "") fail(key, "must not be blank", "format");
      else if (value.trim() !== value) fail(key, "must not start or end with whitespace (Clerk trims it)", "format");
      else if (URL_OR_HTML.test(value)) fail(key, "must not contain a URL or HTML (Clerk refuses them)", "format");
      return;
    case "role":
      if (!ROLE.test(value)) fail(key, 'must be a role key such as "org:admin" or "org:member"', "format");
      return;
    case "clerkId":
      if (!value.startsWith(rule.prefix) || !/^[A-Za-z0-9_]+$/.test(value))
        fail(key, `must be a Clerk id starting with "${rule.prefix}"`, "format");
      return;
    default:
      return;
  }
}

/**
 * Clerk's metadata merge deletes a key whose value is `null`, so a declared `null` member could never be stored
 * and would show as a change forever. Arrays are replaced whole, so `null` inside one is fine.
 */
function checkNoNullMembers(path: string, value: unknown, fail: Fail, seen = new Set<object>()): void {
  if (!isPlainObject(value) || notJsonMark(value) !== undefined || seen.has(value)) return;
  seen.add(value);
  for (const [k, v] of Object.entries(value)) {
    const at = childPath(path, k);
    if (v === null) fail(at, "is null, which Clerk's metadata merge treats as delete: omit the key instead", "format");
    else checkNoNullMembers(at, v, fail, seen);
  }
}

function checkList(key: string, spec: FieldSpec, value: unknown, fail: Fail): void {
  if (!Array.isArray(value)) {
    fail(key, `must be a list of strings, got ${typeName(value)}`, "type");
    return;
  }
  const kind = spec.rule?.kind === "identifier" ? spec.rule.identifier : undefined;
  if (spec.maxItems !== undefined && value.length > spec.maxItems)
    fail(key, `must have at most ${spec.maxItems} items (got ${value.length})`, "too_long");
  const seen = new Map<string, number>();
  value.forEach((item, i) => {
    const path = childPath(key, i);
    if (isUnknown(item)) return;
    if (typeof item !== "string") {
      fail(path, `must be a string, got ${typeName(item)}`, "type");
      return;
    }
    if (!checkLength(path, spec, item, fail) || kind === undefined) return;
    if (!IDENTIFIER_PATTERNS[kind].test(item)) {
      fail(path, `is not ${IDENTIFIER_WHAT[kind]}`, "format");
      return;
    }
    const k = identifierKey(kind, item);
    const first = seen.get(k);
    if (first !== undefined) {
      const how = kind === "phone" ? "" : " (compared case-insensitively)";
      fail(path, `duplicates ${childPath(key, first)}${how}`, "duplicate");
    } else seen.set(k, i);
  });
}

/** A number's kind for messages, never its value. */
function numberKind(value: unknown): string {
  if (typeof value !== "number") return typeName(value);
  if (!Number.isFinite(value)) return typeName(value);
  if (value < 0) return "a negative number";
  return Number.isInteger(value) ? "a number too large" : "a fraction";
}

/** True when within the spec's bound; otherwise reports the length (never the value). */
function checkLength(path: string, spec: FieldSpec, value: string, fail: Fail): boolean {
  if (spec.maxLength === undefined) return true;
  const length = [...value].length;
  if (length <= spec.maxLength) return true;
  fail(path, `must be at most ${spec.maxLength} characters (got ${length})`, "too_long");
  return false;
}

const MANAGED_BY_FIELDS = ["project", "stack", "name"];

function checkManagedBy(key: string, value: unknown, fail: Fail): void {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    fail(key, `must be an object {project, stack, name}, got ${typeName(value)}`, "type");
    return;
  }
  const v = value as Record<string, unknown>;
  for (const field of MANAGED_BY_FIELDS) {
    if (isUnknown(v[field])) continue;
    if (!isMarkerName(v[field])) fail(childPath(key, field), "must be a non-empty string", "format");
  }
  for (const k of Object.keys(v))
    if (!MANAGED_BY_FIELDS.includes(k)) fail(childPath(key, k), "is not a managedBy field", "unknown_field");
}
