/**
 * The root program's whole config, users and organizations, validated as one: pure, no Pulumi, no I/O. A bad
 * config is refused with every problem of every entry in one `ConfigError`, before any resource exists.
 */
import { ConfigError, type ConfigProblem } from "./ConfigError";
import {
  collectOrganizationSources,
  type OrganizationEntry,
  type OrganizationsSource,
} from "./parseOrganizationsConfig";
import { collectUserSources, type UserEntry, type UsersSource } from "./parseUsersConfig";

export interface RootConfig {
  users: UserEntry[];
  organizations: OrganizationEntry[];
}

/**
 * Every entry with a name and every problem, without throwing: the users' problems first (with those of
 * `checkUsers`, the program's secret-key checks), then the organizations'.
 */
export function collectRootConfig(
  users: readonly UsersSource[],
  organizations: readonly OrganizationsSource[],
  checkUsers: (entries: readonly UserEntry[]) => ConfigProblem[] = () => [],
): RootConfig & { problems: ConfigProblem[] } {
  const u = collectUserSources(users);
  // Members and createdBy name users entries: every users entry with a name counts, even one with problems,
  // so a problem in a user is not reported again as an unknown member.
  const o = collectOrganizationSources(organizations, u.entries);
  return {
    users: u.entries,
    organizations: o.entries,
    problems: [...u.problems, ...checkUsers(u.entries), ...o.problems],
  };
}

/** Validates users and organizations together; throws `ConfigError` listing every problem. */
export function parseRootConfig(
  users: readonly UsersSource[],
  organizations: readonly OrganizationsSource[],
): RootConfig {
  const { problems, ...config } = collectRootConfig(users, organizations);
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
