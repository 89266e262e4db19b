/**
 * The provider host's memory of secrets: every secret input (of any kind's table), generated password and secret
 * key a hook has seen in this process (one deployment). Every text the provider hands the host (error messages, stacks and
 * reasons, retry and warning log lines, check failures) passes through `redactText`, so a value Clerk echoes
 * back, in any resource's message, comes out as `[redacted]`.
 */
import { ClerkProviderError } from "../errors/ClerkProviderError";
import { createRedactor, type Redactor } from "../logic/redact";
import { secretValuesOf } from "../logic/secretValues";
import type { FieldTable, OutputTable } from "../model/fields";
import { USER_FIELDS, USER_OUTPUTS } from "../model/user";

const known = new Set<string>();
/** Names of the resources seen (their project, stack and name are in their URNs): see logic/publicTexts.ts. */
const publics = new Set<string>();
let redactor: Redactor | undefined;

/** Adds secrets to remember; the redactor is rebuilt lazily, when text is next redacted. */
export function rememberSecrets(values: Iterable<string>): void {
  for (const v of values) {
    if (typeof v !== "string" || v === "" || known.has(v)) continue;
    known.add(v);
    redactor = undefined;
  }
}

/**
 * Remembers the secret fields and outputs (as the kind's tables name them) of property bags (inputs, state), and
 * the names in their `managedBy`, which are public.
 */
export function rememberSecretsOf(fields: FieldTable, outputs: OutputTable, ...bags: unknown[]): void {
  rememberSecrets(secretValuesOf(fields, outputs, ...bags));
  for (const bag of bags) {
    const managedBy = (bag as { managedBy?: unknown } | null | undefined)?.managedBy;
    if (typeof managedBy !== "object" || managedBy === null) continue;
    for (const v of Object.values(managedBy)) {
      if (typeof v !== "string" || v === "" || publics.has(v)) continue;
      publics.add(v);
      redactor = undefined;
    }
  }
}

/** Remembers the secret fields and outputs of ClerkUser property bags (inputs, state). */
export function rememberUserSecrets(...bags: unknown[]): void {
  rememberSecretsOf(USER_FIELDS, USER_OUTPUTS, ...bags);
}

export function redactText(text: string): string {
  if (known.size === 0) return text;
  redactor ??= createRedactor(known, publics);
  return redactor.redact(text);
}

/**
 * The error with every text the host reads redacted (`message`, `stack`, `reasons`, and the fields that build
 * the message), and without its `cause`: the SDK's error keeps Clerk's raw answer, echoes included.
 */
export function redactError<E extends ClerkProviderError>(e: E): E {
  const writable = e as unknown as Record<string, unknown>;
  for (const key of ["message", "stack", "longMessage", "detail", "field"]) {
    const v = writable[key];
    if (typeof v === "string") writable[key] = redactText(v);
  }
  const reasons = writable["reasons"];
  if (Array.isArray(reasons)) writable["reasons"] = reasons.map((r) => (typeof r === "string" ? redactText(r) : r));
  delete writable["cause"];
  return e;
}
