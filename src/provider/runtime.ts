/**
 * The provider's implementation, loaded by the serialized provider with `require("pulumi-clerk/provider-runtime")`
 * inside the Pulumi host. Keeping the code here (not in the closure) keeps `__provider` a few hundred bytes, and
 * lets every resource in the host share one scheduler and one read batcher per Clerk instance.
 *
 * This path is a stable contract: `pulumi destroy` runs the provider text stored in state at the last `up`.
 */
import type * as pulumi from "@pulumi/pulumi";
import { isNotFound } from "../clerk/clerkApiError";
import { gatewayFor, type ClerkGateway } from "../clerk/gateway";
import { configureSettings, resolveSettings, type ConfigReader } from "../clerk/settings";
import { ClerkProviderError, ErrorCode } from "../errors/ClerkProviderError";
import { toProviderError } from "../errors/toProviderError";
import { checkInputs } from "../logic/checkInputs";
import { diffUser } from "../logic/diffUser";
import { planUpdate } from "../logic/planUpdate";
import { toOutputs, toReadInputs } from "../logic/toOutputs";
import { USER_INPUT_KEYS, type UserInputs } from "../model/UserInputs";
import type { UserOutputs } from "../model/UserOutputs";
import { applyPlan } from "./applyPlan";
import { createUser, generatePassword } from "./createUser";

type Props = Record<string, unknown>;

/** Retry notices go to Pulumi's log (the host prints them; the engine shows them beside the resource). */
function logRetry(message: string, level: "warn" | "debug" = "warn"): void {
  try {
    // Required lazily: @pulumi/pulumi is the program's own copy (a peer dependency).
    (require("@pulumi/pulumi") as typeof pulumi).log[level](message).catch(() => undefined);
  } catch {
    if (level === "warn") process.stderr.write(`warning: ${message}\n`);
  }
}

function gateway(operation: string): ClerkGateway {
  return gatewayFor(resolveSettings(operation), { log: logRetry, debug: (m) => logRetry(m, "debug") });
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
  const { inputs, failures } = checkInputs(olds, news);
  return { inputs, failures };
}

export async function diff(_id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> {
  const d = diffUser(olds as unknown as UserOutputs, news as UserInputs);
  return { changes: d.changes, replaces: d.replaces, deleteBeforeReplace: d.deleteBeforeReplace };
}

export async function create(inputs: Props): Promise<pulumi.dynamic.CreateResult> {
  const gw = gateway("create");
  try {
    const declared = inputsOf(inputs);
    const { id, outs } = await createUser(gw, declared);
    return { id, outs: recordDeclared(outs, declared) };
  } catch (e) {
    // A partial create's properties become the stored outputs verbatim: without `__provider`, every later
    // read or delete of that resource would fail in the host.
    const partial = e as { id?: unknown; properties?: Record<string, unknown> };
    if (partial.id && partial.properties) partial.properties["__provider"] = inputs["__provider"];
    throw e;
  }
}

export async function read(id: string, props: Props): Promise<pulumi.dynamic.ReadResult> {
  const gw = gateway("read");
  let user;
  try {
    user = await gw.loadUser(id);
  } catch (e) {
    // Unreachable, throttled past the budget, 401, 5xx: an error, never "gone". Only a 404 drops state.
    throw toProviderError(e, { operation: "read", userId: id, ...resourceOf(props) });
  }
  if (!user) return { id: "", props: {} };
  const previous = inputsOf(props);
  const inputs = toReadInputs(user, previous);
  const generated = props["generatedPassword"];
  const outs = toOutputs(user, inputs, typeof generated === "string" ? { generatedPassword: generated } : {});
  return { id, props: recordDeclared(outs, previous), inputs };
}

export async function update(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult> {
  const gw = gateway("update");
  const ctx = { operation: "update", userId: id, ...resourceOf(news) };
  const inputs = inputsOf(news);
  const oldOuts = olds as unknown as UserOutputs;
  let generated = typeof olds["generatedPassword"] === "string" ? (olds["generatedPassword"] as string) : undefined;
  try {
    const current = await gw.getUser(id);
    if (!current) {
      throw new ClerkProviderError({
        ...ctx,
        code: ErrorCode.ClerkApi,
        status: 404,
        clerkCode: "resource_not_found",
        detail: "the user was deleted outside Pulumi; run `pulumi refresh` to drop it from state, then `pulumi up`",
      });
    }
    let desired = inputs;
    if (inputs.generatePassword && !inputs.password && !inputs.passwordDigest && !generated) {
      generated = generatePassword();
      desired = { ...inputs, password: generated };
    }
    const user = await applyPlan(gw, id, planUpdate(current, oldOuts, desired));
    return { outs: recordDeclared(toOutputs(user, inputs, generated ? { generatedPassword: generated } : {}), inputs) };
  } catch (e) {
    throw toProviderError(e, ctx);
  }
}

export async function remove(id: string, props: Props): Promise<void> {
  const gw = gateway("delete");
  try {
    await gw.deleteUser(id); // a 404 resolves false: already gone is success
  } catch (e) {
    if (isNotFound(e)) return;
    throw toProviderError(e, { operation: "delete", userId: id, ...resourceOf(props) });
  }
}
