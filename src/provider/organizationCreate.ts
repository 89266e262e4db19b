/**
 * `create` of a ClerkOrganization: one POST with the marker under a fresh ownership id, the slug declared or
 * derived from the resource name and that id; adoption by slug; recovery of a create whose answer was lost.
 */
import type { ClerkGateway } from "../clerk/gateway";
import { clerkCodeOf, isClerkApiError, isIdentifierExists } from "../errors/clerkApiError";
import { ClerkProviderError, ErrorCode } from "../errors/ClerkProviderError";
import { toProviderError, type ErrorContext } from "../errors/toProviderError";
import { jsonEquals } from "../logic/jsonEquals";
import {
  defaultSlug,
  organizationCreateParams,
  organizationOutputs,
  organizationReadInputs,
  planOrganizationUpdate,
  type OrganizationStep,
} from "../logic/organizations";
import { mintOwnerId, stripMarker, type Ownership } from "../marker/managedByMarker";
import type { JsonObject } from "../model/json";
import type { OrganizationInputs } from "../model/organization";
import type { ClerkOrganizationJSON } from "../model/organizationWire";
import { RetryBudgetExhaustedError } from "../scheduler/RetryBudgetExhaustedError";
import { planCause } from "./applyPlan";
import { applyOrganizationPlan, ORGANIZATION_NOT_OWNER } from "./organizationSupport";
import { claimInProcess, claimOf, notOwner, type Claim } from "./ownership";
import { recordDeclared, type Props } from "./props";

interface CreateContext {
  gw: ClerkGateway;
  inputs: OrganizationInputs;
  ownerId: string;
  instanceId: string;
  slug: string;
  warn: (message: string) => void;
  ctx: ErrorContext;
}

/**
 * Creates the organization, transactionally, under a fresh ownership id written into its marker:
 * - `adopt: true` takes over the organization holding `slug`, if nobody else owns it (or `handOverFrom` names its
 *   owner); fields the program does not declare are left as they are. Nothing there: it is created.
 * - A `form_identifier_exists` on the slug after a retried POST (the first answer was lost but Clerk committed),
 *   or an ambiguous failure (network, 5xx, spent budget), reads the organization by slug; it is taken only if its
 *   marker carries this very ownership id. Another marker: `not_owner`; none: `identifier_conflict`.
 * - Once an organization is taken, a later failure is reported in the partial-create shape: the engine keeps it.
 */
export async function createOrganization(
  gw: ClerkGateway,
  inputs: OrganizationInputs,
  ctx: ErrorContext,
  warn: (message: string) => void,
): Promise<{ id: string; outs: Props }> {
  const { id: instanceId } = await gw.identity();
  const ownerId = mintOwnerId();
  const slug = inputs.slug ?? defaultSlug(inputs.managedBy?.name ?? "", ownerId);
  const c: CreateContext = { gw, inputs, ownerId, instanceId, slug, warn, ctx };
  if (inputs.adopt) {
    const existing = await gw.getOrganization(slug);
    if (existing) return takeOver(c, existing, claimOf(existing, ownerId, inputs.handOverFrom));
  }
  const ownership: Ownership = { ownerId, instanceId, adopted: false };
  let org: ClerkOrganizationJSON;
  try {
    org = await gw.createOrganization(organizationCreateParams(inputs, slug, ownership));
  } catch (e) {
    const { org: found, claim } = await recoverCreate(c, e);
    return takeOver(c, found, claim);
  }
  return { id: org.id, outs: recordDeclared(organizationOutputs(org, inputs, ownership), inputs) };
}

async function recoverCreate(c: CreateContext, err: unknown): Promise<{ org: ClerkOrganizationJSON; claim: Claim }> {
  // No answer, a 5xx or a spent retry budget: Clerk may have created the organization anyway.
  const ambiguous =
    !isClerkApiError(err) || err.status === undefined || err.status >= 500 || RetryBudgetExhaustedError.isInstance(err);
  const taken = isIdentifierExists(err) && isClerkApiError(err) && err.errors[0]?.meta?.paramName === "slug";
  if (!taken && !ambiguous) throw toProviderError(err, c.ctx);
  let found: ClerkOrganizationJSON | undefined;
  try {
    found = await c.gw.getOrganization(c.slug);
  } catch {
    const detail = "the organization may have been created; could not check (run `clerk-sweep list` to find it)";
    throw toProviderError(err, { ...c.ctx, detail });
  }
  const claim = found && claimOf(found, c.ownerId, c.inputs.handOverFrom);
  if (found && claim && (claim.kind === "mine" || claim.kind === "handedOver")) return { org: found, claim };
  if (!taken) throw toProviderError(err, c.ctx);
  if (found && claim?.kind === "refused")
    throw notOwner({ ...c.ctx, ...ORGANIZATION_NOT_OWNER }, found, claim.marker, c.inputs.managedBy);
  throw new ClerkProviderError({
    ...c.ctx,
    code: ErrorCode.IdentifierConflict,
    status: 422,
    clerkCode: clerkCodeOf(err) ?? "form_identifier_exists",
    field: "slug",
    traceId: isClerkApiError(err) ? err.clerkTraceId || undefined : undefined,
    longMessage: found
      ? `the slug belongs to organization ${found.id}, which this resource does not manage`
      : "the slug belongs to another organization",
    detail: "set `adopt: true` to take that organization over, or change the slug",
  });
}

/**
 * Brings an existing organization (adopted, handed over, or this resource's own after a lost answer) to the
 * declared state under this resource's ownership. One another resource owns is refused before anything is
 * written. From the claim on, a failure is thrown in the partial-create shape: the engine keeps the id in state.
 */
async function takeOver(
  c: CreateContext,
  existing: ClerkOrganizationJSON,
  claim: Claim,
): Promise<{ id: string; outs: Props }> {
  const ctx = { ...c.ctx, clerkId: existing.id };
  if (claim.kind === "refused")
    throw notOwner({ ...ctx, ...ORGANIZATION_NOT_OWNER }, existing, claim.marker, c.inputs.managedBy);
  claimInProcess(existing, c.ownerId, { ...ctx, noun: "organization" });
  const adopted = claim.kind === "unmarked" || claim.adopted;
  const ownership: Ownership = { ownerId: c.ownerId, instanceId: c.instanceId, adopted };
  try {
    const steps = planOrganizationUpdate(existing, {}, c.inputs, { ownership, adopted });
    if (claim.kind !== "mine") c.warn(describeTakeOver(c, existing, steps, adopted));
    const org = (await applyOrganizationPlan(c.gw, existing.id, steps)) ?? existing;
    return { id: org.id, outs: recordDeclared(organizationOutputs(org, c.inputs, ownership), c.inputs) };
  } catch (e) {
    const err = toProviderError(planCause(e), {
      ...ctx,
      code: ErrorCode.PartialCreate,
      detail: "the organization exists and is kept in state; the next `pulumi up` finishes the update",
    });
    const declared = c.inputs.managedBy ? { managedBy: c.inputs.managedBy } : {};
    const properties = organizationOutputs(existing, organizationReadInputs(existing, declared, adopted), ownership);
    // The state records what Clerk really holds, so the next diff sees what is still to do.
    throw Object.assign(err, { id: existing.id, properties, reasons: [err.message] });
  }
}

/** The warning of a take-over: the fields it changes (names only, never values); the marker alone is none. */
function describeTakeOver(
  c: CreateContext,
  org: ClerkOrganizationJSON,
  steps: OrganizationStep[],
  adopted: boolean,
): string {
  const changed = new Set<string>();
  for (const s of steps) {
    for (const [k, v] of Object.entries(s.params)) {
      const marked = s.kind === "replaceMetadata" && k === "privateMetadata";
      if (!marked || !jsonEquals(stripMarker(v as JsonObject), stripMarker(org.private_metadata))) changed.add(k);
    }
  }
  const who = `ClerkOrganization "${c.ctx.resource ?? "?"}"`;
  const fields = [...changed].sort();
  const rule = adopted ? " (fields the program does not declare are left as they are)" : "";
  return fields.length === 0
    ? `${who}: took over existing organization ${org.id}; no field changed`
    : `${who}: took over existing organization ${org.id}; this changes ${fields.join(", ")}${rule}`;
}
