/**
 * The hooks of `ClerkOrganization`, exported by the provider runtime as `organization` (decision 0001).
 *
 * check  -> pure (field table)
 * create -> GET /instance (once), POST /organizations (adopt, recovery: GET /organizations/{slug})
 * read   -> GET /organizations/{id}
 * update -> GET /organizations/{id}, PATCH /organizations/{id}, PUT /organizations/{id}/metadata
 * delete -> GET /organizations/{id}, DELETE /organizations/{id}
 */
import type * as pulumi from "@pulumi/pulumi";
import {
  checkOrganization,
  diffOrganization,
  organizationOutputs,
  organizationReadInputs,
} from "../logic/organizations";
import { readMarker } from "../marker/managedByMarker";
import { ORGANIZATION_FIELDS, ORGANIZATION_OUTPUTS, type OrganizationInputs } from "../model/organization";
import type { ManagedBy } from "../model/UserInputs";
import { connect, guarded, keepProvider, logRetry } from "./guarded";
import { confirmGone } from "./instanceCheck";
import { createOrganization } from "./organizationCreate";
import { ORGANIZATION_NOT_OWNER, organizationContext } from "./organizationSupport";
import { ORGANIZATION_INPUT_KEYS, updateOrganization } from "./organizationUpdate";
import { notOwner } from "./ownership";
import { inputsOf, ownershipOf, recordDeclared, type Props } from "./props";
import { redactText, rememberSecretsOf } from "./redaction";

const remember =
  (...bags: Props[]) =>
  () =>
    rememberSecretsOf(ORGANIZATION_FIELDS, ORGANIZATION_OUTPUTS, ...bags);

async function check(olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult> {
  remember(olds, news)();
  const { inputs, findings } = checkOrganization(news);
  return { inputs, failures: findings.map((f) => ({ property: f.property, reason: redactText(f.reason) })) };
}

async function diff(_id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> {
  const d = diffOrganization(olds, news);
  return { changes: d.changes, replaces: d.replaces, deleteBeforeReplace: d.deleteBeforeReplace };
}

async function create(inputs: Props): Promise<pulumi.dynamic.CreateResult> {
  const ctx = organizationContext("create", inputs);
  return guarded(ctx, remember(inputs), async () => {
    try {
      const declared = inputsOf(inputs, ORGANIZATION_INPUT_KEYS) as OrganizationInputs;
      return await createOrganization(connect("create").gw, declared, ctx, logRetry);
    } catch (e) {
      return keepProvider(e, inputs);
    }
  });
}

/** Unreachable, throttled, 401, 403, 5xx: an error, never "gone". Only a 404 from the instance that holds it. */
async function read(id: string, props: Props): Promise<pulumi.dynamic.ReadResult> {
  const ctx = organizationContext("read", props, id);
  return guarded(ctx, remember(props), async () => {
    const { gw, settings } = connect("read");
    const org = await gw.getOrganization(id);
    if (!org) {
      await confirmGone(gw, props, settings.instanceId !== undefined, ctx);
      return { id: "", props: {} };
    }
    const instanceId = typeof props["instanceId"] === "string" ? props["instanceId"] : (await gw.identity()).id;
    const previous = inputsOf(props, ORGANIZATION_INPUT_KEYS);
    const inputs = organizationReadInputs(org, previous, props["adopted"] === true);
    const outs = organizationOutputs(org, inputs, { ...ownershipOf(props), instanceId });
    return { id, props: recordDeclared(outs, previous), inputs };
  });
}

async function update(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult> {
  const ctx = organizationContext("update", news, id);
  return guarded(ctx, remember(olds, news), () => updateOrganization(connect("update").gw, id, olds, news, ctx));
}

/** Deletes the organization (Clerk deletes its memberships with it), unless another resource owns it now. */
async function remove(id: string, props: Props): Promise<void> {
  const ctx = organizationContext("delete", props, id);
  await guarded(ctx, remember(props), async () => {
    const { gw, settings } = connect("delete");
    const held = await gw.getOrganization(id);
    const marker = held ? readMarker(held.private_metadata) : undefined;
    if (held && marker?.v === 2 && marker.ownerId !== props["ownerId"])
      throw notOwner({ ...ctx, ...ORGANIZATION_NOT_OWNER }, held, marker, props["managedBy"] as ManagedBy | undefined);
    // A 404 (before or at the delete) is "gone", once the instance is shown to be the right one.
    if (!held || !(await gw.deleteOrganization(id)))
      await confirmGone(gw, props, settings.instanceId !== undefined, ctx);
  });
}

/** `runtime().organization.<hook>`: the names stored providers call; keep them. */
export const organizationHooks = { check, diff, create, read, update, remove };
