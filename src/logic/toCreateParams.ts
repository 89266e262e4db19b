import type { CreateUserParams } from "../model/clerkParams";
import { withMarker, type Ownership } from "../marker/managedByMarker";
import { fieldsWhere, type FieldTable } from "../model/fields";
import type { JsonObject } from "../model/json";
import type { ManagedBy } from "../model/UserInputs";
import { USER_FIELDS } from "../model/user";
import type { UserInputs } from "../model/UserInputs";

type Bag = Record<string, unknown>;

/**
 * The create params of every input create sends, from the field table, under the table's create name (an empty
 * one is the input's own name; the SDK snake-cases it: `emailAddress` → `email_address`). Absent inputs are
 * omitted (never `undefined`: the request must say exactly what the program says). The marker-holding field
 * is left to `markerParam`.
 */
export function sentParams(table: FieldTable, inputs: Bag): Bag {
  const params: Bag = {};
  for (const [key, spec] of Object.entries(table)) {
    if (spec.create === false || spec.holdsMarker) continue;
    const v = inputs[key];
    if (v !== undefined && v !== null) params[spec.create || key] = Array.isArray(v) ? [...(v as unknown[])] : v;
  }
  return params;
}

/**
 * The marker-holding field (private metadata) as create sends it: the declared object plus the managed-by marker
 * (`withMarker`, v2 with `ownership`), when either exists.
 */
export function markerParam(table: FieldTable, inputs: Bag, ownership: Ownership | undefined): Bag {
  const [holder] = fieldsWhere(table, (f) => f.holdsMarker === true);
  if (holder === undefined) return {};
  const declared = inputs[holder] as JsonObject | undefined;
  const managedBy = inputs["managedBy"] as ManagedBy | undefined;
  if (declared === undefined && managedBy === undefined) return {};
  return { [table[holder]!.create || holder]: withMarker(declared, managedBy, ownership) };
}

/**
 * The camelCase params for `@clerk/backend` `users.createUser` (POST /users): one request creates the user with
 * every identifier, attribute and metadata, the managed-by marker included, so a create never leaves a
 * half-configured user behind.
 *
 * - Inputs go under their table's create name (the SDK snake-cases it: `emailAddress` → `email_address`).
 * - Absent inputs are omitted (never `undefined`: the request must say exactly what the program says).
 * - Dates stay the RFC 3339 strings of the program (the SDK would serialize a Date to the same JSON).
 * - `privateMetadata` is the declared metadata plus the marker (`withMarker`, v2 with `opts.ownership`), sent
 *   when either exists.
 * - `opts.generatedPassword` is sent as `password` when the program sets none.
 * - Never sent: the inputs the table marks `create: false` (provider-side, or update-only).
 */
export function toCreateParams(
  inputs: UserInputs,
  opts: { generatedPassword?: string | undefined; ownership?: Ownership | undefined } = {},
): CreateUserParams {
  const params = sentParams(USER_FIELDS, inputs as Bag);
  if (params["password"] === undefined && opts.generatedPassword !== undefined) {
    params["password"] = opts.generatedPassword;
  }
  return { ...params, ...markerParam(USER_FIELDS, inputs as Bag, opts.ownership) } as CreateUserParams;
}
