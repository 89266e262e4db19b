/**
 * The provider's implementation, loaded by the serialized provider with `require("pulumi-clerk/provider-runtime")`
 * inside the Pulumi host. Keeping the code here (not in the closure) keeps `__provider` a few hundred bytes, and
 * lets every resource in the host share one scheduler and one read batcher per Clerk instance.
 *
 * This path is a stable contract: `pulumi destroy` runs the provider text stored in state at the last `up`.
 */
import type * as pulumi from "@pulumi/pulumi";
import { gatewayFor, type ClerkGateway } from "../clerk/gateway";
import { configureSettings, resolveSettings, type ClerkSettings, type ConfigReader } from "../clerk/settings";
import { toProviderError, type ErrorContext } from "../errors/toProviderError";
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
import { redactError, redactText, rememberSecrets, rememberUserSecrets } from "./redaction";
import { updateUser } from "./updateUser";

/** Retry notices go to Pulumi's log (the host prints them; the engine shows them beside the resource). */
function logRetry(message: string, level: "warn" | "debug" = "warn"): void {
  const text = redactText(message);
  try {
    // Required lazily: @pulumi/pulumi is the program's own copy (a peer dependency).
    (require("@pulumi/pulumi") as typeof pulumi).log[level](text).catch(() => undefined);
  } catch {
    if (level === "warn") process.stderr.write(`warning: ${text}\n`);
  }
}

function connect(operation: string): { gw: ClerkGateway; settings: ClerkSettings } {
  const settings = resolveSettings(operation);
  rememberSecrets([settings.secretKey]);
  return {
    gw: gatewayFor(settings, { log: (m) => logRetry(m), debug: (m) => logRetry(m, "debug") }),
    settings,
  };
}

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

/**
 * Runs a hook's work so that nothing raw reaches the host: every error becomes a `ClerkProviderError`, with the
 * secrets of `bags` (and every secret this process has seen) redacted from all its text.
 */
async function guarded<T>(ctx: ErrorContext, bags: Props[], work: () => Promise<T>): Promise<T> {
  rememberUserSecrets(...bags);
  try {
    return await work();
  } catch (e) {
    throw redactError(toProviderError(e, ctx));
  }
}

export async function create(inputs: Props): Promise<pulumi.dynamic.CreateResult> {
  return guarded({ operation: "create", ...resourceOf(inputs) }, [inputs], async () => {
    try {
      const declared = inputsOf(inputs);
      const { id, outs } = await createUser(connect("create").gw, declared, logRetry);
      return { id, outs: recordDeclared(outs, declared) };
    } catch (e) {
      // A partial create's properties become the stored outputs verbatim: without `__provider`, every later
      // read or delete of that resource would fail in the host.
      const partial = e as { id?: unknown; properties?: Record<string, unknown> };
      if (partial.id && partial.properties) partial.properties["__provider"] = inputs["__provider"];
      throw e;
    }
  });
}

export async function read(id: string, props: Props): Promise<pulumi.dynamic.ReadResult> {
  // Unreachable, throttled past the budget, 401, 5xx: an error, never "gone". Only a 404 from the instance that
  // holds the user drops it from state.
  const ctx = { operation: "read", userId: id, ...resourceOf(props) };
  return guarded(ctx, [props], async () => {
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
  return guarded(ctx, [olds, news], () => updateUser(connect("update").gw, id, olds, news, ctx));
}

export async function remove(id: string, props: Props): Promise<void> {
  const ctx = { operation: "delete", userId: id, ...resourceOf(props) };
  await guarded(ctx, [props], async () => {
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
