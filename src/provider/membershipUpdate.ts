/**
 * `update` of a ClerkOrganizationMembership: the role in place, then the metadata through Clerk's merge (`null` for
 * removed keys), only on the instance that holds it and only while it is still this resource's. A demotion of the
 * last admin is `last_admin` on `role`; a failure after the role changed hands the host what Clerk holds.
 */
import type { ClerkGateway } from "../clerk/gateway";
import { toProviderError, type ErrorContext } from "../errors/toProviderError";
import { membershipOutputs, planMembershipUpdate } from "../logic/organizations";
import { fieldNames } from "../model/fields";
import { MEMBERSHIP_FIELDS, type MembershipInputs } from "../model/organization";
import { goneError, PlanFailure, planCause, refusedAtFirstStep } from "./applyPlan";
import { sameInstance } from "./instanceCheck";
import { applyMembershipPlan, isLastAdmin, lastAdmin, MEMBERSHIP_NOT_OWNER } from "./membershipSupport";
import { notOwner, ownershipForUpdate } from "./ownership";
import { inputsOf, ownershipOf, recordDeclared, type Props } from "./props";

export const MEMBERSHIP_INPUT_KEYS = fieldNames(MEMBERSHIP_FIELDS);

/** Where a membership lives: its organization and user (never changed in place: a change replaces it). */
export function membershipKey(props: Props): { organizationId: string; userId: string } {
  return { organizationId: String(props["organizationId"] ?? ""), userId: String(props["userId"] ?? "") };
}

export async function updateMembership(
  gw: ClerkGateway,
  id: string,
  olds: Props,
  news: Props,
  ctx: ErrorContext,
): Promise<{ outs: Props }> {
  const identity = await sameInstance(gw, olds, ctx);
  const inputs = inputsOf(news, MEMBERSHIP_INPUT_KEYS) as MembershipInputs;
  const key = membershipKey(olds);
  const current = await gw.findMembership(key.organizationId, key.userId);
  if (!current || current.id !== id)
    throw goneError(ctx, "the membership was removed outside Pulumi; run `pulumi refresh`, then `pulumi up`");
  // Memberships are never handed over or adopted: another owner's marker is a refusal.
  const ownership = ownershipForUpdate(
    current,
    { ...ownershipOf(olds), adopted: false },
    identity.id,
    undefined,
    (marker) => notOwner({ ...ctx, ...MEMBERSHIP_NOT_OWNER }, current, marker, inputs.managedBy),
  );
  const { adopted: _never, ...recorded } = ownership;
  const steps = planMembershipUpdate(current, inputs, { ownership });
  try {
    const m = (await applyMembershipPlan(gw, key, steps)) ?? current;
    return { outs: recordDeclared(membershipOutputs(m, inputs, recorded), inputs) };
  } catch (e) {
    const cause = planCause(e);
    if (isLastAdmin(cause)) throw lastAdmin(cause, ctx, false);
    if (!(e instanceof PlanFailure) || refusedAtFirstStep(e, steps.length)) throw cause;
    const err = toProviderError(cause, {
      ...ctx,
      detail: "the update stopped midway; the state now records what Clerk holds, so the next `pulumi up` finishes it",
    });
    const fresh = await gw.findMembership(key.organizationId, key.userId).catch(() => undefined);
    const properties =
      fresh && fresh.id === id
        ? recordDeclared(membershipOutputs(fresh, inputs, recorded), inputs)
        : { ...olds, syncRequired: true };
    throw Object.assign(err, {
      id,
      properties: { ...properties, __provider: news["__provider"] },
      reasons: [err.message],
    });
  }
}
