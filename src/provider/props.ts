/** Reading the host's property bags (checked inputs, or state outputs) into the shapes the logic takes. */
import type { OutputExtras } from "../logic/toOutputs";
import type { Ownership } from "../marker/managedByMarker";
import { USER_INPUT_KEYS, type UserInputs } from "../model/UserInputs";
import type { UserOutputs } from "../model/UserOutputs";

export type Props = Record<string, unknown>;

export function resourceOf(props: Props): { resource?: string } {
  const m = props["managedBy"] as { name?: unknown } | undefined;
  return typeof m?.name === "string" ? { resource: m.name } : {};
}

/**
 * The inputs part of a property bag: the checked inputs, or the declared inputs recorded in state outputs.
 * `inputNames` are the kind's inputs (default: ClerkUser's), for state that records none.
 */
export function inputsOf(props: Props): UserInputs;
export function inputsOf(props: Props, inputNames: readonly string[]): Props;
export function inputsOf(props: Props, inputNames: readonly string[] = USER_INPUT_KEYS): Props {
  const declared = props["declaredInputs"];
  const names: readonly string[] = Array.isArray(declared) ? (declared as string[]) : inputNames;
  const out: Props = {};
  for (const k of names) if (props[k] !== undefined && props[k] !== null) out[k] = props[k];
  return out;
}

/** Records which inputs were declared, so a later refresh can rebuild exactly those. */
export function recordDeclared<O extends UserOutputs | Props>(outs: O, inputs: object): O {
  return { ...outs, declaredInputs: Object.keys(inputs).sort() };
}

/** The resource's claim as the state records it (nothing for state written before ownership ids). */
export function ownershipOf(state: Props): Partial<Ownership> {
  const out: Partial<Ownership> = {};
  if (typeof state["ownerId"] === "string") out.ownerId = state["ownerId"];
  if (typeof state["instanceId"] === "string") out.instanceId = state["instanceId"];
  if (typeof state["adopted"] === "boolean") out.adopted = state["adopted"];
  return out;
}

/** State the provider carries over from one operation to the next. */
export function extrasOf(state: Props): OutputExtras {
  const generated = state["generatedPassword"];
  return typeof generated === "string" ? { generatedPassword: generated } : {};
}
