import type { Ownership } from "../marker/managedByMarker";
import type { FieldTable } from "../model/fields";
import { USER_FIELDS, USER_OUTPUTS } from "../model/user";
import type { UserInputs } from "../model/UserInputs";
import type { UserOutputs } from "../model/UserOutputs";
import type { ClerkUserJSON } from "../model/wire";
import { copyOwnership, copyWireOutputs, copyWriteOnly, mapFields, readFields } from "./fieldOutputs";
import { heldIdentifiers } from "./heldIdentifiers";
import { holdsIdentifiers, orderIdentifiers } from "./identifiers";

/**
 * Mapping Clerk's user back into input shape, for the state (`toOutputs`) and for a refresh (`toReadInputs`),
 * field by field from the field table.
 *
 * How `null` (and missing) Clerk fields map, chosen so that create → toOutputs → diff(outputs, sameInputs)
 * reports nothing and a refresh with no out-of-band change reproduces the previous inputs exactly:
 * - Clerk answers `null` for an unset string. A declared `""` maps back to `""` (Clerk's way of holding
 *   "empty"); a declared non-empty value with `null` in Clerk is omitted, so it shows as the drift it is.
 *   Not declared and `null` → omitted.
 * - A field missing from Clerk's payload (older API versions omit `locale`, `unsafe_metadata`,
 *   `create_organizations_limit`, `bypass_client_trust`) says nothing: the declared value is carried over.
 * - Metadata: `{}` in Clerk with nothing declared is omitted; when Clerk's value equals the declared one
 *   (key-order-insensitively), the declared object is kept so the state does not churn on key order.
 * - `createOrganizationsLimit` `null` reads as a declared `0` ("0 means unlimited"), else omitted.
 * - Identifier lists: primary first, then the declared ones in the declared order (and spelling, since emails
 *   match case-insensitively), then any others in Clerk's order. Omitted when none are held or declared.
 */

type Bag = Record<string, unknown>;

/** What the state holds beyond Clerk's user and the inputs. */
export interface OutputExtras {
  generatedPassword?: string | undefined;
  /** The resource's claim on the user, recorded as `ownerId`, `instanceId` and `adopted` (where known). */
  ownership?: Partial<Ownership> | undefined;
}
const FIELDS = USER_FIELDS as FieldTable;

function mapIdentifiers(user: ClerkUserJSON, declared: Bag, out: Bag): void {
  for (const { field, kind, primaryId, held } of heldIdentifiers(FIELDS, user)) {
    const d = Array.isArray(declared[field]) ? (declared[field] as string[]) : undefined;
    if (d === undefined && held.length === 0) continue;
    out[field] = orderIdentifiers(kind, held, primaryId, d);
  }
}

/**
 * An adopted user's identifier lists are additive (decision 0011): a declared list Clerk holds (with anything
 * else the person has) reads as the declared list, and an undeclared one is not the program's business. So the
 * state and a refresh say what the program said, and the person's other addresses are never drift.
 */
function keepAdoptedLists(user: ClerkUserJSON, declared: Bag, out: Bag): void {
  for (const { field, kind } of heldIdentifiers(FIELDS, user)) {
    const d = declared[field];
    if (!Array.isArray(d)) delete out[field];
    else if (holdsIdentifiers(kind, out[field] as string[], d as string[])) out[field] = [...(d as string[])];
  }
}

/**
 * The state after create, update or refresh: Clerk's fields in input shape (see the module comment for `null`
 * handling), private metadata without the marker, timestamps as ISO strings from Clerk's milliseconds, the
 * write-only inputs and `managedBy` copied from `inputs`, Clerk's computed outputs, and `generatedPassword`
 * when one was generated. Keys are omitted rather than `undefined`.
 */
export function toOutputs(user: ClerkUserJSON, inputs: UserInputs, extras: OutputExtras = {}): UserOutputs {
  const declared = inputs as Bag;
  const out: Bag = {};
  mapIdentifiers(user, declared, out);
  if (extras.ownership?.adopted === true) keepAdoptedLists(user, declared, out);
  mapFields(FIELDS, user, declared, out);
  copyWriteOnly(FIELDS, declared, out);
  if (extras.generatedPassword !== undefined) out["generatedPassword"] = extras.generatedPassword;
  copyOwnership(extras.ownership, out);
  copyWireOutputs(USER_OUTPUTS, user, out);
  return out as unknown as UserOutputs;
}

/**
 * The inputs as Clerk now holds them, for `read` (refresh), so that the next diff starts from reality:
 * with no out-of-band change the result equals `previousInputs` exactly; drift (a name edited in the
 * dashboard, a metadata key added, an email removed) shows as the new value.
 *
 * A field managed when silent is included when `previousInputs` had it or Clerk holds a non-default value
 * (names, username, externalId, locale and metadata non-empty, identifier lists non-empty, `banned` true).
 * A field managed only when declared (unsafeMetadata, locked, the instance-defaulted settings, the limit,
 * the timestamps) appears only if previously declared; timestamps keep the previous spelling when they name
 * the same instant. Write-only inputs and `managedBy` are carried over from `previousInputs`.
 */
export function toReadInputs(user: ClerkUserJSON, previousInputs: UserInputs, adopted = false): UserInputs {
  const prev = previousInputs as Bag;
  const out: Bag = {};
  mapIdentifiers(user, prev, out);
  if (adopted) keepAdoptedLists(user, prev, out);
  readFields(FIELDS, user, prev, adopted, out);
  copyWriteOnly(FIELDS, prev, out);
  return out as UserInputs;
}
