import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ConfigError } from "../../src/program/ConfigError";
import {
  readUsersFile,
  readUsersFileContent,
  resolveUsersFile,
  USERS_FILE_MAX_BYTES,
} from "../../src/program/usersFile";

/**
 * `usersFile` is confined to the project directory and never quoted. Real temp directories and real symbolic
 * links; no mocks. Layout:
 *
 *   root/outside/secret.yaml   a valid users file full of "TOKEN-" values that must never be read or printed
 *   root/project/              the project directory (baseDir)
 *   root/projlink -> project   the project reached through a symlink
 */

const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "users-file-confined-")));
const project = path.join(root, "project");
const outside = path.join(root, "outside");
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const SECRET_FILE = "- name: leak\n  emailAddresses: [TOKEN-ghp_outside@example.com]\n  password: TOKEN-ghp_outside\n";
const GOOD = "- name: a\n  emailAddresses: [a@example.com]\n";

const put = (rel: string, text: string): void => {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), text);
};
const link = (rel: string, target: string): void => fs.symlinkSync(target, path.join(root, rel));

beforeAll(() => {
  put("outside/secret.yaml", SECRET_FILE);
  put("root.yaml", SECRET_FILE);
  put("project/users.yaml", GOOD);
  put("project/sub/users.yaml", "users:\n  - name: b\n    username: b\n");
  link("project/evil.yaml", path.join(outside, "secret.yaml")); // absolute target, outside
  link("project/evil-relative.yaml", "../outside/secret.yaml"); // relative target, outside
  link("project/outdir", outside); // a directory link leading outside
  link("project/alias.yaml", "sub/users.yaml"); // relative target, inside
  link("project/alias-absolute.yaml", path.join(project, "users.yaml")); // absolute target, inside
  link("project/subdir", path.join(project, "sub")); // a directory link staying inside
  link("project/chain.yaml", "alias.yaml"); // link to a link, inside
  link("project/loop.yaml", "loop.yaml");
  link("project/dangling.yaml", "nowhere.yaml");
  link("projlink", project);
  fs.mkdirSync(path.join(project, "dir.yaml"));
});

/** The ConfigError's problem lines; fails if it threw anything else or nothing. */
function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) {
      expect(e.message).not.toContain("TOKEN"); // the whole message, header included, never quotes the file
      return e.lines();
    }
    throw e;
  }
  throw new Error("expected a ConfigError");
}

describe("usersFile: inside the project directory", () => {
  it.each([
    ["users.yaml", [{ name: "a", emailAddresses: ["a@example.com"] }]],
    ["sub/users.yaml", [{ name: "b", username: "b" }]],
    ["./sub/../users.yaml", [{ name: "a", emailAddresses: ["a@example.com"] }]],
    ["alias.yaml", [{ name: "b", username: "b" }]],
    ["alias-absolute.yaml", [{ name: "a", emailAddresses: ["a@example.com"] }]],
    ["chain.yaml", [{ name: "b", username: "b" }]],
    ["subdir/users.yaml", [{ name: "b", username: "b" }]],
  ])("%s is read (symlinks that stay inside are fine)", (file, expected) => {
    expect(readUsersFile(file, project)).toEqual(expected);
  });

  it("the project directory itself may be reached through a symlink", () => {
    expect(readUsersFile("users.yaml", path.join(root, "projlink"))).toEqual([
      { name: "a", emailAddresses: ["a@example.com"] },
    ]);
    expect(readUsersFile("alias-absolute.yaml", path.join(root, "projlink"))).toHaveLength(1);
    expect(resolveUsersFile("alias.yaml", path.join(root, "projlink"))).toBe(path.join(project, "sub", "users.yaml"));
  });
});

describe("usersFile: refused outside the project directory", () => {
  it.each(
    [
      [path.join(outside, "secret.yaml"), "is an absolute path; give a path relative to the project directory"],
      [path.join(project, "users.yaml"), "is an absolute path; give a path relative to the project directory"],
      ["C:\\project\\users.yaml", "is an absolute path; give a path relative to the project directory"],
      ["../outside/secret.yaml", "is outside the project directory"],
      ["../root.yaml", "is outside the project directory"],
      ["sub/../../root.yaml", "is outside the project directory"],
      ["evil.yaml", "leads outside the project directory (through a symbolic link)"],
      ["evil-relative.yaml", "leads outside the project directory (through a symbolic link)"],
      ["outdir/secret.yaml", "leads outside the project directory (through a symbolic link)"],
      // the OS reads `outdir/..` as the parent of `outside`: the root, not the project
      ["outdir/../root.yaml", "leads outside the project directory (through a symbolic link)"],
    ].map(([file, why]) => [file!.replace(root, "<tmp>"), file!, why!]),
  )("%s", (_title, file, why) => {
    expect(problems(() => readUsersFile(file, project))).toEqual([`usersFile: ${JSON.stringify(file)} ${why}`]);
  });
});

describe("usersFile: what cannot be read", () => {
  it("missing, dangling, looping, a directory, a bad extension: path only", () => {
    expect(problems(() => readUsersFile("missing.yaml", project))).toEqual([
      `usersFile: cannot read "missing.yaml" (${path.join(project, "missing.yaml")}): no such file`,
    ]);
    expect(problems(() => readUsersFile("dangling.yaml", project))).toEqual([
      `usersFile: cannot read "dangling.yaml" (${path.join(project, "dangling.yaml")}): no such file`,
    ]);
    expect(problems(() => readUsersFile("loop.yaml", project))).toEqual([
      `usersFile: cannot read "loop.yaml" (${path.join(project, "loop.yaml")}): too many symbolic links`,
    ]);
    expect(problems(() => readUsersFile("dir.yaml", project))).toEqual(['usersFile: "dir.yaml" is not a regular file']);
    expect(problems(() => readUsersFile("users.txt", project))).toEqual([
      'usersFile: "users.txt" must be a .yaml, .yml or .json file',
    ]);
    expect(problems(() => readUsersFile("a\0b.yaml", project))).toEqual([
      `usersFile: ${JSON.stringify("a\0b.yaml")} contains a NUL character`,
    ]);
  });

  it("a named pipe is refused without blocking", () => {
    try {
      execFileSync("mkfifo", [path.join(project, "pipe.yaml")]);
    } catch {
      return; // no mkfifo on this system: nothing to prove here
    }
    expect(problems(() => readUsersFile("pipe.yaml", project))).toEqual([
      'usersFile: "pipe.yaml" is not a regular file',
    ]);
  });

  it(`a file over ${USERS_FILE_MAX_BYTES} bytes is refused unread`, () => {
    put("project/huge.yaml", `# ${"x".repeat(USERS_FILE_MAX_BYTES)}\n`);
    expect(problems(() => readUsersFile("huge.yaml", project))).toEqual([
      `usersFile: "huge.yaml" is larger than ${USERS_FILE_MAX_BYTES} bytes`,
    ]);
  });
});

describe("usersFile: errors never quote the file", () => {
  let warnings: jest.SpyInstance;
  let stderr: jest.SpyInstance;
  beforeEach(() => {
    warnings = jest.spyOn(process, "emitWarning").mockImplementation(() => undefined);
    stderr = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
  });
  afterEach(() => {
    // the parser reports warnings through process.emitWarning, snippet and all: we must not let it
    expect(warnings).not.toHaveBeenCalled();
    expect(stderr).not.toHaveBeenCalled();
    warnings.mockRestore();
    stderr.mockRestore();
  });

  it.each([
    [
      "dup.yaml",
      "- name: a\n  password: TOKEN-1\n  password: TOKEN-2\n",
      "a key is repeated (DUPLICATE_KEY) at line 3, column 3",
    ],
    [
      "quote.yaml",
      '- password: "TOKEN-unclosed\n',
      "a character is missing (an unclosed quote or bracket?) (MISSING_CHAR) at line 2, column 1",
    ],
    ["tag.yaml", "- password: !vault TOKEN-tagged\n", "a tag is unknown (TAG_RESOLVE_FAILED) at line 1, column 13"],
    [
      "escape.yaml",
      '- password: "TOKEN-\\q"\n',
      "a double-quoted string has an invalid escape (BAD_DQ_ESCAPE) at line 1, column 20",
    ],
    [
      "reserved.yaml",
      "- password: @TOKEN\n",
      "a plain value starts with a reserved character (quote the value) (BAD_SCALAR_START) at line 1, column 13",
    ],
    [
      "docs.yaml",
      "- name: TOKEN-a\n---\n- name: b\n",
      "the file holds more than one document (MULTIPLE_DOCS) at line 2, column 1",
    ],
    ["bad.json", '[{"name": "TOKEN-x", "name": "y"}]', "a key is repeated (DUPLICATE_KEY) at line 1, column 22"],
  ])("%s", (file, text, what) => {
    put(`project/${file}`, text);
    const kind = file.endsWith(".json") ? "JSON" : "YAML";
    expect(problems(() => readUsersFile(file, project))).toEqual([
      `usersFile: ${JSON.stringify(file)} is not valid ${kind}: ${what}`,
    ]);
  });

  it("every YAML problem is listed, not only the first", () => {
    put("project/two.yaml", "- name: TOKEN-a\n  name: TOKEN-b\n- x: 1\n  x: 2\n");
    expect(problems(() => readUsersFile("two.yaml", project))).toEqual([
      'usersFile: "two.yaml" is not valid YAML: a key is repeated (DUPLICATE_KEY) at line 2, column 3',
      'usersFile: "two.yaml" is not valid YAML: a key is repeated (DUPLICATE_KEY) at line 4, column 3',
    ]);
  });

  it("an alias bomb is refused", () => {
    const tens = (name: string, of: string) => `${name}: &${name} [${Array(10).fill(of).join(", ")}]\n`;
    put("project/bomb.yaml", tens("a", "TOKEN") + tens("b", "*a") + tens("c", "*b") + "users: [*c, *c, *c]\n");
    expect(problems(() => readUsersFile("bomb.yaml", project))).toEqual([
      'usersFile: "bomb.yaml" is not valid YAML: aliases expand too far',
    ]);
  });

  it("the wrong shape is described, not quoted; keys are named only when they look like names", () => {
    const shape = (text: string) => {
      put("project/shape.yaml", text);
      return problems(() => readUsersFile("shape.yaml", project));
    };
    expect(shape("TOKEN-ghp_scalar\n")).toEqual([
      'usersFile: "shape.yaml" must hold a list of user entries, not a string',
    ]);
    expect(shape("12345\n")).toEqual(['usersFile: "shape.yaml" must hold a list of user entries, not a number']);
    expect(shape("users: TOKEN-x\n")).toEqual([
      'usersFile: "shape.yaml": "users" must be a list of user entries, not a string',
    ]);
    expect(shape("people: []\nTOKEN-ghp_0123456789abcdef0123456789abcdef: x\nuser name: y\n")).toEqual([
      'usersFile: "shape.yaml" must hold a list of user entries, or a mapping with a "users" list and an "organizations" list (unexpected keys: people, 2 more not shown)',
    ]);
    expect(shape("users: []\norganizations: TOKEN-x\n")).toEqual([
      'usersFile: "shape.yaml": "organizations" must be a list of organization entries, not a string',
    ]);
    expect(shape("{}\n")).toEqual([
      'usersFile: "shape.yaml" must hold a list of user entries, or a mapping with a "users" list and an "organizations" list',
    ]);
  });

  it("an empty file and `users:` with no value are empty lists", () => {
    put("project/empty.yaml", "");
    put("project/nullusers.yaml", "users:\n");
    expect(readUsersFile("empty.yaml", project)).toEqual([]);
    expect(readUsersFile("nullusers.yaml", project)).toEqual([]);
  });

  it("a mapping may hold users, organizations, or both; a list is users", () => {
    put("project/both.yaml", "users:\n  - name: a\norganizations:\n  - name: tenant-a\n");
    put("project/orgs.yaml", "organizations:\n  - name: tenant-a\n");
    put("project/list.yaml", "- name: a\n");
    expect(readUsersFileContent("both.yaml", project)).toEqual({
      users: [{ name: "a" }],
      organizations: [{ name: "tenant-a" }],
    });
    expect(readUsersFileContent("orgs.yaml", project)).toEqual({ users: [], organizations: [{ name: "tenant-a" }] });
    expect(readUsersFileContent("list.yaml", project)).toEqual({ users: [{ name: "a" }], organizations: [] });
  });
});
