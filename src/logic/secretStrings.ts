/** What a secret value can be echoed as: the strings the redactor must look for. Pure. */

/**
 * Every string a secret input can be echoed as: its string leaves (backup code lists, private metadata values),
 * the decimal form of its number and bigint leaves (a PIN is a secret too), valid Dates as ISO strings, and the
 * compact JSON serialisation of every non-empty object and array in it (an echo of the whole value). Booleans and null are
 * not collected: one bit reveals nothing, and redacting every `true` would shred messages. Object keys are
 * names, not values, and are not collected either. Never throws: cycles, BigInt and other non-JSON values are
 * walked, not serialised blindly.
 */
export function secretStringsOf(value: unknown): string[] {
  const out = new Set<string>();
  const seen = new Set<object>();
  const visit = (v: unknown): void => {
    if (typeof v === "string") out.add(v);
    else if (typeof v === "number") {
      if (Number.isFinite(v)) out.add(String(v));
    } else if (typeof v === "bigint") out.add(String(v));
    else if (typeof v === "object" && v !== null) {
      if (seen.has(v)) return;
      seen.add(v);
      if (v instanceof Date) {
        if (!Number.isNaN(v.getTime())) out.add(v.toISOString());
        return;
      }
      if (v instanceof String || v instanceof Number || v instanceof BigInt) return visit(v.valueOf());
      if (v instanceof Map || v instanceof Set) return v.forEach((x: unknown) => visit(x)); // their JSON is "{}"
      const json = safeStringify(v);
      if (json !== undefined && json !== "{}" && json !== "[]") out.add(json); // empty ones reveal nothing
      if (Array.isArray(v)) v.forEach(visit);
      else for (const key of Object.keys(v)) visit((v as Record<string, unknown>)[key]);
    }
  };
  visit(value);
  out.delete("");
  return [...out];
}

function safeStringify(v: object): string | undefined {
  try {
    const json = JSON.stringify(v);
    return typeof json === "string" ? json : undefined;
  } catch {
    return undefined; // a cycle or a BigInt: the leaves still count
  }
}
