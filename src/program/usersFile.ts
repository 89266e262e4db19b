import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import { ConfigError } from "./ConfigError";
import { isNameLike } from "./entryFields";

export const USERS_FILE_EXTENSIONS = [".yaml", ".yml", ".json"] as const;

/** A sane cap: 4 MiB holds tens of thousands of entries; anything bigger is not a users file. */
export const USERS_FILE_MAX_BYTES = 4 * 1024 * 1024;

/** What each YAML problem is, in words; the parser's own messages can quote the file, so they are never shown. */
const YAML_PROBLEMS: Record<YAML.ErrorCode, string> = {
  ALIAS_PROPS: "an alias cannot have an anchor or a tag",
  BAD_ALIAS: "an alias names no anchor defined before it",
  BAD_COLLECTION_TYPE: "a collection does not match its tag",
  BAD_DIRECTIVE: "a directive is malformed",
  BAD_DQ_ESCAPE: "a double-quoted string has an invalid escape",
  BAD_INDENT: "the indentation is wrong",
  BAD_PROP_ORDER: "an anchor or tag is misplaced",
  BAD_SCALAR_START: "a plain value starts with a reserved character (quote the value)",
  BLOCK_AS_IMPLICIT_KEY: "a block value is used as a key",
  BLOCK_IN_FLOW: "a block value is inside a flow collection",
  DUPLICATE_KEY: "a key is repeated",
  IMPOSSIBLE: "the parser failed",
  KEY_OVER_1024_CHARS: "a key is longer than 1024 characters",
  MISSING_CHAR: "a character is missing (an unclosed quote or bracket?)",
  MULTILINE_IMPLICIT_KEY: "a key spans several lines",
  MULTIPLE_ANCHORS: "a node has several anchors",
  MULTIPLE_DOCS: "the file holds more than one document",
  MULTIPLE_TAGS: "a node has several tags",
  NON_STRING_KEY: "a key is not a string",
  RESOURCE_EXHAUSTION: "aliases expand too far",
  TAB_AS_INDENT: "a tab is used for indentation",
  TAG_RESOLVE_FAILED: "a tag is unknown",
  UNEXPECTED_TOKEN: "an unexpected token was found",
};

const fail = (...messages: string[]): never => {
  throw new ConfigError(messages.map((message) => ({ entry: "usersFile", field: "", message })));
};

/** True if `p` is strictly inside directory `dir` (both absolute and resolved). */
function isInside(dir: string, p: string): boolean {
  const rel = path.relative(dir, p);
  return rel !== "" && rel !== ".." && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

const errnoOf = (e: unknown): string | undefined => (e as { code?: string }).code;

/**
 * The real path of the users file, confined to the project directory `baseDir`. Refused: absolute paths, paths
 * that leave the directory (`../x`), and paths that leave it through a symbolic link anywhere on the way (both
 * `baseDir` and the file are resolved with realpath). Errors name the path as given, never what is at it.
 */
export function resolveUsersFile(file: string, baseDir: string): string {
  const shown = JSON.stringify(file);
  if (file.includes("\0")) fail(`${shown} contains a NUL character`);
  if (path.isAbsolute(file) || path.win32.isAbsolute(file)) {
    fail(`${shown} is an absolute path; give a path relative to the project directory`);
  }
  const ext = path.extname(file).toLowerCase();
  if (!(USERS_FILE_EXTENSIONS as readonly string[]).includes(ext)) {
    fail(`${shown} must be a .yaml, .yml or .json file`);
  }
  let base = "";
  try {
    base = fs.realpathSync.native(baseDir);
  } catch (e) {
    fail(`cannot resolve the project directory ${JSON.stringify(baseDir)} (${errnoOf(e) ?? "error"})`);
  }
  const lexical = path.resolve(base, file);
  if (!isInside(base, lexical)) fail(`${shown} is outside the project directory`);
  let real = "";
  try {
    // joined, not resolved: the OS must see `link/..` as written, so a symlinked directory cannot be undone
    real = fs.realpathSync.native(`${base}${path.sep}${file}`);
  } catch (e) {
    const code = errnoOf(e);
    const why = code === "ENOENT" ? "no such file" : code === "ELOOP" ? "too many symbolic links" : (code ?? "error");
    fail(`cannot read ${shown} (${lexical}): ${why}`);
  }
  if (!isInside(base, real)) fail(`${shown} leads outside the project directory (through a symbolic link)`);
  return real;
}

/** The file's text: a regular file under the size cap, opened without following a last-moment symlink. */
function readConfined(real: string, shown: string): string {
  let fd: number | undefined;
  try {
    // O_NONBLOCK: a FIFO swapped in must not hang the program; O_NOFOLLOW: nor a symlink swapped in
    const flags = fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0);
    fd = fs.openSync(real, flags);
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) fail(`${shown} is not a regular file`);
    if (stat.size > USERS_FILE_MAX_BYTES) fail(`${shown} is larger than ${USERS_FILE_MAX_BYTES} bytes`);
    return fs.readFileSync(fd, "utf8");
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    const code = errnoOf(e);
    return fail(`cannot read ${shown}: ${code === "EISDIR" ? "is a directory" : (code ?? "error")}`);
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** A YAML error or warning as `what (CODE) at line L, column C`: position and kind, never the text there. */
function describeYamlProblem(e: YAML.YAMLError): string {
  const where = e.linePos?.[0];
  const what = (YAML_PROBLEMS as Partial<Record<string, string>>)[e.code] ?? "the YAML is malformed";
  return `${what} (${e.code})${where ? ` at line ${where.line}, column ${where.col}` : ""}`;
}

/** What a users file holds: its users list and its organizations list (raw, validated with the config's). */
export interface UsersFileContent {
  users: unknown[];
  organizations: unknown[];
}

/** The keys a users file that is a mapping may have, each holding a list. */
const FILE_LISTS = { users: "user entries", organizations: "organization entries" } as const;

/**
 * Reads the users file named by the `usersFile` config (relative to `baseDir`, the project directory, and
 * confined to it: see {@link resolveUsersFile}). The file holds either a list of user entries or a mapping with a
 * `users` list, an `organizations` list, or both. JSON is parsed as YAML (a subset), strictly: a YAML warning (an
 * unknown tag, say) is a problem too. Returns the raw lists, to be validated with the config's entries.
 *
 * Errors name the path and say what is wrong where (line and column) but never quote the file: it may be a
 * file that was never meant to be read, and a parser's snippet would print it.
 */
export function readUsersFileContent(file: string, baseDir: string): UsersFileContent {
  const shown = JSON.stringify(file);
  const text = readConfined(resolveUsersFile(file, baseDir), shown);
  const kind = path.extname(file).toLowerCase() === ".json" ? "JSON" : "YAML";
  const doc = YAML.parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const problems = [...doc.errors, ...doc.warnings];
  if (problems.length > 0) fail(...problems.map((e) => `${shown} is not valid ${kind}: ${describeYamlProblem(e)}`));
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    // toJS throws a ReferenceError (never quoting the file) when aliases expand too far
    fail(
      `${shown} is not valid ${kind}: ${e instanceof ReferenceError ? YAML_PROBLEMS.RESOURCE_EXHAUSTION : "it cannot be read as data"}`,
    );
  }
  if (value === null || value === undefined) return { users: [], organizations: [] };
  if (Array.isArray(value)) return { users: value as unknown[], organizations: [] };
  if (typeof value === "object") {
    const keys = Object.keys(value);
    const extra = keys.filter((k) => !Object.hasOwn(FILE_LISTS, k));
    if (extra.length > 0 || keys.length === 0) {
      const named = extra.filter((k) => isNameLike(k));
      const unnamed = extra.length - named.length;
      const listed = [...named, ...(unnamed > 0 ? [`${unnamed} more not shown`] : [])];
      fail(
        `${shown} must hold a list of user entries, or a mapping with a "users" list and an "organizations" list` +
          (extra.length ? ` (unexpected key${extra.length > 1 ? "s" : ""}: ${listed.join(", ")})` : ""),
      );
    }
    const list = (key: keyof typeof FILE_LISTS): unknown[] => {
      const v = (value as Record<string, unknown>)[key];
      if (v === null || v === undefined) return [];
      if (!Array.isArray(v)) fail(`${shown}: "${key}" must be a list of ${FILE_LISTS[key]}, not ${typeNameOf(v)}`);
      return v as unknown[];
    };
    return { users: list("users"), organizations: list("organizations") };
  }
  return fail(`${shown} must hold a list of user entries, not ${typeNameOf(value)}`);
}

/** The users list of a users file (see {@link readUsersFileContent}). */
export function readUsersFile(file: string, baseDir: string): unknown[] {
  return readUsersFileContent(file, baseDir).users;
}

function typeNameOf(v: unknown): string {
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object" && v !== null) return "a mapping";
  return typeof v === "string"
    ? "a string"
    : typeof v === "number"
      ? "a number"
      : typeof v === "boolean"
        ? "a boolean"
        : "a value";
}
