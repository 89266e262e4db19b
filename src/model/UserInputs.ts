import { fieldNames, fieldsWhere, type FieldSpec, type FieldTable } from "./fields";
import type { JsonObject } from "./json";
import { PASSWORD_HASHERS, USER_FIELDS, type UserFieldName } from "./user";

export { PASSWORD_HASHERS };
export type PasswordHasher = (typeof PASSWORD_HASHERS)[number];

/**
 * Who manages a user: written by `ClerkUser` from the program's project, stack and resource name, and
 * stored in Clerk under the reserved private-metadata key (see `marker/managedByMarker.ts`).
 */
export interface ManagedBy {
  project: string;
  stack: string;
  name: string;
}

/** The resolved value type of one field spec. */
type ValueOf<F extends FieldSpec> = F["type"] extends "string"
  ? F extends { rule: { kind: "oneOf"; values: readonly (infer V)[] } }
    ? V
    : string
  : F["type"] extends "boolean"
    ? boolean
    : F["type"] extends "integer"
      ? number
      : F["type"] extends "stringList"
        ? string[]
        : F["type"] extends "jsonObject"
          ? JsonObject
          : ManagedBy;

/** The resolved inputs of a resource kind, derived from its field table: every field optional. */
export type InputsOf<T extends FieldTable> = { [K in keyof T]?: ValueOf<T[K]> };

/**
 * The resolved inputs of a ClerkUser, derived from the field table (`model/user.ts`): what the provider
 * hooks receive once Pulumi has resolved every `Input<T>`. Every field is optional; `check` decides what is
 * valid. During preview any field (or list element) may be Pulumi's unknown sentinel.
 */
export type UserInputs = { [K in UserFieldName]?: ValueOf<(typeof USER_FIELDS)[K]> };

/** Names of every input the provider accepts; `check` rejects anything else. */
export const USER_INPUT_KEYS = fieldNames(USER_FIELDS);

/** Inputs Clerk never returns: diffed against the previous inputs, never refreshed. */
export const WRITE_ONLY_KEYS = fieldsWhere(USER_FIELDS, (f) => f.writeOnly === true);
