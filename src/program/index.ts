export { ConfigError, formatProblem, type ConfigProblem } from "./ConfigError";
export {
  parseUsersConfig,
  parseUserSources,
  ENTRY_FIELDS,
  ENTRY_ARG_FIELDS,
  ENTRY_NAME_PATTERN,
  type UserEntry,
  type UsersConfig,
  type UsersSource,
} from "./parseUsersConfig";
export { checkPasswordSecrets, fullConfigKey } from "./passwordSecrets";
export { readUsersFile } from "./usersFile";
export { usersProgram, declareUsers, loadUserEntries, argsOf, type UsersProgramOutputs } from "./usersProgram";
