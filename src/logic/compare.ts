/** How each kind of comparison in a field table judges two values of one field: shared by diff and plan. */
import { stripMarker } from "../marker/managedByMarker";
import type { FieldSpec } from "../model/fields";
import { blankToUndefined, limitOrZero, metadataOrEmpty } from "./fieldValues";
import { holdsIdentifiers, sameIdentifiers } from "./identifiers";
import { jsonEquals } from "./jsonEquals";
import { sameInstant } from "./rfc3339";

/** Compares two values of one property; true when equal. */
export type Same = (a: unknown, b: unknown) => boolean;

const withoutMarker = (v: unknown) => stripMarker(metadataOrEmpty(v));

/** How each kind of comparison in the field table judges two values. */
export function sameFor(spec: FieldSpec, adopted = false): Same {
  switch (spec.compare) {
    case "identifiers": {
      const kind = spec.rule?.kind === "identifier" ? spec.rule.identifier : "email";
      return (a, b) => {
        const x = stringList(a);
        const y = stringList(b);
        // A malformed value (check reports it) only needs to compare unequal, never to throw.
        if (x === null || y === null) return jsonEquals(a ?? null, b ?? null);
        // On an adopted user a declared list is what must be there, not all there is (decision 0011).
        return adopted ? holdsIdentifiers(kind, x, y) : sameIdentifiers(kind, x, y, kind === "email");
      };
    }
    case "blank":
      return (a, b) => blankToUndefined(a) === blankToUndefined(b);
    case "falseIfAbsent":
      return (a, b) => (a === true) === (b === true);
    case "metadata":
      return spec.holdsMarker
        ? (a, b) => jsonEquals(withoutMarker(a), withoutMarker(b))
        : (a, b) => jsonEquals(metadataOrEmpty(a), metadataOrEmpty(b));
    case "json":
      return (a, b) => jsonEquals(a ?? null, b ?? null);
    case "unordered":
      return (a, b) => jsonEquals(sortedCodes(a), sortedCodes(b));
    case "instant":
      return sameInstant;
    case "strict":
      return (a, b) => a === b;
    case "zeroIfAbsent":
      return (a, b) => limitOrZero(a) === limitOrZero(b);
  }
}

function stringList(value: unknown): string[] | undefined | null {
  if (value === undefined || value === null) return undefined;
  return Array.isArray(value) && value.every((v) => typeof v === "string") ? (value as string[]) : null;
}

function sortedCodes(value: unknown): unknown[] | null {
  return Array.isArray(value) ? [...(value as unknown[])].map(String).sort() : null;
}

/**
 * Whether silence in the program clears a field. On an adopted user (one that existed before the resource took
 * it over) every field Clerk holds is managed only when declared: adoption never wipes what it does not name.
 */
export function managedWhen(spec: FieldSpec, adopted: boolean): "always" | "declared" {
  return adopted && (spec.wire !== undefined || spec.compare === "identifiers") ? "declared" : spec.managed;
}
