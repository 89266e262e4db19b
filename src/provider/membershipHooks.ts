/**
 * The hooks of `ClerkOrganizationMembership`, exported by the provider runtime as `membership` (decision 0001).
 * Clerk addresses a membership by its organization and user; the resource id is Clerk's membership id, which a
 * lookup must match (a membership re-made outside Pulumi is another one).
 *
 * check  -> pure (field table)
 * create -> GET /instance (once), POST /organizations/{org}/memberships (recovery: the lookup below)
 * read   -> GET /organizations/{org}/memberships?user_id={user}
 * update -> the lookup, PATCH …/memberships/{user} (role), PATCH …/memberships/{user}/metadata
 * delete -> the lookup, DELETE /organizations/{org}/memberships/{user}
 */
import type * as pulumi from "@pulumi/pulumi";
import { checkMembership, diffMembership, membershipOutputs, membershipReadInputs } from "../logic/organizations";
import { readMarker } from "../marker/managedByMarker";
import { MEMBERSHIP_FIELDS, MEMBERSHIP_OUTPUTS, type MembershipInputs } from "../model/organization";
import type { ManagedBy } from "../model/UserInputs";
import { connect, guarded, keepProvider } from "./guarded";
import { confirmGone } from "./instanceCheck";
import { createMembership } from "./membershipCreate";
import { isLastAdmin, lastAdmin, MEMBERSHIP_NOT_OWNER, membershipContext } from "./membershipSupport";
import { MEMBERSHIP_INPUT_KEYS, membershipKey, updateMembership } from "./membershipUpdate";
import { notOwner } from "./ownership";
import { inputsOf, ownershipOf, recordDeclared, type Props } from "./props";
import { redactText, rememberSecretsOf } from "./redaction";

const remember =
  (...bags: Props[]) =>
  () =>
    rememberSecretsOf(MEMBERSHIP_FIELDS, MEMBERSHIP_OUTPUTS, ...bags);

async function check(olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult> {
  remember(olds, news)();
  const { inputs, findings } = checkMembership(news);
  return { inputs, failures: findings.map((f) => ({ property: f.property, reason: redactText(f.reason) })) };
}

async function diff(_id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> {
  const d = diffMembership(olds, news);
  return { changes: d.changes, replaces: d.replaces, deleteBeforeReplace: d.deleteBeforeReplace };
}

async function create(inputs: Props): Promise<pulumi.dynamic.CreateResult> {
  const ctx = membershipContext("create", inputs);
  return guarded(ctx, remember(inputs), async () => {
    try {
      const declared = inputsOf(inputs, MEMBERSHIP_INPUT_KEYS) as MembershipInputs;
      return await createMembership(connect("create").gw, declared, ctx);
    } catch (e) {
      return keepProvider(e, inputs);
    }
  });
}

/**
 * Gone (its organization or user deleted, or the membership removed): no longer listed, after the instance check.
 * Unreachable, throttled, 401, 403, 5xx: an error. A role changed out of band shows as drift.
 */
async function read(id: string, props: Props): Promise<pulumi.dynamic.ReadResult> {
  const ctx = membershipContext("read", props, id);
  return guarded(ctx, remember(props), async () => {
    const { gw, settings } = connect("read");
    const key = membershipKey(props);
    const m = await gw.findMembership(key.organizationId, key.userId);
    if (!m || m.id !== id) {
      await confirmGone(gw, props, settings.instanceId !== undefined, ctx);
      return { id: "", props: {} };
    }
    const instanceId = typeof props["instanceId"] === "string" ? props["instanceId"] : (await gw.identity()).id;
    const previous = inputsOf(props, MEMBERSHIP_INPUT_KEYS);
    const inputs = membershipReadInputs(m, previous);
    const { ownerId } = ownershipOf(props);
    const outs = membershipOutputs(m, inputs, { ...(ownerId ? { ownerId } : {}), instanceId });
    return { id, props: recordDeclared(outs, previous), inputs };
  });
}

async function update(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult> {
  const ctx = membershipContext("update", news, id);
  return guarded(ctx, remember(olds, news), () => updateMembership(connect("update").gw, id, olds, news, ctx));
}

/**
 * Removes the member, unless another resource owns the membership now. Clerk refuses to remove the last admin:
 * `last_admin` (never success: the state would lie); `deletedWith` the organization avoids it (decision 4).
 */
async function remove(id: string, props: Props): Promise<void> {
  const ctx = membershipContext("delete", props, id);
  await guarded(ctx, remember(props), async () => {
    const { gw, settings } = connect("delete");
    const key = membershipKey(props);
    const held = await gw.findMembership(key.organizationId, key.userId);
    if (!held || held.id !== id) return confirmGone(gw, props, settings.instanceId !== undefined, ctx);
    const marker = readMarker(held.private_metadata);
    if (marker?.v === 2 && marker.ownerId !== props["ownerId"])
      throw notOwner({ ...ctx, ...MEMBERSHIP_NOT_OWNER }, held, marker, props["managedBy"] as ManagedBy | undefined);
    const deleted = await gw.deleteMembership(key.organizationId, key.userId).catch((e: unknown) => {
      throw isLastAdmin(e) ? lastAdmin(e, ctx, true) : e;
    });
    if (!deleted) await confirmGone(gw, props, settings.instanceId !== undefined, ctx);
  });
}

/** `runtime().membership.<hook>`: the names stored providers call; keep them. */
export const membershipHooks = { check, diff, create, read, update, remove };
