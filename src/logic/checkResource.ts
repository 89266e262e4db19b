/**
 * Pulumi `check` for any resource kind, driven by its field table: unknown inputs (with a did-you-mean), the
 * per-field checks, then the kind's own rules that span fields. Each kind's `check` is this plus its rules.
 */
import { fieldNames, type FieldTable } from "../model/fields";
import { checkFields } from "./checkFields";
import type { Fail, Finding } from "./checkTypes";
import { isPlainObject } from "./isPlainObject";
import { suggestName } from "./suggest";

/** A resource kind as `check` sees it. */
export interface CheckedKind {
  /** The class name, for messages: `"x" is not a ClerkUser input`. */
  name: string;
  fields: FieldTable;
  /** Rules that span fields, run after the per-field checks. */
  rules?: (inputs: Record<string, unknown>, fail: Fail) => void;
}

const PROVIDER_KEY = "__provider";

/**
 * Validates a resource's resolved inputs. Every problem is reported at once, each naming its property, so a
 * program is fixed in one pass instead of one Clerk 422 at a time. Never throws: during preview any value may be
 * Pulumi's unknown sentinel, and checks needing that value are skipped.
 *
 * Returned inputs are `news` with `undefined` and `null` scalars removed (the host cannot encode `undefined`;
 * `null` means "not set" for every non-metadata input) and everything else, `__provider` included, untouched:
 * no trimming, no case folding, no reordering.
 */
export function checkResource(
  kind: CheckedKind,
  news: Record<string, unknown>,
): { inputs: Record<string, unknown>; findings: Finding[] } {
  const names = fieldNames(kind.fields);
  const known: ReadonlySet<string> = new Set(names);
  // Inputs for which `null` is a value to check rather than "not set".
  const nullChecked: ReadonlySet<string> = new Set(names.filter((k) => kind.fields[k]!.type === "jsonObject"));
  const findings: Finding[] = [];
  const inputs: Record<string, unknown> = {};
  const fail: Fail = (property, reason, rule) => findings.push({ property, reason, rule });
  try {
    const source: Record<string, unknown> = isPlainObject(news) ? news : {};
    for (const [key, value] of Object.entries(source)) {
      if (value === undefined) continue;
      if (key === PROVIDER_KEY) {
        inputs[key] = value;
        continue;
      }
      if (value === null && !nullChecked.has(key)) continue;
      inputs[key] = value;
      if (!known.has(key)) {
        const suggestion = suggestName(key, names);
        fail(
          key,
          `"${key}" is not a ${kind.name} input${suggestion ? `; did you mean "${suggestion}"?` : ""}`,
          "unknown_field",
        );
      }
    }
    checkFields(kind.fields, inputs, fail);
    kind.rules?.(inputs, fail);
  } catch {
    // Defensive only (e.g. a getter that throws): report instead of crashing the host, without details that
    // could carry a secret.
    fail("", "the inputs could not be validated (unexpected value shape)", "type");
  }
  return { inputs, findings };
}
