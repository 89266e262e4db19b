import { fieldsWhere, type FieldTable, type OutputTable } from "../model/fields";
import { secretStringsOf } from "./redact";

/**
 * Every string the secret fields and secret outputs of `bags` (inputs, previous state, new inputs) can be
 * echoed as, from the field table: what the redactor must remove from any text about these resources.
 */
export function secretValuesOf(fields: FieldTable, outputs: OutputTable, ...bags: unknown[]): string[] {
  const names = [
    ...fieldsWhere(fields, (f) => f.secret === true),
    ...Object.keys(outputs).filter((k) => outputs[k]?.secret),
  ];
  const out = new Set<string>();
  for (const bag of bags) {
    if (typeof bag !== "object" || bag === null) continue;
    for (const name of names) for (const s of secretStringsOf((bag as Record<string, unknown>)[name])) out.add(s);
  }
  return [...out];
}
