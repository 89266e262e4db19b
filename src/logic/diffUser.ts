import { USER_FIELDS } from "../model/user";
import type { UserInputs } from "../model/UserInputs";
import type { UserOutputs } from "../model/UserOutputs";
import { createDiff, type ResourceDiff } from "./diffFields";

/**
 * The answer to Pulumi's `diff` for a user. Only `web3Wallets` replaces (Clerk cannot add a wallet later), and
 * always deleting first: the new user would collide on the old one's unique identifiers.
 */
export type UserDiff = ResourceDiff;

/** Input-like view of either side, indexable by name. */
type Bag = Partial<Record<string, unknown>>;

const DIFF = createDiff(USER_FIELDS, { deleteBeforeReplace: true });

/**
 * Pulumi `diff`: compares the previous state (`olds`, the outputs: Clerk's values mapped back to input shape,
 * plus the write-only inputs carried over) with the new checked inputs.
 *
 * - Managed fields compare as values: metadata deeply and key-order-insensitively (private metadata without
 *   the marker), emails as primary (exact) plus a case-insensitive set, phones and wallets as primary plus set.
 * - Removing a name, username, externalId, locale, metadata or identifier list from the program clears it.
 * - `banned` absent means false. `locked` and `unsafeMetadata` are managed only when the program sets them
 *   (Clerk's lockout and the frontend write them too). `createdAt`, `legalAcceptedAt` and the instance-defaulted settings
 *   (deleteSelfEnabled, createOrganizationEnabled, createOrganizationsLimit, bypassClientTrust) are compared
 *   only when the program sets them; timestamps as instants.
 * - Write-only inputs compare with their previous values; boolean flags read absent as false.
 * - An unknown (preview) value counts as a change.
 * - On an adopted user (`adopted` in state) a field the program does not declare is never a change.
 * - Only `web3Wallets` replaces (delete first, as identifiers are unique); emails and phones change in place so
 *   the user keeps its id and sessions.
 */
export function diffUser(olds: UserOutputs | Bag, news: UserInputs | Bag): UserDiff {
  return DIFF(olds as Bag, news as Bag);
}
