/** Pulumi `diff` for any resource kind, from its field table: which properties changed and which replace. */
import { fieldsWhere, type FieldTable } from "../model/fields";
import { managedWhen, sameFor } from "./compare";
import { containsUnknown } from "./unknown";

/** The answer to Pulumi's `diff`, plus the changed property names for logs and tests. */
export interface ResourceDiff {
  changes: boolean;
  /** Properties whose change needs a new resource (`update: { via: "replace" }`). */
  replaces: string[];
  /** Whether a replacement deletes the old resource before creating the new one. */
  deleteBeforeReplace: boolean;
  /** Changed property names, sorted. */
  detailedChanges: string[];
}

/** Input-like view of either side, indexable by name. */
type Bag = Partial<Record<string, unknown>>;
type Rule = readonly [string, (o: Bag, n: Bag) => boolean];

/**
 * Per property, how the previous state and the new inputs compare, from the field table. Fields managed only
 * when declared are equal whenever the program does not set them; create-only fields never differ once created.
 * Computed outputs are not inputs, so are never compared.
 */
function rulesFor(table: FieldTable, adopted: boolean): readonly Rule[] {
  return Object.entries(table).map(([key, spec]) => {
    const same = sameFor(spec, adopted);
    const rule = spec.createOnly
      ? () => true
      : managedWhen(spec, adopted) === "declared"
        ? (o: Bag, n: Bag) => n[key] === undefined || n[key] === null || same(o[key], n[key])
        : (o: Bag, n: Bag) => same(o[key], n[key]);
    return [key, rule] as const;
  });
}

/**
 * The diff of one kind: compares the previous state (`olds`, the outputs: Clerk's values mapped back to input
 * shape, plus the write-only inputs carried over) with the new checked inputs.
 *
 * - An unknown (preview) value counts as a change.
 * - On an adopted resource (`adopted` in state) a field the program does not declare is never a change.
 * - `syncRequired` in state (a failed update) is a change whatever the program says.
 * - A change to a field Clerk cannot change in place replaces; `deleteBeforeReplace` says whether the old
 *   resource must go first (unique values the new one would collide on).
 */
export function createDiff(
  table: FieldTable,
  opts: { deleteBeforeReplace: boolean },
): (olds: Bag, news: Bag) => ResourceDiff {
  // Indexed by "adopted": an adopted resource's undeclared fields are never compared.
  const rules = { false: rulesFor(table, false), true: rulesFor(table, true) } as const;
  const replaceOnChange: ReadonlySet<string> = new Set(fieldsWhere(table, (f) => f.update.via === "replace"));
  return (o, n) => {
    const changed: string[] = [];
    for (const [key, same] of rules[o["adopted"] === true ? "true" : "false"]) {
      if (containsUnknown(n[key]) || !same(o, n)) changed.push(key);
    }
    // A failed update left state that may not match Clerk: update again, whatever the program says.
    if (o["syncRequired"] === true) changed.push("syncRequired");
    changed.sort();
    const replaces = changed.filter((k) => replaceOnChange.has(k));
    return {
      changes: changed.length > 0,
      replaces,
      deleteBeforeReplace: opts.deleteBeforeReplace && replaces.length > 0,
      detailedChanges: changed,
    };
  };
}
