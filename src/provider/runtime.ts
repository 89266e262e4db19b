/**
 * The provider's implementation, loaded by the serialized provider with `require("pulumi-clerk/provider-runtime")`
 * inside the Pulumi host. Keeping the code here (not in the closure) keeps `__provider` a few hundred bytes, and
 * lets every resource in the host share one scheduler and one read batcher per Clerk instance.
 *
 * This path is a stable contract: `pulumi destroy` runs the provider text stored in state at the last `up`.
 */
import type * as pulumi from "@pulumi/pulumi";
import { gatewayFor, type ClerkGateway } from "../clerk/gateway";
import { configureSettings, resolveSettings, type ConfigReader } from "../clerk/settings";
import { toProviderError, type ErrorContext } from "../errors/toProviderError";
import { checkInputs } from "../logic/checkInputs";
import { diffUser } from "../logic/diffUser";
import { planUpdate } from "../logic/planUpdate";
import { toOutputs, toReadInputs } from "../logic/toOutputs";
import { USER_INPUT_KEYS, type UserInputs } from "../model/UserInputs";
import type { UserOutputs } from "../model/UserOutputs";
import { applyPlan, userGone } from "./applyPlan";
import { redactError, redactText, rememberSecrets, rememberUserSecrets } from "./redaction";
import { createUser, generatePassword } from "./createUser";

type Props = Record<string, unknown>;

/** Retry notices go to Pulumi's log (the host prints them; the engine shows them beside the resource). */
function logRetry(message: string): void {
  const text = redactText(message);
  try {
    // Required lazily: @pulumi/pulumi is the program's own copy (a peer dependency).
    (require("@pulumi/pulumi") as typeof pulumi).log.warn(text).catch(() => undefined);
  } catch {
    process.stderr.write(`warning: ${text}\n`);
  }
}

function gateway(operation: string): ClerkGateway {
  const settings = resolveSettings(operation);
  rememberSecrets([settings.secretKey]);
  return gatewayFor(settings, { log: logRetry });
}

function resourceOf(props: Props): { resource?: string } {
  const m = props["managedBy"] as { name?: unknown } | undefined;
  return typeof m?.name === "string" ? { resource: m.name } : {};
}

/** The inputs part of a property bag: the checked inputs, or the declared inputs recorded in state outputs. */
function inputsOf(props: Props): UserInputs {
  const declared = props["declaredInputs"];
  const names: readonly string[] = Array.isArray(declared) ? (declared as string[]) : USER_INPUT_KEYS;
  const out: Props = {};
  for (const k of names) if (props[k] !== undefined && props[k] !== null) out[k] = props[k];
  return out as UserInputs;
}

/** Records which inputs were declared, so a later refresh can rebuild exactly those. */
function recordDeclared(outs: UserOutputs, inputs: UserInputs): UserOutputs {
  return { ...outs, declaredInputs: Object.keys(inputs).sort() };
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
      const { id, outs } = await createUser(gateway("create"), declared);
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
  // Unreachable, throttled past the budget, 401, 5xx: an error, never "gone". Only a 404 drops state.
  return guarded({ operation: "read", userId: id, ...resourceOf(props) }, [props], async () => {
    const user = await gateway("read").loadUser(id);
    if (!user) return { id: "", props: {} };
    const previous = inputsOf(props);
    const inputs = toReadInputs(user, previous);
    const generated = props["generatedPassword"];
    const outs = toOutputs(user, inputs, typeof generated === "string" ? { generatedPassword: generated } : {});
    return { id, props: recordDeclared(outs, previous), inputs };
  });
}

export async function update(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult> {
  const ctx = { operation: "update", userId: id, ...resourceOf(news) };
  return guarded(ctx, [olds, news], async () => {
    const gw = gateway("update");
    const inputs = inputsOf(news);
    let generated = typeof olds["generatedPassword"] === "string" ? (olds["generatedPassword"] as string) : undefined;
    const current = await gw.getUser(id);
    if (!current)
      throw userGone(
        ctx,
        "the user was deleted outside Pulumi; run `pulumi refresh` to drop it from state, then `pulumi up`",
      );
    let desired = inputs;
    if (inputs.generatePassword && !inputs.password && !inputs.passwordDigest && !generated) {
      generated = generatePassword();
      desired = { ...inputs, password: generated };
    }
    const user = await applyPlan(gw, id, planUpdate(current, olds as unknown as UserOutputs, desired));
    return { outs: recordDeclared(toOutputs(user, inputs, generated ? { generatedPassword: generated } : {}), inputs) };
  });
}

export async function remove(id: string, props: Props): Promise<void> {
  // deleteUser resolves false on a 404: already gone is success.
  await guarded({ operation: "delete", userId: id, ...resourceOf(props) }, [props], () =>
    gateway("delete").deleteUser(id),
  );
}
