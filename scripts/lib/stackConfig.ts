/**
 * Reads a `Pulumi.<stack>.yaml` into the flat config map the Pulumi CLI hands a program: namespaced keys,
 * structured values as JSON text, secrets marked. Encrypted (`secure:`) values cannot be decrypted without the
 * stack's secrets provider, so they are taken from `secrets` (throwaway values for local runs) or left out.
 */
import * as fs from "node:fs";
import * as YAML from "yaml";

/** Same shape as the harness's ConfigValue: plain text, or `{secret}`. */
export type StackConfigValue = string | { secret: string };

export function readStackConfig(file: string, secrets: Record<string, string> = {}): Record<string, StackConfigValue> {
  const doc = YAML.parse(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | null;
  const out: Record<string, StackConfigValue> = {};
  for (const [key, value] of Object.entries(doc?.config ?? {})) {
    if (typeof value === "object" && value !== null && !Array.isArray(value) && "secure" in value) {
      const replacement = secrets[key];
      if (replacement !== undefined) out[key] = { secret: replacement };
      continue;
    }
    out[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  for (const [key, value] of Object.entries(secrets)) if (!(key in out)) out[key] = { secret: value };
  return out;
}

/** The structured value of a key (`pulumi-clerk:users`) from such a map. */
export function structured<T>(config: Record<string, StackConfigValue>, key: string): T {
  const v = config[key];
  if (typeof v !== "string") throw new Error(`config ${key} is not a plain structured value`);
  return JSON.parse(v) as T;
}
