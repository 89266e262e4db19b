/**
 * Wire-level constants and helpers shared by the host client, the mock runner and the engine.
 * They mirror `@pulumi/pulumi/runtime/rpc` (specialSigKey, specialSecretSig, unknownValue).
 */
import { Struct } from "google-protobuf/google/protobuf/struct_pb";

/** Pulumi's "unknown" sentinel (rpc.unknownValue). Passes through Struct encoding as a plain string. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** Key that marks a special object (rpc.specialSigKey). */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
/** Signature of a secret (rpc.specialSecretSig). */
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue };
export type JsonObject = { [k: string]: JsonValue };

/** A wire-form secret: `{"4dabf...": "1b47...", value}`. */
export function wrapSecret(value: unknown): JsonObject {
  return { [SIG_KEY]: SECRET_SIG, value: value as JsonValue };
}

export function isWireSecret(v: unknown): v is { value: unknown } {
  return (
    typeof v === "object" && v !== null && !Array.isArray(v) && (v as Record<string, unknown>)[SIG_KEY] === SECRET_SIG
  );
}

/** True when `v` is, or contains, a wire-form secret. */
export function containsSecret(v: unknown): boolean {
  if (isWireSecret(v)) return true;
  if (Array.isArray(v)) return v.some(containsSecret);
  if (typeof v === "object" && v !== null) return Object.values(v).some(containsSecret);
  return false;
}

/** Deeply replaces wire-form secrets by their plain values (what a provider with acceptSecrets=false receives). */
export function unwrapSecrets<T = unknown>(v: unknown): T {
  if (isWireSecret(v)) return unwrapSecrets(v.value);
  if (Array.isArray(v)) return v.map((x) => unwrapSecrets(x)) as T;
  if (typeof v === "object" && v !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = unwrapSecrets(x);
    return out as T;
  }
  return v as T;
}

/**
 * Removes `undefined` object members (the SDK omits undefined inputs; the engine never sends them).
 * `undefined` array elements become `null`.
 */
export function dropUndefined<T = unknown>(v: unknown): T {
  if (Array.isArray(v)) return v.map((x) => (x === undefined ? null : dropUndefined(x))) as T;
  if (typeof v === "object" && v !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = dropUndefined(x);
    return out as T;
  }
  return v as T;
}

/** Encode a plain object as the engine does (`Struct.fromJavaScript`), after dropping `undefined` members. */
export function toStruct(obj: Record<string, unknown> | undefined): Struct {
  return Struct.fromJavaScript(dropUndefined(obj ?? {}) as Parameters<typeof Struct.fromJavaScript>[0]);
}

export function fromStruct(s: Struct | undefined): Record<string, unknown> {
  return s ? (s.toJavaScript() as Record<string, unknown>) : {};
}

/** Stable deep equality for JSON-like values (key order ignored). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined);
  return ak.length === bk.length && ak.every((k) => deepEqual(ao[k], bo[k]));
}

/** `urn:pulumi:<stack>::<project>::<type>::<name>` */
export function makeUrn(stack: string, project: string, type: string, name: string): string {
  return `urn:pulumi:${stack}::${project}::${type}::${name}`;
}

export function parseUrn(urn: string): { stack: string; project: string; type: string; name: string } {
  const m = /^urn:pulumi:([^:]*)::([^:]*)::(.*)::([^:]*)$/.exec(urn);
  if (!m) return { stack: "", project: "", type: "", name: urn };
  const qualified = m[3] ?? "";
  return { stack: m[1] ?? "", project: m[2] ?? "", type: qualified.split("$").pop() ?? qualified, name: m[4] ?? "" };
}
