/**
 * `update`: brings the live user to the declared state, only on the instance that holds it and only while the
 * user is still this resource's. When a step fails midway, the host gets the state Clerk actually holds, so the
 * next `up` converges instead of believing the old state.
 */
import type { ClerkGateway } from "../clerk/gateway";
import { toProviderError } from "../errors/toProviderError";
import { planUpdate, type UpdateStep } from "../logic/planUpdate";
import { toOutputs, type OutputExtras } from "../logic/toOutputs";
import { WRITE_ONLY_KEYS, type ManagedBy, type UserInputs } from "../model/UserInputs";
import type { UserOutputs } from "../model/UserOutputs";
import { applyPlan, goneError, planCause, PlanFailure, refusedAtFirstStep } from "./applyPlan";
import { generatePassword } from "./createUser";
import { sameInstance } from "./instanceCheck";
import { notOwner, ownershipForUpdate } from "./ownership";
import { extrasOf, inputsOf, ownershipOf, recordDeclared, type Props } from "./props";

type Ctx = { operation: string; userId: string; resource?: string };

export async function updateUser(
  gw: ClerkGateway,
  id: string,
  olds: Props,
  news: Props,
  ctx: Ctx,
): Promise<{ outs: UserOutputs }> {
  const identity = await sameInstance(gw, olds, ctx);
  const inputs = inputsOf(news);
  const current = await gw.getUser(id);
  if (!current)
    throw goneError(
      ctx,
      "the user was deleted outside Pulumi; run `pulumi refresh` to drop it from state, then `pulumi up`",
    );
  // Handed over to another resource since (or taken by one): not this resource's to change any more.
  const ownership = ownershipForUpdate(current, ownershipOf(olds), identity.id, inputs.handOverFrom, (marker) =>
    notOwner(ctx, current, marker, inputs.managedBy as ManagedBy | undefined),
  );
  const extras: OutputExtras = { ...extrasOf(olds), ownership };
  let desired = inputs;
  if (inputs.generatePassword && !inputs.password && !inputs.passwordDigest && !extras.generatedPassword) {
    extras.generatedPassword = generatePassword();
    desired = { ...inputs, password: extras.generatedPassword };
  }
  const steps = planUpdate(current, olds as unknown as UserOutputs, desired, { ownership, adopted: ownership.adopted });
  try {
    const user = await applyPlan(gw, id, steps);
    return { outs: recordDeclared(toOutputs(user, inputs, extras), inputs) };
  } catch (e) {
    if (!(e instanceof PlanFailure) || refusedAtFirstStep(e, steps.length)) throw planCause(e);
    const err = toProviderError(e.cause, {
      ...ctx,
      detail: "the update stopped midway; the state now records what Clerk holds, so the next `pulumi up` finishes it",
    });
    const properties = await truthfulState(gw, id, olds, inputs, steps, e.failedAt, extras);
    throw Object.assign(err, {
      id,
      properties: { ...properties, __provider: news["__provider"] },
      reasons: [err.message],
    });
  }
}

/**
 * The state after a plan stopped at `failedAt`: Clerk's user as it is now, with each write-only input (a
 * password Clerk never returns) as applied (steps before), unknown (the failed step: left out, so the next
 * `up` sends it again) or not applied (steps after: the previous value). If Clerk cannot be read, the
 * previous state with `syncRequired`, so the next `up` updates whatever the program says.
 */
async function truthfulState(
  gw: ClerkGateway,
  id: string,
  olds: Props,
  inputs: UserInputs,
  steps: UpdateStep[],
  failedAt: number,
  extras: OutputExtras,
): Promise<Props> {
  const known: Props = { ...inputs };
  for (const key of WRITE_ONLY_KEYS) {
    const at = steps.findIndex((s) => s.kind === "updateUser" && key in s.params);
    if (at === -1) continue;
    if (at === failedAt) delete known[key];
    else if (at > failedAt) known[key] = olds[key];
  }
  const fresh = await gw.getUser(id).catch(() => undefined);
  if (!fresh) {
    const state: Props = { ...olds, syncRequired: true };
    for (const key of WRITE_ONLY_KEYS) if (!(key in known)) delete state[key];
    return state;
  }
  return recordDeclared(toOutputs(fresh, known as UserInputs, extras), inputs) as unknown as Props;
}
