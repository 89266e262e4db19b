import type { ReplaceMetadataParams, UpdateUserParams } from "../model/clerkParams";
import type { FieldTable } from "../model/fields";
import { USER_FIELDS } from "../model/user";
import type { UserInputs } from "../model/UserInputs";
import type { UserOutputs } from "../model/UserOutputs";
import type { ClerkUserJSON } from "../model/wire";
import { managedWhen } from "./compare";
import { heldIdentifiers, type HeldIdentifier, type HeldIdentifiers } from "./heldIdentifiers";
import { identifierKey } from "./identifiers";
import { heldValue, planMetadata, planPatch, type PlanOptions } from "./planFields";

export type { ReplaceMetadataParams, UpdateUserParams } from "../model/clerkParams";

/** One Clerk call of an update, in the order `planUpdate` returns them. */
export type UpdateStep =
  /** POST /email_addresses, created verified; `primary` when it is the declared primary. */
  | { kind: "addEmail"; emailAddress: string; primary: boolean }
  /** PATCH /email_addresses/{id} `{primary: true}` for a declared primary the user already has. */
  | { kind: "setPrimaryEmail"; emailAddressId: string }
  /** DELETE /email_addresses/{id}; the address is carried for messages. */
  | { kind: "deleteEmail"; emailAddressId: string; emailAddress: string }
  | { kind: "addPhone"; phoneNumber: string; primary: boolean }
  | { kind: "setPrimaryPhone"; phoneNumberId: string }
  | { kind: "deletePhone"; phoneNumberId: string; phoneNumber: string }
  | { kind: "updateUser"; params: UpdateUserParams }
  | { kind: "replaceMetadata"; params: ReplaceMetadataParams }
  | { kind: ActionKind };

/** The action endpoints the field table names (`update: { via: "action", on, off }`). */
export type ActionKind = "ban" | "unban" | "lock" | "unlock";

/**
 * The Clerk calls that take the live user `current` to the declared `news`, in a safe order:
 *
 * 1. add the new emails, then phones (a new primary is created with `primary: true`), so the user never
 *    runs out of identifiers: Clerk refuses to delete the last one;
 * 2. make an already-held declared primary primary;
 * 3. `updateUser` with only the attributes that differ;
 * 4. `replaceMetadata` with only the metadata objects that differ (declarative: a removed key disappears);
 * 5. delete the identifiers no longer declared;
 * 6. ban/unban, then lock/unlock, last, so a ban never blocks the steps before it.
 *
 * Clerk-visible fields are compared with `current` (the truth, after any out-of-band change); write-only
 * inputs with `olds` (the previous state), since Clerk never returns them. A password is sent only when
 * `news.password` is set and differs: an absent password (e.g. with `generatePassword`, whose password is kept
 * in `olds.generatedPassword`) never triggers one. `signOutOfOtherSessions` and `skipPasswordChecks` ride along
 * with a password, `skipLegalChecks` with `legalAcceptedAt`. Web3 wallets are not planned: a change replaces
 * the user (see `diffUser`). Returns `[]` when nothing differs.
 */
export function planUpdate(
  current: ClerkUserJSON,
  olds: UserOutputs | Partial<UserOutputs>,
  news: UserInputs,
  opts: PlanOptions = {},
): UpdateStep[] {
  const adopted = opts.adopted === true;
  const lists = heldIdentifiers(USER_FIELDS, current)
    .filter((h) => h.kind !== "web3") // a wallet change replaces the user (see diffUser)
    .filter((h) => !(adopted && (news as Bag)[h.field] === undefined))
    .map((h) => ({ ...h, plan: planIdentifiers(h, listOf(news, h.field), adopted) }));

  const steps: UpdateStep[] = [];
  for (const { kind, plan } of lists)
    for (const value of plan.add) steps.push(addStep(kind as "email" | "phone", value, value === plan.primaryToAdd));
  for (const { kind, plan } of lists)
    if (plan.setPrimaryId)
      steps.push(
        kind === "email"
          ? { kind: "setPrimaryEmail", emailAddressId: plan.setPrimaryId }
          : { kind: "setPrimaryPhone", phoneNumberId: plan.setPrimaryId },
      );

  const params = planPatch(FIELDS, current, olds as Bag, news as Bag, adopted) as UpdateUserParams;
  if (Object.keys(params).length > 0) steps.push({ kind: "updateUser", params });

  const metadata = planMetadata(FIELDS, current, news as Bag, opts) as ReplaceMetadataParams;
  if (Object.keys(metadata).length > 0) steps.push({ kind: "replaceMetadata", params: metadata });

  for (const { kind, plan } of lists)
    for (const d of plan.remove)
      steps.push(
        kind === "email"
          ? { kind: "deleteEmail", emailAddressId: d.id, emailAddress: d.value }
          : { kind: "deletePhone", phoneNumberId: d.id, phoneNumber: d.value },
      );

  steps.push(...planActions(current, news as Bag, adopted));
  return steps;
}

type Bag = Record<string, unknown>;

const FIELDS = USER_FIELDS as FieldTable;

function listOf(news: UserInputs, field: string): readonly string[] {
  const v = (news as Bag)[field];
  return Array.isArray(v) ? (v as string[]) : [];
}

function addStep(kind: "email" | "phone", value: string, primary: boolean): UpdateStep {
  return kind === "email"
    ? { kind: "addEmail", emailAddress: value, primary }
    : { kind: "addPhone", phoneNumber: value, primary };
}

interface IdentifierPlan {
  add: string[];
  /** The declared primary, when it has to be added. */
  primaryToAdd: string | undefined;
  /** The id of the declared primary, when held but not primary. */
  setPrimaryId: string | undefined;
  remove: HeldIdentifier[];
}

/** On an adopted user nothing the user already holds is removed: a declared list says what must be there. */
function planIdentifiers(
  { kind, held, primaryId }: HeldIdentifiers,
  declared: readonly string[],
  adopted: boolean,
): IdentifierPlan {
  const heldByKey = new Map(held.map((h) => [identifierKey(kind, h.value), h]));
  const declaredKeys = new Set(declared.map((v) => identifierKey(kind, v)));
  const add = declared.filter((v) => !heldByKey.has(identifierKey(kind, v)));
  const primary = declared[0];
  const heldPrimary = primary === undefined ? undefined : heldByKey.get(identifierKey(kind, primary));
  return {
    add,
    primaryToAdd: primary !== undefined && !heldPrimary ? primary : undefined,
    setPrimaryId: heldPrimary && heldPrimary.id !== primaryId ? heldPrimary.id : undefined,
    remove: adopted ? [] : held.filter((h) => !declaredKeys.has(identifierKey(kind, h.value))),
  };
}

/** Action endpoints (ban/unban, lock/unlock), last, so a ban never blocks the steps before it. */
function planActions(current: ClerkUserJSON, news: Bag, adopted: boolean): UpdateStep[] {
  const steps: UpdateStep[] = [];
  for (const [key, spec] of Object.entries(FIELDS)) {
    if (spec.update.via !== "action") continue;
    // Unset means unmanaged for `locked`: Clerk's own lockout after failed sign-ins is never undone by silence.
    if (managedWhen(spec, adopted) === "declared" && (news[key] === undefined || news[key] === null)) continue;
    const want = news[key] === true;
    if (want !== heldValue(spec, current))
      steps.push({ kind: (want ? spec.update.on : spec.update.off) as ActionKind });
  }
  return steps;
}
