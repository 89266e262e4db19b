import { randomBytes } from "node:crypto";
import type { ClerkGateway } from "../clerk/gateway";
import { clerkCodeOf, isClerkApiError, isIdentifierExists } from "../errors/clerkApiError";
import { ClerkProviderError, ErrorCode } from "../errors/ClerkProviderError";
import { inputNameForParam, toProviderError } from "../errors/toProviderError";
import { planUpdate, type UpdateStep } from "../logic/planUpdate";
import { toCreateParams } from "../logic/toCreateParams";
import { toOutputs, toReadInputs } from "../logic/toOutputs";
import { jsonEquals } from "../logic/jsonEquals";
import { mintOwnerId, readMarker, stripMarker, type Ownership } from "../marker/managedByMarker";
import type { JsonObject } from "../model/json";
import type { UserInputs } from "../model/UserInputs";
import type { UserOutputs } from "../model/UserOutputs";
import type { ClerkUserJSON } from "../model/wire";
import { RetryBudgetExhaustedError } from "../scheduler/RetryBudgetExhaustedError";
import { applyPlan, planCause } from "./applyPlan";
import { identifiersOf, splitFilter } from "./identifiersOf";
import { claimInProcess, claimOf, notOwner, type Claim } from "./ownership";
import { rememberSecrets } from "./redaction";

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

interface CreateContext {
  gw: ClerkGateway;
  inputs: UserInputs;
  ownerId: string;
  instanceId: string;
  generatedPassword: string | undefined;
  warn: (message: string) => void;
  ctx: { operation: string; resource?: string | undefined };
}

/**
 * Creates the user, transactionally, under a fresh ownership id written into its marker:
 * - `adopt: true` takes over an existing user found by externalId or primary email, if nobody else owns it
 *   (or `handOverFrom` names its owner); fields the program does not declare are left as they are.
 * - A `form_identifier_exists` after a retried POST (the first answer was lost but Clerk committed) finds the
 *   user by its identifiers; it is taken back only if its marker carries this very ownership id.
 * - A create that fails ambiguously (network, 5xx, budget) is looked up the same way before giving up.
 * - Once a user exists, any later failure is reported in the partial-create shape so the engine keeps it.
 */
export async function createUser(
  gw: ClerkGateway,
  inputs: UserInputs,
  warn: (message: string) => void = () => undefined,
): Promise<CreateResult> {
  const { id: instanceId } = await gw.identity();
  const c: CreateContext = {
    gw,
    inputs,
    ownerId: mintOwnerId(),
    instanceId,
    generatedPassword:
      inputs.generatePassword && !inputs.password && !inputs.passwordDigest ? generatePassword() : undefined,
    warn,
    ctx: { operation: "create", resource: inputs.managedBy?.name },
  };
  if (inputs.adopt) {
    const existing = await findForAdoption(c);
    if (existing) return takeOver(c, existing, claimOf(existing, c.ownerId, inputs.handOverFrom));
  }
  const ownership: Ownership = { ownerId: c.ownerId, instanceId, adopted: false };
  let user: ClerkUserJSON;
  try {
    user = await gw.createUser(toCreateParams(inputs, { generatedPassword: c.generatedPassword, ownership }));
  } catch (e) {
    const { user: found, claim } = await recoverCreate(c, e);
    return takeOver(c, found, claim);
  }
  return { id: user.id, outs: toOutputs(user, inputs, { generatedPassword: c.generatedPassword, ownership }) };
}

async function recoverCreate(c: CreateContext, err: unknown): Promise<{ user: ClerkUserJSON; claim: Claim }> {
  // No answer, a 5xx or a spent retry budget: Clerk may have created the user anyway.
  const ambiguous =
    !isClerkApiError(err) || err.status === undefined || err.status >= 500 || RetryBudgetExhaustedError.isInstance(err);
  if (!isIdentifierExists(err) && !ambiguous) throw toProviderError(err, c.ctx);
  // Nothing unique to look the user up by: documented limitation (docs/reference.md, "Ambiguous creates").
  if (Object.keys(identifiersOf(c.inputs)).length === 0) throw toProviderError(err, c.ctx);
  let candidates: ClerkUserJSON[];
  try {
    candidates = await findByIdentifiers(c.gw, c.inputs);
  } catch {
    throw toProviderError(err, {
      ...c.ctx,
      detail: "the user may have been created; could not check (run `clerk-sweep list` to find it)",
    });
  }
  for (const user of candidates) {
    const claim = claimOf(user, c.ownerId, c.inputs.handOverFrom);
    if (claim.kind === "mine" || claim.kind === "handedOver") return { user, claim };
  }
  if (!isIdentifierExists(err)) throw toProviderError(err, c.ctx);
  const other = candidates[0];
  const marker = other ? readMarker(other.private_metadata) : undefined;
  if (other && marker) throw notOwner(c.ctx, other, marker, c.inputs.managedBy);
  const param = isClerkApiError(err) ? err.errors[0]?.meta?.paramName : undefined;
  throw new ClerkProviderError({
    ...c.ctx,
    code: ErrorCode.IdentifierConflict,
    status: 422,
    clerkCode: clerkCodeOf(err) ?? "form_identifier_exists",
    field: inputNameForParam(param),
    traceId: isClerkApiError(err) ? err.clerkTraceId || undefined : undefined,
    longMessage: other
      ? `an identifier already belongs to user ${other.id}, which this resource does not manage`
      : "an identifier already belongs to another user",
    detail: "set `adopt: true` to take that user over, or change the identifier",
  });
}

async function findByIdentifiers(gw: ClerkGateway, inputs: UserInputs): Promise<ClerkUserJSON[]> {
  const byId = new Map<string, ClerkUserJSON>();
  for (const filter of splitFilter(identifiersOf(inputs))) {
    for (const u of await gw.findUsers(filter)) byId.set(u.id, u);
  }
  return [...byId.values()];
}

async function findForAdoption(c: CreateContext): Promise<ClerkUserJSON | undefined> {
  const { inputs } = c;
  const primaryEmail = inputs.emailAddresses?.[0];
  const filter = inputs.externalId
    ? { externalId: [inputs.externalId] }
    : primaryEmail
      ? { emailAddress: [primaryEmail] }
      : undefined;
  const refuse = (detail: string) =>
    new ClerkProviderError({ ...c.ctx, code: ErrorCode.AdoptNotFound, field: "adopt", detail });
  if (!filter) throw refuse("adopt needs externalId or an email address to find the user by");
  const found = await c.gw.findUsers(filter);
  if (found.length > 1) {
    throw refuse(`${found.length} users match (${found.map((u) => u.id).join(", ")}); refusing to guess`);
  }
  return found[0];
}

/**
 * Brings an existing user (adopted, handed over, or this resource's own after a lost answer) to the declared
 * state under this resource's ownership. A user someone else owns is refused before anything is written. From
 * the claim on, a failure is thrown in the partial-create shape: the engine keeps the id in state.
 */
async function takeOver(c: CreateContext, existing: ClerkUserJSON, claim: Claim): Promise<CreateResult> {
  if (claim.kind === "refused") throw notOwner(c.ctx, existing, claim.marker, c.inputs.managedBy);
  claimInProcess(existing, c.ownerId, c.ctx);
  const adopted = claim.kind === "unmarked" || claim.adopted;
  const ownership: Ownership = { ownerId: c.ownerId, instanceId: c.instanceId, adopted };
  const extras = { generatedPassword: c.generatedPassword, ownership };
  try {
    const desired = c.generatedPassword ? { ...c.inputs, password: c.generatedPassword } : c.inputs;
    const steps = planUpdate(existing, {} as UserOutputs, desired, { ownership, adopted });
    if (claim.kind !== "mine") c.warn(describeTakeOver(c, existing, steps, adopted));
    const user = steps.length ? await applyPlan(c.gw, existing.id, steps) : existing;
    return { id: user.id, outs: toOutputs(user, c.inputs, extras) };
  } catch (e) {
    const err = toProviderError(planCause(e), {
      ...c.ctx,
      code: ErrorCode.PartialCreate,
      userId: existing.id,
      detail: "the user exists and is kept in state; the next `pulumi up` finishes the update",
    });
    throw Object.assign(err, {
      id: existing.id,
      // The state records what Clerk really holds, so the next diff sees what is still to do.
      properties: toOutputs(
        existing,
        toReadInputs(existing, c.inputs.managedBy ? { managedBy: c.inputs.managedBy } : {}, adopted),
        extras,
      ),
      reasons: [err.message],
    });
  }
}

/**
 * The warning of a take-over: which fields it changes (names only, never values). Writing the marker alone is
 * not a change of the user's private metadata.
 */
function describeTakeOver(c: CreateContext, user: ClerkUserJSON, steps: UpdateStep[], adopted: boolean): string {
  const changed = new Set<string>();
  for (const s of steps) {
    if (s.kind === "updateUser") Object.keys(s.params).forEach((k) => changed.add(k));
    else if (s.kind === "replaceMetadata") {
      for (const [k, v] of Object.entries(s.params)) {
        const held = (user as unknown as Record<string, unknown>)[k === "privateMetadata" ? "private_metadata" : ""];
        if (k !== "privateMetadata" || !jsonEquals(stripMarker(v as JsonObject), stripMarker(held as JsonObject))) {
          changed.add(k);
        }
      }
    } else if (s.kind.endsWith("Email")) changed.add("emailAddresses");
    else if (s.kind.endsWith("Phone")) changed.add("phoneNumbers");
    else changed.add(s.kind === "ban" || s.kind === "unban" ? "banned" : "locked");
  }
  const who = `ClerkUser "${c.ctx.resource ?? "?"}"`;
  const fields = [...changed].sort();
  const rule = adopted ? " (fields the program does not declare are left as they are)" : "";
  return fields.length === 0
    ? `${who}: took over existing user ${user.id}; no field changed`
    : `${who}: took over existing user ${user.id}; this changes ${fields.join(", ")}${rule}`;
}
