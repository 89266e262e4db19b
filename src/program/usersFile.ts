import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import { ConfigError } from "./ConfigError";

export const USERS_FILE_EXTENSIONS = [".yaml", ".yml", ".json"] as const;

/**
 * Reads the users file named by the `usersFile` config (relative to `baseDir`, the project directory).
 * The file holds either a list of entries or a mapping with a `users` list. JSON is parsed as YAML (a subset).
 * Returns the raw list, to be validated with the config's entries by `parseUserSources`.
 */
export function readUsersFile(file: string, baseDir: string): unknown {
  const fail = (message: string): never => {
    throw new ConfigError([{ entry: "usersFile", field: "", message }]);
  };
  const ext = path.extname(file).toLowerCase();
  if (!(USERS_FILE_EXTENSIONS as readonly string[]).includes(ext)) {
    fail(`${JSON.stringify(file)} must be a .yaml, .yml or .json file`);
  }
  const resolved = path.resolve(baseDir, file);
  let text = "";
  try {
    text = fs.readFileSync(resolved, "utf8");
  } catch (e) {
    const code = (e as { code?: string }).code;
    fail(
      `cannot read ${JSON.stringify(file)} (${resolved}): ${code === "ENOENT" ? "no such file" : String(code ?? e)}`,
    );
  }
  let doc: unknown;
  try {
    doc = YAML.parse(text, { prettyErrors: true, uniqueKeys: true });
  } catch (e) {
    fail(
      `${JSON.stringify(file)} is not valid ${ext === ".json" ? "JSON" : "YAML"}: ${(e as Error).message.split("\n")[0]}`,
    );
  }
  if (doc === null || doc === undefined) return [];
  if (typeof doc === "object" && !Array.isArray(doc)) {
    const keys = Object.keys(doc);
    const users = (doc as Record<string, unknown>)["users"];
    const extra = keys.filter((k) => k !== "users");
    if (users === undefined || extra.length > 0) {
      fail(
        `${JSON.stringify(file)} must hold a list of user entries, or a mapping with only a "users" list` +
          (extra.length ? ` (unexpected key${extra.length > 1 ? "s" : ""}: ${extra.join(", ")})` : ""),
      );
    }
    return users;
  }
  return doc;
}
