/**
 * Kinds of fields that recur across Clerk resources, as field-spec factories: a table entry names its kind and
 * what is particular to it (wire name, doc line, bounds).
 */
import type { FieldSpec } from "./fields";

/** Documented caps where Clerk publishes no bound (see docs/reference.md, "Limits"). */
export const NAME_MAX = 256;
/** A spec whose JSON type stays literal, so `UserInputs` can be derived from the table. */
type Typed<T extends FieldSpec["type"]> = FieldSpec & { readonly type: T };
export const SECRET_MAX = 1024;

export const identifierList = (
  identifier: "email" | "phone" | "web3",
  create: string,
  doc: string,
): Typed<"stringList"> => ({
  type: "stringList",
  doc,
  compare: "identifiers",
  managed: "always",
  create,
  update: identifier === "web3" ? { via: "replace" } : { via: "identifications" },
  rule: { kind: "identifier", identifier },
  maxLength: identifier === "email" ? 254 : 64,
  maxItems: 100,
  config: "plain",
  unique: identifier === "phone" ? "exact" : "caseInsensitive",
});

export const clearable = (
  wire: string,
  doc: string,
  extra: Partial<Omit<FieldSpec, "type">> = {},
): Typed<"string"> => ({
  type: "string",
  doc,
  compare: "blank",
  managed: "always",
  wire,
  create: "",
  update: { via: "patch" },
  maxLength: NAME_MAX,
  config: "plain",
  ...extra,
});

/** A boolean sent once (create, or with another field), never returned by Clerk. */
export const flag = (doc: string, create: string | false, update: FieldSpec["update"]): Typed<"boolean"> => ({
  type: "boolean",
  doc,
  compare: "falseIfAbsent",
  managed: "always",
  writeOnly: true,
  create,
  update,
  config: "plain",
});

/** An instance-defaulted setting: Clerk always holds a value; managed only when the program sets it. */
export const setting = (wire: string, doc: string): Typed<"boolean"> => ({
  type: "boolean",
  doc,
  compare: "strict",
  managed: "declared",
  wire,
  create: "",
  update: { via: "patch" },
  config: "plain",
});

/** A secret Clerk never returns (a password, a TOTP secret, backup codes): compared with the previous input. */
export const secret = <T extends "string" | "stringList">(
  type: T,
  doc: string,
  extra: Partial<Omit<FieldSpec, "type">> = {},
): Typed<T> => ({
  type,
  doc,
  compare: "json",
  managed: "always",
  secret: true,
  writeOnly: true,
  create: "",
  update: { via: "patch" },
  maxLength: SECRET_MAX,
  config: { refuse: "secret" },
  ...extra,
});

export const metadata = (
  wire: string,
  doc: string,
  extra: Partial<Omit<FieldSpec, "type">> = {},
): Typed<"jsonObject"> => ({
  type: "jsonObject",
  doc,
  compare: "metadata",
  managed: "always",
  wire,
  create: "",
  update: { via: "metadata" },
  config: "plain",
  ...extra,
});

/**
 * The public and private metadata of a user or an organization: each replaced as a whole (`PUT …/metadata` for an
 * organization, the user's metadata endpoint for a user); the private one is secret and holds the marker.
 */
export const replacedMetadata = () =>
  ({
    publicMetadata: metadata(
      "public_metadata",
      "Readable by the frontend, writable only by the backend. Replaced as a whole on update.",
    ),
    privateMetadata: metadata(
      "private_metadata",
      "Backend-only. Secret. Replaced as a whole on update (the provider's marker is kept beside it).",
      { secret: true, holdsMarker: true },
    ),
  }) as const;

export const timestamp = (wire: string, doc: string): Typed<"string"> => ({
  type: "string",
  doc,
  compare: "instant",
  managed: "declared",
  wire,
  create: "",
  update: { via: "patch" },
  rule: { kind: "rfc3339" },
  maxLength: 64,
  config: "plain",
});
