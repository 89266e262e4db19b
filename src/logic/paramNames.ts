import type { FieldTable } from "../model/fields";
import { IDENTIFIER_WIRE } from "../model/wire";

const snake = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * Clerk's snake_case parameter names (as `meta.param_name` blames them) mapped to the input that carries them:
 * each field's own name, create name and wire name, and for identifier lists the ids Clerk uses for them.
 */
export function paramIndex(table: FieldTable): ReadonlyMap<string, string> {
  const index = new Map<string, string>();
  for (const [key, spec] of Object.entries(table)) {
    const names = [snake(key), spec.wire, spec.create ? snake(spec.create) : undefined];
    if (spec.rule?.kind === "identifier") {
      const wire = IDENTIFIER_WIRE[spec.rule.identifier];
      names.push(wire.value, `${wire.value}_id`, wire.primaryId);
    }
    for (const n of names) if (n && !index.has(n)) index.set(n, key);
  }
  return index;
}
