/**
 * What every hook of every kind shares: the gateway of the configured instance, retry notices on Pulumi's log,
 * and the guard that turns whatever a hook throws into a redacted `ClerkProviderError`.
 */
import type * as pulumi from "@pulumi/pulumi";
import { gatewayFor, type ClerkGateway } from "../clerk/gateway";
import { resolveSettings, type ClerkSettings } from "../clerk/settings";
import { toProviderError, type ErrorContext } from "../errors/toProviderError";
import { redactError, redactText, rememberSecrets } from "./redaction";

/** Retry notices go to Pulumi's log (the host prints them; the engine shows them beside the resource). */
export function logRetry(message: string, level: "warn" | "debug" = "warn"): void {
  const text = redactText(message);
  try {
    // Required lazily: @pulumi/pulumi is the program's own copy (a peer dependency).
    (require("@pulumi/pulumi") as typeof pulumi).log[level](text).catch(() => undefined);
  } catch {
    if (level === "warn") process.stderr.write(`warning: ${text}\n`);
  }
}

/** The gateway of the instance the settings name, for one hook's `operation`; the key is remembered as secret. */
export function connect(operation: string): { gw: ClerkGateway; settings: ClerkSettings } {
  const settings = resolveSettings(operation);
  rememberSecrets([settings.secretKey]);
  return {
    gw: gatewayFor(settings, { log: (m) => logRetry(m), debug: (m) => logRetry(m, "debug") }),
    settings,
  };
}

/**
 * Runs a hook's work so that nothing raw reaches the host: every error becomes a `ClerkProviderError`, with the
 * secrets `remember` records (and every secret this process has seen) redacted from all its text.
 */
export async function guarded<T>(ctx: ErrorContext, remember: () => void, work: () => Promise<T>): Promise<T> {
  remember();
  try {
    return await work();
  } catch (e) {
    throw redactError(toProviderError(e, ctx));
  }
}

/**
 * A partial create's properties become the stored outputs verbatim: without `__provider`, every later read or
 * delete of that resource would fail in the host. Rethrows `e` with it added.
 */
export function keepProvider(e: unknown, inputs: Record<string, unknown>): never {
  const partial = e as { id?: unknown; properties?: Record<string, unknown> };
  if (partial.id && partial.properties) partial.properties["__provider"] = inputs["__provider"];
  throw e;
}
