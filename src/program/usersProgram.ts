/**
 * The root Pulumi program's logic: read the desired users from stack config (and an optional users file),
 * validate all of it, and only then declare one `ClerkUser` per entry.
 */
import * as pulumi from "@pulumi/pulumi";
import { ClerkUser } from "../resource/ClerkUser";
import type { ClerkUserArgs } from "../resource/ClerkUserArgs";
import { ConfigError, type ConfigProblem } from "./ConfigError";
import { collectUserSources, type UserEntry, type UsersSource } from "./parseUsersConfig";
import { checkPasswordSecrets, fullConfigKey } from "./passwordSecrets";
import { readUsersFile } from "./usersFile";

/** `pulumi.runtime.isConfigSecret` is internal (not in the .d.ts); when absent, a key is assumed secret. */
function isConfigSecret(fullKey: string): boolean {
  const fn = (pulumi.runtime as unknown as { isConfigSecret?: (k: string) => boolean }).isConfigSecret;
  return typeof fn === "function" ? fn(fullKey) : true;
}

/** Stack outputs of the root program. */
export interface UsersProgramOutputs {
  /** By entry name: Clerk's user id and primary email. */
  users: Record<string, { id: pulumi.Output<string>; primaryEmail: pulumi.Output<string | null> }>;
  /** Secret. By entry name, for entries with `generatePassword: true`. */
  generatedPasswords?: pulumi.Output<Record<string, string | undefined>>;
}

export interface UsersProgramOptions {
  /** Directory `usersFile` is relative to: the Pulumi project directory (the program's cwd). */
  baseDir?: string;
}

/**
 * Reads and validates `<project>:users` and `<project>:usersFile` (plus the `passwordSecret` keys they name).
 * Throws `ConfigError` with every problem; touches no resource.
 */
export function loadUserEntries(options: UsersProgramOptions = {}): UserEntry[] {
  const config = new pulumi.Config();
  const project = pulumi.getProject();
  const problems: ConfigProblem[] = [];
  const sources: UsersSource[] = [];

  const rawUsers = config.get("users");
  if (rawUsers !== undefined) {
    try {
      sources.push({ raw: JSON.parse(rawUsers) as unknown, source: "users" });
    } catch {
      problems.push({
        entry: "users",
        field: "",
        message:
          "is not a structured list: set it with `pulumi config set --path 'users[0].name' qa-admin` or as a YAML list in Pulumi.<stack>.yaml",
      });
    }
  }
  const usersFile = config.get("usersFile");
  if (usersFile !== undefined && usersFile !== "") {
    try {
      sources.push({ raw: readUsersFile(usersFile, options.baseDir ?? process.cwd()), source: usersFile });
    } catch (e) {
      if (e instanceof ConfigError) problems.push(...e.problems);
      else throw e;
    }
  }

  const collected = collectUserSources(sources);
  const entries = collected.entries;
  problems.push(...collected.problems);
  problems.push(
    ...checkPasswordSecrets(entries, (key) => {
      const fullKey = fullConfigKey(project, key);
      return { fullKey, value: pulumi.runtime.getConfig(fullKey), secret: isConfigSecret(fullKey) };
    }),
  );
  if (problems.length > 0) throw new ConfigError(problems);
  return entries;
}

/** The `ClerkUser` args of one validated entry (the password as a secret Output when it has `passwordSecret`). */
export function argsOf(entry: UserEntry, project: string): ClerkUserArgs {
  const args = { ...entry.args } as ClerkUserArgs;
  if (entry.passwordSecret !== undefined) {
    const fullKey = fullConfigKey(project, entry.passwordSecret);
    const sep = fullKey.indexOf(":");
    args.password = new pulumi.Config(fullKey.slice(0, sep)).requireSecret(fullKey.slice(sep + 1));
  }
  return args;
}

/** Declares the users: all config is validated first, so a bad config registers nothing. */
export function declareUsers(options: UsersProgramOptions = {}): UsersProgramOutputs {
  const entries = loadUserEntries(options);
  const project = pulumi.getProject();
  if (entries.length === 0) {
    void pulumi.log.info(
      "no users declared: set `users` (pulumi config set --path 'users[0].name' ...) or `usersFile` in the stack config",
    );
  }
  const users: UsersProgramOutputs["users"] = {};
  const generated: Record<string, pulumi.Output<string | undefined>> = {};
  for (const entry of entries) {
    const opts: pulumi.CustomResourceOptions = {};
    if (entry.protect) opts.protect = true;
    if (entry.retainOnDelete) opts.retainOnDelete = true;
    if (entry.aliases.length > 0) opts.aliases = entry.aliases.map((name) => ({ name }));
    const user = new ClerkUser(entry.name, argsOf(entry, project), opts);
    users[entry.name] = {
      id: user.id,
      // ClerkUser only declares an output for the args it was given: an entry without emails has no
      // `emailAddresses` output at all, and no primary email.
      primaryEmail: pulumi
        .output(user.emailAddresses as pulumi.Output<string[] | undefined> | undefined)
        .apply((emails) => emails?.[0] ?? null),
    };
    if (entry.args.generatePassword === true) generated[entry.name] = user.generatedPassword;
  }
  const outputs: UsersProgramOutputs = { users };
  if (Object.keys(generated).length > 0) outputs.generatedPasswords = pulumi.secret(pulumi.all(generated));
  return outputs;
}

/** The root program: `export = usersProgram` in program/index.ts. Its return value becomes the stack outputs. */
export async function usersProgram(options: UsersProgramOptions = {}): Promise<UsersProgramOutputs> {
  return declareUsers(options);
}
