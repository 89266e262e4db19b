import { fieldsWhere, type FieldTable } from "../model/fields";
import { USER_FIELDS } from "../model/user";
import type { UserInputs } from "../model/UserInputs";
import type { UserOutputs } from "../model/UserOutputs";
import { managedWhen, sameFor } from "./compare";
import { containsUnknown } from "./unknown";

/** The answer to Pulumi's `diff`, plus the changed property names for logs and tests. */
export interface UserDiff {
  changes: boolean;
  /** Properties whose change needs a new user: only `web3Wallets` (Clerk cannot add a wallet later). */
  replaces: string[];
  /** Always true when replacing: the new user would collide on the old one's unique identifiers. */
  deleteBeforeReplace: boolean;
  /** Changed property names, sorted. */
  detailedChanges: string[];
}

/** Input-like view of either side, indexable by name. */
type Bag = Partial<Record<string, unknown>>;

/**
 * Per property, how the previous state and the new inputs compare, from the field table. Fields managed only
 * when declared are equal whenever the program does not set them. Computed outputs are not inputs, so are
 * never compared.
 */
type Rule = readonly [string, (o: Bag, n: Bag) => boolean];
const rulesFor = (adopted: boolean): readonly Rule[] =>
  Object.entries(USER_FIELDS as FieldTable).map(([key, spec]) => {
    const same = sameFor(spec, adopted);
    const rule =
      managedWhen(spec, adopted) === "declared"
        ? (o: Bag, n: Bag) => n[key] === undefined || n[key] === null || same(o[key], n[key])
        : (o: Bag, n: Bag) => same(o[key], n[key]);
    return [key, rule] as const;
  });
/** Indexed by "adopted": an adopted user's undeclared fields are never compared. */
const RULES = { false: rulesFor(false), true: rulesFor(true) } as const;

/** Properties Clerk cannot change in place. */
const REPLACE_ON_CHANGE: ReadonlySet<string> = new Set(fieldsWhere(USER_FIELDS, (f) => f.update.via === "replace"));

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
  const o = olds as Bag;
  const n = news as Bag;
  const changed: string[] = [];
  for (const [key, same] of RULES[o["adopted"] === true ? "true" : "false"]) {
    if (containsUnknown(n[key]) || !same(o, n)) changed.push(key);
  }
  // A failed update left state that may not match Clerk: update again, whatever the program says.
  if (o["syncRequired"] === true) changed.push("syncRequired");
  changed.sort();
  const replaces = changed.filter((k) => REPLACE_ON_CHANGE.has(k));
  return {
    changes: changed.length > 0,
    replaces,
    deleteBeforeReplace: replaces.length > 0,
    detailedChanges: changed,
  };
}
