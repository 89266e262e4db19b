import { fieldsWhere, type FieldTable, type OutputTable } from "../model/fields";
import { isPlainObject } from "./isPlainObject";
import { notJsonMark } from "./markNotJson";
import { secretStringsOf } from "./secretStrings";

/**
 * Numbers of one to three characters in private metadata (`tier: 2`) reveal nothing, and redacting every
 * standalone "2" would garble every message (`users[2]`, `2 attempts`). Longer ones (a PIN) stay secret.
 */
const SHORT_NUMBER = /^-?[0-9.]{1,3}$/;

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
    for (const name of names) {
      for (const s of secretStringsOf(withoutPlaceholders((bag as Record<string, unknown>)[name]))) {
        if (!SHORT_NUMBER.test(s)) out.add(s);
      }
    }
  }
  return [...out];
}

/**
 * The value without `markNotJson`'s placeholders: they stand for what the program passed ("a function"), are
 * check's business, and are not secrets (redacting "a Date" would garble every message that names one).
 */
function withoutPlaceholders(value: unknown): unknown {
  if (notJsonMark(value) !== undefined) return undefined;
  if (Array.isArray(value)) return value.map(withoutPlaceholders);
  if (isPlainObject(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutPlaceholders(v)]));
  return value;
}
