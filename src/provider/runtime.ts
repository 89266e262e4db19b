/**
 * The provider's implementation, loaded by the serialized provider with `require("pulumi-clerk/provider-runtime")`
 * inside the Pulumi host. Keeping the code here (not in the closure) keeps `__provider` a few hundred bytes, and
 * lets every resource in the host share one scheduler and one read batcher per Clerk instance.
 *
 * This path is a stable contract: `pulumi destroy` runs the provider text stored in state at the last `up`.
 */
import type * as pulumi from "@pulumi/pulumi";
import { configureSettings, type ConfigReader } from "../clerk/settings";
import type { ErrorContext } from "../errors/toProviderError";
import { checkInputs } from "../logic/checkInputs";
import { diffUser } from "../logic/diffUser";
import { toOutputs, toReadInputs } from "../logic/toOutputs";
import { readMarker } from "../marker/managedByMarker";
import type { ManagedBy, UserInputs } from "../model/UserInputs";
import type { UserOutputs } from "../model/UserOutputs";
import { createUser } from "./createUser";
import { confirmGone } from "./instanceCheck";
import { notOwner } from "./ownership";
import { extrasOf, inputsOf, ownershipOf, recordDeclared, resourceOf, type Props } from "./props";
import { connect, guarded, keepProvider, logRetry } from "./guarded";
import { redactText, rememberUserSecrets } from "./redaction";
import { updateUser } from "./updateUser";
import { organizationHooks } from "./organizationHooks";
import { membershipHooks } from "./membershipHooks";

/** The hooks of `ClerkOrganization`: `runtime().organization.<hook>`. */
export const organization = organizationHooks;
/** The hooks of `ClerkOrganizationMembership`: `runtime().membership.<hook>`. */
export const membership = membershipHooks;

export async function configure(req: { config: ConfigReader }): Promise<void> {
  configureSettings(req.config);
}

export async function check(olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult> {
  rememberUserSecrets(olds, news);
  const { inputs, failures } = checkInputs(olds, news);
  return { inputs, failures: failures.map((f) => ({ property: f.property, reason: redactText(f.reason) })) };
}

export async function diff(_id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> {
  const d = diffUser(olds as unknown as UserOutputs, news as UserInputs);
  return { changes: d.changes, replaces: d.replaces, deleteBeforeReplace: d.deleteBeforeReplace };
}

/** `guarded` with the ClerkUser secrets of `bags` remembered first. */
function guardedUser<T>(ctx: ErrorContext, bags: Props[], work: () => Promise<T>): Promise<T> {
  return guarded(ctx, () => rememberUserSecrets(...bags), work);
}

export async function create(inputs: Props): Promise<pulumi.dynamic.CreateResult> {
  return guardedUser({ operation: "create", ...resourceOf(inputs) }, [inputs], async () => {
    try {
      const declared = inputsOf(inputs);
      const { id, outs } = await createUser(connect("create").gw, declared, logRetry);
      return { id, outs: recordDeclared(outs, declared) };
    } catch (e) {
      return keepProvider(e, inputs);
    }
  });
}

export async function read(id: string, props: Props): Promise<pulumi.dynamic.ReadResult> {
  // Unreachable, throttled past the budget, 401, 5xx: an error, never "gone". Only a 404 from the instance that
  // holds the user drops it from state.
  const ctx = { operation: "read", userId: id, ...resourceOf(props) };
  return guardedUser(ctx, [props], async () => {
    const { gw, settings } = connect("read");
    const user = await gw.loadUser(id);
    if (!user) {
      await confirmGone(gw, props, settings.instanceId !== undefined, ctx);
      return { id: "", props: {} };
    }
    // Resources created before instance ids were recorded learn theirs here (one request per process).
    const instanceId = typeof props["instanceId"] === "string" ? props["instanceId"] : (await gw.identity()).id;
    const previous = inputsOf(props);
    const adopted = props["adopted"] === true;
    const inputs = toReadInputs(user, previous, adopted);
    const outs = toOutputs(user, inputs, { ...extrasOf(props), ownership: { ...ownershipOf(props), instanceId } });
    return { id, props: recordDeclared(outs, previous), inputs };
  });
}

export async function update(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult> {
  const ctx = { operation: "update", userId: id, ...resourceOf(news) };
  return guardedUser(ctx, [olds, news], () => updateUser(connect("update").gw, id, olds, news, ctx));
}

export async function remove(id: string, props: Props): Promise<void> {
  const ctx = { operation: "delete", userId: id, ...resourceOf(props) };
  await guardedUser(ctx, [props], async () => {
    const { gw, settings } = connect("delete");
    // A user handed over to another resource since is no longer this one's to delete.
    const held = await gw.peekUser(id);
    const marker = held ? readMarker(held.private_metadata) : undefined;
    if (held && marker?.v === 2 && marker.ownerId !== props["ownerId"]) {
      throw notOwner(ctx, held, marker, props["managedBy"] as ManagedBy | undefined);
    }
    // deleteUser resolves false on a 404: gone, once the instance is shown to be the right one.
    if (!(await gw.deleteUser(id))) await confirmGone(gw, props, settings.instanceId !== undefined, ctx);
  });
}
