import { PASSWORD_MIN_LENGTH } from "../logic/checkInputs";
import type { ConfigProblem } from "./ConfigError";
import type { UserEntry } from "./parseUsersConfig";

/** What a config lookup tells the password check; the value itself never reaches a message. */
export interface SecretLookup {
  /** The fully namespaced key (`pulumi-clerk:qaAdminPassword`). */
  fullKey: string;
  value: string | undefined;
  secret: boolean;
}

/** `qaAdminPassword` → `<project>:qaAdminPassword`; an already namespaced key is kept. */
export function fullConfigKey(project: string, key: string): string {
  return key.includes(":") ? key : `${project}:${key}`;
}

/**
 * Checks every `passwordSecret` against the stack config before anything is created: the key exists, is a
 * secret, and holds a password Clerk accepts (≥ 8 characters unless `skipPasswordChecks`).
 */
export function checkPasswordSecrets(
  entries: readonly UserEntry[],
  lookup: (key: string) => SecretLookup,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const e of entries) {
    if (e.passwordSecret === undefined) continue;
    const { fullKey, value, secret } = lookup(e.passwordSecret);
    const setIt = `\`pulumi config set --secret ${e.passwordSecret} <password>\``;
    const fail = (message: string): void => void problems.push({ entry: e.label, field: "passwordSecret", message });
    if (value === undefined) fail(`names config key "${fullKey}", which is not set: run ${setIt}`);
    else if (!secret) fail(`names config key "${fullKey}", which is not a secret: set it again with ${setIt}`);
    else if (e.args.skipPasswordChecks !== true && [...value].length < PASSWORD_MIN_LENGTH)
      fail(
        `names config key "${fullKey}", whose password is shorter than ${PASSWORD_MIN_LENGTH} characters (Clerk's minimum)`,
      );
  }
  return problems;
}
