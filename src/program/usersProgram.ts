/**
 * The root Pulumi program's logic: read the desired users and organizations from stack config (and an optional
 * users file), validate all of it, and only then declare one `ClerkUser` per users entry, one
 * `ClerkOrganization` per organizations entry and one `ClerkOrganizationMembership` per member.
 */
import * as pulumi from "@pulumi/pulumi";
import { ClerkOrganization } from "../resource/ClerkOrganization";
import type { ClerkOrganizationArgs } from "../resource/ClerkOrganizationArgs";
import { ClerkOrganizationMembership } from "../resource/ClerkOrganizationMembership";
import type { ClerkOrganizationMembershipArgs } from "../resource/ClerkOrganizationMembershipArgs";
import { ClerkUser } from "../resource/ClerkUser";
import type { ClerkUserArgs } from "../resource/ClerkUserArgs";
import { ConfigError, type ConfigProblem } from "./ConfigError";
import type { MemberEntry, OrganizationEntry, OrganizationsSource } from "./parseOrganizationsConfig";
import { collectRootConfig, type RootConfig } from "./parseRootConfig";
import type { UserEntry, UsersSource } from "./parseUsersConfig";
import { checkPasswordSecrets, fullConfigKey } from "./passwordSecrets";
import { readUsersFileContent } from "./usersFile";

/** `pulumi.runtime.isConfigSecret` is internal (not in the .d.ts); when absent, a key is assumed secret. */
function isConfigSecret(fullKey: string): boolean {
  const fn = (pulumi.runtime as unknown as { isConfigSecret?: (k: string) => boolean }).isConfigSecret;
  return typeof fn === "function" ? fn(fullKey) : true;
}

/** Stack outputs of the root program. */
export interface UsersProgramOutputs {
  /** By entry name: Clerk's user id and primary email. */
  users: Record<string, { id: pulumi.Output<string>; primaryEmail: pulumi.Output<string | null> }>;
  /** By entry name: Clerk's organization id and its slug (the default one when the entry sets none). */
  organizations: Record<string, { id: pulumi.Output<string>; slug: pulumi.Output<string> }>;
  /** Secret. By entry name, for entries with `generatePassword: true`. */
  generatedPasswords?: pulumi.Output<Record<string, string | undefined>>;
}

export interface UsersProgramOptions {
  /** Directory `usersFile` is relative to: the Pulumi project directory (the program's cwd). */
  baseDir?: string;
}

/** A structured config list (`users`, `organizations`), or the problem of a value that is not one. */
function structuredList(config: pulumi.Config, key: string, example: string, problems: ConfigProblem[]): unknown {
  const raw = config.get(key);
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    problems.push({
      entry: key,
      field: "",
      message: `is not a structured list: set it with \`pulumi config set --path '${key}[0].name' ${example}\` or as a YAML list in Pulumi.<stack>.yaml`,
    });
    return undefined;
  }
}

/**
 * Reads and validates `<project>:users`, `<project>:organizations` and `<project>:usersFile` (plus the
 * `passwordSecret` keys they name), all together. Throws `ConfigError` with every problem; touches no resource.
 */
export function loadRootConfig(options: UsersProgramOptions = {}): RootConfig {
  const config = new pulumi.Config();
  const project = pulumi.getProject();
  const problems: ConfigProblem[] = [];
  const users: UsersSource[] = [];
  const organizations: OrganizationsSource[] = [];

  const rawUsers = structuredList(config, "users", "qa-admin", problems);
  if (rawUsers !== undefined) users.push({ raw: rawUsers, source: "users" });
  const rawOrganizations = structuredList(config, "organizations", "tenant-a", problems);
  if (rawOrganizations !== undefined) organizations.push({ raw: rawOrganizations, source: "organizations" });
  const usersFile = config.get("usersFile");
  if (usersFile !== undefined && usersFile !== "") {
    try {
      const content = readUsersFileContent(usersFile, options.baseDir ?? process.cwd());
      users.push({ raw: content.users, source: usersFile });
      organizations.push({ raw: content.organizations, source: `${usersFile}:organizations` });
    } catch (e) {
      if (e instanceof ConfigError) problems.push(...e.problems);
      else throw e;
    }
  }

  const collected = collectRootConfig(users, organizations, (entries) =>
    checkPasswordSecrets(entries, (key) => {
      const fullKey = fullConfigKey(project, key);
      return { fullKey, value: pulumi.runtime.getConfig(fullKey), secret: isConfigSecret(fullKey) };
    }),
  );
  problems.push(...collected.problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return { users: collected.users, organizations: collected.organizations };
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

/** The resource name of a member: its organization entry, then its users entry (neither can hold a `/`). */
export function membershipName(organization: OrganizationEntry, member: MemberEntry): string {
  return `${organization.name}/${member.user}`;
}

/** Declares the users, then the organizations and their members: all config is validated first. */
export function declareRoot(options: UsersProgramOptions = {}): UsersProgramOutputs {
  const config = loadRootConfig(options);
  const project = pulumi.getProject();
  if (config.users.length === 0 && config.organizations.length === 0) {
    void pulumi.log.info(
      "no users declared: set `users` (pulumi config set --path 'users[0].name' ...) or `usersFile` in the stack config",
    );
  }
  const users: UsersProgramOutputs["users"] = {};
  const userIds = new Map<string, pulumi.Output<string>>();
  const generated: Record<string, pulumi.Output<string | undefined>> = {};
  for (const entry of config.users) {
    const user = declareUser(entry, project);
    userIds.set(entry.name, user.id);
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
  const organizations: UsersProgramOutputs["organizations"] = {};
  for (const entry of config.organizations) {
    const organization = declareOrganization(entry, userIds);
    organizations[entry.name] = { id: organization.id, slug: organization.slug };
  }
  const outputs: UsersProgramOutputs = { users, organizations };
  if (Object.keys(generated).length > 0) outputs.generatedPasswords = pulumi.secret(pulumi.all(generated));
  return outputs;
}

function declareUser(entry: UserEntry, project: string): ClerkUser {
  const opts: pulumi.CustomResourceOptions = {};
  if (entry.protect) opts.protect = true;
  if (entry.retainOnDelete) opts.retainOnDelete = true;
  if (entry.aliases.length > 0) opts.aliases = entry.aliases.map((name) => ({ name }));
  return new ClerkUser(entry.name, argsOf(entry, project), opts);
}

/** The user id of a users entry; validation guarantees every reference names one. */
function userIdOf(userIds: ReadonlyMap<string, pulumi.Output<string>>, name: string): pulumi.Output<string> {
  const id = userIds.get(name);
  if (id === undefined) throw new Error(`internal: users entry ${JSON.stringify(name)} was not declared`);
  return id;
}

/**
 * One organization and its members. Each membership is `deletedWith` its organization (decision 4): a destroy
 * deletes the organization, which removes its memberships in Clerk, so Clerk never has to refuse removing the
 * last admin. Removing one member from the config still deletes that membership alone.
 */
function declareOrganization(
  entry: OrganizationEntry,
  userIds: ReadonlyMap<string, pulumi.Output<string>>,
): ClerkOrganization {
  const args: Record<string, unknown> = { ...entry.args };
  for (const [arg, user] of Object.entries(entry.userRefs)) args[arg] = userIdOf(userIds, user);
  const organization = new ClerkOrganization(entry.name, args as unknown as ClerkOrganizationArgs);
  for (const member of entry.members) {
    new ClerkOrganizationMembership(
      membershipName(entry, member),
      {
        ...(member.args as unknown as Omit<ClerkOrganizationMembershipArgs, "organizationId" | "userId">),
        organizationId: organization.id,
        userId: userIdOf(userIds, member.user),
      },
      { deletedWith: organization },
    );
  }
  return organization;
}

/** The root program: `export = usersProgram` in program/index.ts. Its return value becomes the stack outputs. */
export async function usersProgram(options: UsersProgramOptions = {}): Promise<UsersProgramOutputs> {
  return declareRoot(options);
}
