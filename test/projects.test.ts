/** Every test file runs in exactly one Jest project, so `npm test` runs each once and nothing is left out. */
import * as fs from "node:fs";
import * as path from "node:path";

interface Project {
  displayName: string;
  testMatch: string[];
  testPathIgnorePatterns: string[];
}

const ROOT = path.resolve(__dirname, "..");
const config = require("../jest.config.js") as { projects: Project[] };

/** `<rootDir>/a/**\/*.test.ts` → a RegExp over repository-relative paths. */
function globToRegExp(glob: string): RegExp {
  const rel = glob.replace("<rootDir>/", "");
  const source = rel
    .split(/(\*\*\/|\*)/)
    .map((part) => (part === "**/" ? "(?:.*/)?" : part === "*" ? "[^/]*" : part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${source}$`);
}

function testFiles(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((d) => {
    const rel = `${dir}/${d.name}`;
    if (d.isDirectory()) return testFiles(rel);
    return d.name.endsWith(".test.ts") ? [rel] : [];
  });
}

it("assigns each test file to exactly one project", () => {
  const owners = testFiles("test").map((file) => {
    const projects = config.projects.filter(
      (p) =>
        p.testMatch.some((g) => globToRegExp(g).test(file)) &&
        !p.testPathIgnorePatterns.some((ignored) => `/${file}`.includes(ignored.replace("<rootDir>", ""))),
    );
    return `${file}: ${projects.map((p) => p.displayName).join(", ") || "none"}`;
  });
  expect(owners.filter((line) => /: (none|.*, .*)$/.test(line))).toEqual([]);
  expect(config.projects.map((p) => p.displayName)).toEqual(["unit", "integration", "host", "installed", "optin"]);
});
