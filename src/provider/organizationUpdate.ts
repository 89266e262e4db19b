/**
 * `update` of a ClerkOrganization: brings the live organization to the declared state (PATCH name, slug, limit,
 * createdAt, roleSetKey; PUT metadata only when it differs), only on the instance that holds it and only while it
 * is still this resource's. When a step fails midway, the host gets the state Clerk holds (decision 0013).
 */
import type { ClerkGateway } from "../clerk/gateway";
import { toProviderError, type ErrorContext } from "../errors/toProviderError";
import { organizationOutputs, planOrganizationUpdate } from "../logic/organizations";
import { fieldNames } from "../model/fields";
import { ORGANIZATION_FIELDS, type OrganizationInputs } from "../model/organization";
import { goneError, planCause, PlanFailure, refusedAtFirstStep } from "./applyPlan";
import { sameInstance } from "./instanceCheck";
import { applyOrganizationPlan, ORGANIZATION_NOT_OWNER } from "./organizationSupport";
import { notOwner, ownershipForUpdate } from "./ownership";
import { inputsOf, ownershipOf, recordDeclared, type Props } from "./props";

export const ORGANIZATION_INPUT_KEYS = fieldNames(ORGANIZATION_FIELDS);

export async function updateOrganization(
  gw: ClerkGateway,
  id: string,
  olds: Props,
  news: Props,
  ctx: ErrorContext,
): Promise<{ outs: Props }> {
  const identity = await sameInstance(gw, olds, ctx);
  const inputs = inputsOf(news, ORGANIZATION_INPUT_KEYS) as OrganizationInputs;
  const current = await gw.getOrganization(id);
  if (!current)
    throw goneError(
      ctx,
      "the organization was deleted outside Pulumi; run `pulumi refresh` to drop it from state, then `pulumi up`",
    );
  // Handed over to another resource since (or taken by one): not this resource's to change any more.
  const ownership = ownershipForUpdate(current, ownershipOf(olds), identity.id, inputs.handOverFrom, (marker) =>
    notOwner({ ...ctx, ...ORGANIZATION_NOT_OWNER }, current, marker, inputs.managedBy),
  );
  const steps = planOrganizationUpdate(current, olds, inputs, { ownership, adopted: ownership.adopted });
  try {
    const org = (await applyOrganizationPlan(gw, id, steps)) ?? current;
    return { outs: recordDeclared(organizationOutputs(org, inputs, ownership), inputs) };
  } catch (e) {
    if (!(e instanceof PlanFailure) || refusedAtFirstStep(e, steps.length)) throw planCause(e);
    const err = toProviderError(e.cause, {
      ...ctx,
      detail: "the update stopped midway; the state now records what Clerk holds, so the next `pulumi up` finishes it",
    });
    const fresh = await gw.getOrganization(id).catch(() => undefined);
    const properties = fresh
      ? recordDeclared(organizationOutputs(fresh, inputs, ownership), inputs)
      : { ...olds, syncRequired: true };
    throw Object.assign(err, {
      id,
      properties: { ...properties, __provider: news["__provider"] },
      reasons: [err.message],
    });
  }
}
