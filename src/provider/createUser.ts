import { randomBytes } from "node:crypto";
import { clerkCodeOf, isClerkApiError, isIdentifierExists } from "../errors/clerkApiError";
import type { ClerkGateway } from "../clerk/gateway";
import type { ClerkUserJSON } from "../model/wire";
import { ClerkProviderError, ErrorCode } from "../errors/ClerkProviderError";
import { inputNameForParam, toProviderError } from "../errors/toProviderError";
import { planUpdate } from "../logic/planUpdate";
import { toCreateParams } from "../logic/toCreateParams";
import { toOutputs, toReadInputs } from "../logic/toOutputs";
import { markerMatches, readMarker, withMarker } from "../marker/managedByMarker";
import type { UserInputs } from "../model/UserInputs";
import type { UserOutputs } from "../model/UserOutputs";
import { RetryBudgetExhaustedError } from "../scheduler/RetryBudgetExhaustedError";
import { applyPlan } from "./applyPlan";
import { rememberSecrets } from "./redaction";
import { identifiersOf, splitFilter } from "./identifiersOf";

/**
 * 24 random bytes, base64url: 32 characters from Node's CSPRNG, well past Clerk's password policy. Remembered
 * as a secret before any request carries it, so no echo of it can reach a message.
 */
export function generatePassword(): string {
  const password = randomBytes(24).toString("base64url");
  rememberSecrets([password]);
  return password;
}

export interface CreateResult {
  id: string;
  outs: UserOutputs;
}

/**
 * Creates the user, transactionally:
 * - `adopt: true` takes over an existing user found by externalId or primary email.
 * - A `form_identifier_exists` after a retried POST (the first answer was lost but Clerk committed) finds the
 *   user by its identifiers; if it carries this resource's marker it is ours and is adopted, else it is a real
 *   conflict reported with the identifier and the other user's id.
 * - A create that fails ambiguously (network, 5xx, budget) is looked up the same way before giving up.
 * - Once a user exists, any later failure is reported in the partial-create shape so the engine keeps it.
 */
export async function createUser(gw: ClerkGateway, inputs: UserInputs): Promise<CreateResult> {
  const generatedPassword =
    inputs.generatePassword && !inputs.password && !inputs.passwordDigest ? generatePassword() : undefined;
  const extras = generatedPassword ? { generatedPassword } : {};

  if (inputs.adopt) {
    const existing = await findForAdoption(gw, inputs);
    if (existing) return reconcile(gw, existing, inputs, extras, generatedPassword);
  }

  let user: ClerkUserJSON;
  try {
    user = await gw.createUser(toCreateParams(inputs, extras));
  } catch (e) {
    const recovered = await recoverCreate(gw, inputs, e);
    return reconcile(gw, recovered, inputs, extras, generatedPassword);
  }
  return { id: user.id, outs: toOutputs(user, inputs, extras) };
}

async function recoverCreate(gw: ClerkGateway, inputs: UserInputs, err: unknown): Promise<ClerkUserJSON> {
  const resource = inputs.managedBy?.name;
  const ctx = { operation: "create", ...(resource ? { resource } : {}) };
  // No answer, a 5xx or a spent retry budget: Clerk may have created the user anyway.
  const ambiguous =
    !isClerkApiError(err) || err.status === undefined || err.status >= 500 || RetryBudgetExhaustedError.isInstance(err);
  if (!isIdentifierExists(err) && !ambiguous) throw toProviderError(err, ctx);
  if (Object.keys(identifiersOf(inputs)).length === 0) {
    // Nothing unique to look the user up by: documented limitation (see README, "Ambiguous creates").
    throw toProviderError(err, ctx);
  }
  let candidates: ClerkUserJSON[];
  try {
    candidates = await findByIdentifiers(gw, inputs);
  } catch {
    throw toProviderError(err, {
      ...ctx,
      detail: "the user may have been created; could not check (run `clerk-sweep list` to find it)",
    });
  }
  const mine = candidates.find((u) => markerMatches(readMarker(u.private_metadata), inputs.managedBy));
  if (mine) return mine;
  if (isIdentifierExists(err)) {
    const other = candidates[0];
    const param = isClerkApiError(err) ? err.errors[0]?.meta?.paramName : undefined;
    throw new ClerkProviderError({
      ...ctx,
      code: ErrorCode.IdentifierConflict,
      status: 422,
      clerkCode: clerkCodeOf(err) ?? "form_identifier_exists",
      ...(inputNameForParam(param) ? { field: inputNameForParam(param)! } : {}),
      ...(isClerkApiError(err) && err.clerkTraceId ? { traceId: err.clerkTraceId } : {}),
      longMessage: other
        ? `an identifier already belongs to user ${other.id}, which this resource does not manage`
        : "an identifier already belongs to another user",
      detail: "set `adopt: true` to take that user over, or change the identifier",
    });
  }
  throw toProviderError(err, ctx);
}

async function findByIdentifiers(gw: ClerkGateway, inputs: UserInputs): Promise<ClerkUserJSON[]> {
  const byId = new Map<string, ClerkUserJSON>();
  for (const filter of splitFilter(identifiersOf(inputs))) {
    for (const u of await gw.findUsers(filter)) byId.set(u.id, u);
  }
  return [...byId.values()];
}

async function findForAdoption(gw: ClerkGateway, inputs: UserInputs): Promise<ClerkUserJSON | undefined> {
  const primaryEmail = inputs.emailAddresses?.[0];
  const filter = inputs.externalId
    ? { externalId: [inputs.externalId] }
    : primaryEmail
      ? { emailAddress: [primaryEmail] }
      : undefined;
  if (!filter) {
    throw new ClerkProviderError({
      code: ErrorCode.AdoptNotFound,
      operation: "create",
      ...(inputs.managedBy?.name ? { resource: inputs.managedBy.name } : {}),
      field: "adopt",
      detail: "adopt needs externalId or an email address to find the user by",
    });
  }
  const found = await gw.findUsers(filter);
  if (found.length > 1) {
    throw new ClerkProviderError({
      code: ErrorCode.AdoptNotFound,
      operation: "create",
      ...(inputs.managedBy?.name ? { resource: inputs.managedBy.name } : {}),
      field: "adopt",
      detail: `${found.length} users match (${found.map((u) => u.id).join(", ")}); refusing to guess`,
    });
  }
  return found[0];
}

/**
 * Brings an existing user (adopted or recovered) to the declared state. From here on the user exists, so a
 * failure is thrown in the partial-create shape: the engine keeps the id in state and nothing leaks.
 */
async function reconcile(
  gw: ClerkGateway,
  existing: ClerkUserJSON,
  inputs: UserInputs,
  extras: { generatedPassword?: string },
  generatedPassword: string | undefined,
): Promise<CreateResult> {
  try {
    const steps = planUpdate(
      existing,
      {} as UserOutputs,
      generatedPassword ? { ...inputs, password: generatedPassword } : inputs,
    );
    const needsMarker =
      !markerMatches(readMarker(existing.private_metadata), inputs.managedBy) &&
      !steps.some((s) => s.kind === "replaceMetadata" && s.params.privateMetadata !== undefined);
    if (needsMarker && inputs.managedBy) {
      steps.push({
        kind: "replaceMetadata",
        params: { privateMetadata: withMarker(inputs.privateMetadata, inputs.managedBy) },
      });
    }
    const user = steps.length ? await applyPlan(gw, existing.id, steps) : existing;
    return { id: user.id, outs: toOutputs(user, inputs, extras) };
  } catch (e) {
    const err = toProviderError(e, {
      operation: "create",
      code: ErrorCode.PartialCreate,
      userId: existing.id,
      ...(inputs.managedBy?.name ? { resource: inputs.managedBy.name } : {}),
      detail: "the user exists and is kept in state; the next `pulumi up` finishes the update",
    });
    throw Object.assign(err, {
      id: existing.id,
      // The state records what Clerk really holds, so the next diff sees what is still to do.
      properties: toOutputs(
        existing,
        toReadInputs(existing, { ...(inputs.managedBy ? { managedBy: inputs.managedBy } : {}) }),
        extras,
      ),
      reasons: [err.message],
    });
  }
}
