import type { CreateUserParams } from "../model/clerkParams";
import { withMarker, type Ownership } from "../marker/managedByMarker";
import type { FieldTable } from "../model/fields";
import { USER_FIELDS } from "../model/user";
import type { UserInputs } from "../model/UserInputs";

/** `[input name, create param]` for every input create sends, from the field table. */
const SENT: readonly [string, string][] = Object.entries(USER_FIELDS as FieldTable).flatMap(([key, spec]) =>
  spec.create === false || spec.holdsMarker ? [] : [[key, spec.create || key] as [string, string]],
);

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
  const params: Record<string, unknown> = {};
  const bag = inputs as Record<string, unknown>;
  for (const [key, param] of SENT) {
    const v = bag[key];
    if (v !== undefined && v !== null) params[param] = Array.isArray(v) ? [...(v as unknown[])] : v;
  }
  if (params["password"] === undefined && opts.generatedPassword !== undefined) {
    params["password"] = opts.generatedPassword;
  }
  if (inputs.privateMetadata !== undefined || inputs.managedBy !== undefined) {
    params["privateMetadata"] = withMarker(inputs.privateMetadata, inputs.managedBy, opts.ownership);
  }
  return params as CreateUserParams;
}
