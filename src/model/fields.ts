/**
 * The shape of a field table: one typed declaration per input of a resource kind (users, organizations,
 * memberships). Data only. The machinery in `logic/` reads these declarations to check, diff, plan, map to Clerk and
 * back, redact and document, so a field is described once.
 */

/** The JSON shape an input takes once Pulumi has resolved it. */
export type FieldType = "string" | "boolean" | "integer" | "stringList" | "jsonObject" | "object";

/** How Pulumi's diff tells whether the previous state and the new input hold the same value. */
export type Compare =
  /** Identifier list: the primary (first) exactly, then the rest as a set. */
  | "identifiers"
  /** A string Clerk can clear: absent, `null` and `""` are one value. */
  | "blank"
  /** A boolean whose absence means `false`. */
  | "falseIfAbsent"
  /** A JSON object, deeply and key-order-insensitively, absent meaning `{}`. */
  | "metadata"
  /** Plain JSON equality, absent equal to absent. */
  | "json"
  /** A list whose order does not matter. */
  | "unordered"
  /** RFC 3339 timestamps naming the same instant. */
  | "instant"
  /** Strict equality. */
  | "strict"
  /** Clerk's "0 means unlimited": absent and `null` read as 0. */
  | "zeroIfAbsent";

/** Extra validation beyond the JSON type. */
export type Rule =
  | { kind: "identifier"; identifier: "email" | "phone" | "web3" }
  | { kind: "username" }
  | { kind: "rfc3339" }
  | { kind: "nonNegativeInteger" }
  | { kind: "oneOf"; values: readonly string[] }
  /** Clerk's organization slug: lowercase letters, digits and `-`. */
  | { kind: "slug" }
  /** An organization name as Clerk keeps it: not blank, not padded (Clerk trims), no URL or HTML. */
  | { kind: "displayName" }
  /** An organization role key, e.g. `org:admin`. */
  | { kind: "role" }
  /** A Clerk object id with this prefix (`org_`, `user_`). */
  | { kind: "clerkId"; prefix: string };

/** How an update writes a field. */
export type UpdateWrite =
  /** `PATCH /users/{id}`: compared with Clerk (or, for write-only fields, the previous inputs). */
  | { via: "patch" }
  /** Sent with `field` on the same PATCH, only when true (e.g. `skipPasswordChecks` with `password`). */
  | { via: "patch"; ridesWith: string }
  /** Sent whenever `field` is sent, and a change to it alone sends `field` too (`passwordHasher`). */
  | { via: "patch"; pairedWith: string }
  /** `PUT …/metadata`: the whole object is replaced. */
  | { via: "metadata" }
  /** `PATCH …/metadata`, Clerk's deep merge: keys the program no longer declares are sent as `null`. */
  | { via: "mergeMetadata" }
  /** Dedicated add / make-primary / delete endpoints. */
  | { via: "identifications" }
  /** A pair of action endpoints (`POST /users/{id}/ban` and `/unban`). */
  | { via: "action"; on: string; off: string }
  /** Clerk cannot change it in place: a change replaces the resource. */
  | { via: "replace" }
  /** Never written by an update (create-only, or a provider-side setting). */
  | { via: "none" };

/** What the root program (stack config / users file) does with a field. */
export type ConfigUse =
  /** Allowed in plain config. */
  | "plain"
  /** Set by the program itself. */
  | "program"
  /** Refused, with the reason the message gives. */
  | { refuse: "secret" | "unsupported" };

export interface FieldSpec {
  readonly type: FieldType;
  /** One line for the reference docs and the args' doc comments. */
  readonly doc: string;
  readonly compare: Compare;
  /** `always`: leaving it out of the program clears it in Clerk. `declared`: managed only when the program sets it. */
  readonly managed: "always" | "declared";
  /** Clerk's attribute in its JSON, for read-back; absent when Clerk never returns the value. */
  readonly wire?: string;
  /** The `@clerk/backend` create parameter; `false` when create never sends it. */
  readonly create: string | false;
  readonly update: UpdateWrite;
  /** The program must set it (`check` reports it missing). */
  readonly required?: true;
  /**
   * Sent only at create: Clerk records it once and no endpoint changes it, so a later change in the program is
   * not a change of the resource (diff ignores it; the state shows Clerk's value).
   */
  readonly createOnly?: true;
  /** The managed-by marker is stored inside this (JSON object) field, beside the declared keys. */
  readonly holdsMarker?: true;
  /** Wrapped in `pulumi.secret`, kept secret in state, removed from every text the provider writes. */
  readonly secret?: true;
  /** Clerk never returns it: compared with the previous inputs and carried over in state. */
  readonly writeOnly?: true;
  readonly rule?: Rule;
  /** At most this many characters (strings, and each string of a list). */
  readonly maxLength?: number;
  /** At most this many items (lists). */
  readonly maxItems?: number;
  readonly config: ConfigUse;
  /** Shown as an output of the resource even though Clerk does not return it (default: when `wire` is set). */
  readonly echoed?: true;
  /** Clerk holds at most one user per value in an instance (identifier lists: per item). */
  readonly unique?: "exact" | "caseInsensitive";
}

/** An output the provider computes or copies from Clerk, beyond the inputs it echoes. */
export interface OutputSpec {
  /** TypeScript type of the output, as the docs and the resource class show it. */
  readonly type: string;
  readonly doc: string;
  /** Clerk's attribute the output copies, when it is one. */
  readonly wire?: string;
  readonly secret?: true;
}

export type FieldTable = Readonly<Record<string, FieldSpec>>;
export type OutputTable = Readonly<Record<string, OutputSpec>>;

/** Field names of a table, in declaration order. */
export function fieldNames<T extends FieldTable | OutputTable>(table: T): (keyof T & string)[] {
  return Object.keys(table) as (keyof T & string)[];
}

/** Names of the fields matching `pick`, in declaration order. */
export function fieldsWhere<T extends FieldTable>(table: T, pick: (spec: FieldSpec) => boolean): (keyof T & string)[] {
  return fieldNames(table).filter((name) => pick(table[name] as FieldSpec));
}

/** Inputs and outputs that hold secrets: what `additionalSecretOutputs` lists and what redaction removes. */
export function secretNames(fields: FieldTable, outputs: OutputTable): string[] {
  return [...fieldsWhere(fields, (f) => f.secret === true), ...fieldNames(outputs).filter((n) => outputs[n]?.secret)];
}

/** Whether a field shows as an output of the resource: Clerk returns it, or the table says it is echoed. */
export function isEchoed(spec: FieldSpec): boolean {
  return spec.wire !== undefined || spec.rule?.kind === "identifier" || spec.echoed === true;
}
