import type { FieldTable } from "../model/fields";
import { IDENTIFIER_WIRE, type ClerkUserJSON } from "../model/wire";
import type { IdentifierKind } from "./identifiers";

/** One identifier as Clerk holds it. */
export interface HeldIdentifier {
  id: string;
  value: string;
}

/** An identifier field of a table, with what Clerk holds for it. */
export interface HeldIdentifiers {
  field: string;
  kind: IdentifierKind;
  primaryId: string | null;
  held: HeldIdentifier[];
}

/** The identifier lists of `table` (in its order) as Clerk holds them on `user`. */
export function heldIdentifiers(table: FieldTable, user: ClerkUserJSON): HeldIdentifiers[] {
  const out: HeldIdentifiers[] = [];
  for (const [field, spec] of Object.entries(table)) {
    if (spec.rule?.kind !== "identifier") continue;
    const kind = spec.rule.identifier;
    const wire = IDENTIFIER_WIRE[kind];
    const items = (user[wire.list] ?? []) as unknown as Record<string, unknown>[];
    out.push({
      field,
      kind,
      primaryId: (user[wire.primaryId] as string | null | undefined) ?? null,
      held: items.map((item) => ({ id: item["id"] as string, value: item[wire.value] as string })),
    });
  }
  return out;
}
