/** How a resource class turns its args into the property bag it registers: shared by every kind. */
import * as pulumi from "@pulumi/pulumi";
import { markNotJson } from "../logic/markNotJson";
import { fieldNames, fieldsWhere, secretNames, type FieldTable, type OutputTable } from "../model/fields";
import type { ManagedBy } from "../model/UserInputs";

/** Outputs and promises resolve later: their values are marked when they arrive. */
const deferred = (v: unknown): boolean =>
  pulumi.Output.isInstance(v) ||
  (typeof v === "object" && v !== null && typeof (v as { then?: unknown }).then === "function");

/** The value, with every part JSON cannot hold marked for `check` (now, or when an Output resolves). */
export function jsonSafe(value: unknown): unknown {
  if (!deferred(value)) return markNotJson(value, deferred);
  return (pulumi.output(value as pulumi.Input<object>) as pulumi.Output<unknown>).apply((v) =>
    markNotJson(v, deferred),
  );
}

/**
 * The properties of a resource of this kind. Every input name is passed (undefined when not given) so its output
 * exists even when the program left it out; unknown keys are passed too, so check names them; values JSON cannot
 * hold are marked; secret inputs are wrapped in `pulumi.secret`; outputs are declared as undefined.
 */
export function resourceProps(
  fields: FieldTable,
  outputs: OutputTable,
  args: object | undefined,
): Record<string, unknown> {
  const props: Record<string, unknown> = {};
  for (const k of fieldNames(fields)) props[k] = undefined;
  for (const [k, v] of Object.entries(args ?? {})) props[k] = jsonSafe(v);
  for (const k of fieldsWhere(fields, (f) => f.secret === true))
    if (props[k] !== undefined) props[k] = pulumi.secret(props[k]);
  for (const k of fieldNames(outputs)) if (!(k in props)) props[k] = undefined;
  return props;
}

/**
 * What a resource class of a kind hands `super`: its properties plus `managedBy` (the project, stack and name its
 * marker records), and its options with every secret input and output listed in `additionalSecretOutputs`.
 */
export function registration(
  name: string,
  fields: FieldTable,
  outputs: OutputTable,
  args: object | undefined,
  opts: pulumi.CustomResourceOptions | undefined,
): { props: Record<string, unknown>; opts: pulumi.CustomResourceOptions } {
  const managedBy: ManagedBy = { project: pulumi.getProject(), stack: pulumi.getStack(), name };
  return {
    props: { ...resourceProps(fields, outputs, args), managedBy },
    opts: pulumi.mergeOptions(opts, { additionalSecretOutputs: secretNames(fields, outputs) }),
  };
}
