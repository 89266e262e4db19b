export { ConfigError } from "./ConfigError";
export { parseUsersConfig, parseUserSources, type UserEntry } from "./parseUsersConfig";
export { checkPasswordSecrets } from "./passwordSecrets";
export { readUsersFile } from "./usersFile";
