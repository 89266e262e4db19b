/**
 * Docs for people: a short README that starts with the two commands, no prose line over 120 characters, links that
 * resolve, and no inline copy of a file the repository already has (link it instead).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { repoRoot } from "../../scripts/lib/installedProject";

const ROOT = repoRoot();
const read = (rel: string): string => fs.readFileSync(path.join(ROOT, rel), "utf8");
const list = (dir: string, pattern: RegExp): string[] =>
  fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) return e.name === "node_modules" ? [] : list(rel, pattern);
    return pattern.test(e.name) ? [rel] : [];
  });

const DOCS = [
  "README.md",
  "bench/README.md",
  ...list("docs", /\.md$/),
  ...list("decisions", /\.md$/),
  ...list("examples", /^README\.md$/),
];

/** Lines outside fenced code blocks. */
function prose(text: string): Array<{ line: number; text: string }> {
  let fenced = false;
  return text.split("\n").flatMap((t, i) => {
    if (/^\s*```/.test(t)) {
      fenced = !fenced;
      return [];
    }
    return fenced ? [] : [{ line: i + 1, text: t }];
  });
}

function fencedBlocks(text: string): string[] {
  return [...text.matchAll(/^```[^\n]*\n([\s\S]*?)^```/gm)].map((m) => m[1]!);
}

it("the README is short and starts with the two commands", () => {
  const readme = read("README.md");
  expect(readme.split("\n").length).toBeLessThanOrEqual(200);
  const firstBlock = fencedBlocks(readme)[0]!;
  expect(readme.indexOf(firstBlock)).toBeLessThan(40);
  expect(firstBlock).toMatch(/^npm ci && npm run demo\b/m);
  expect(firstBlock).toMatch(/^npm ci && npm test\b/m);
});

it("no line of prose is over 120 characters", () => {
  const long = DOCS.flatMap((file) =>
    prose(read(file))
      .filter((l) => l.text.length > 120)
      .map((l) => `${file}:${l.line} (${l.text.length})`),
  );
  expect(long).toEqual([]);
});

it("relative links point at files that exist", () => {
  const dead = DOCS.flatMap((file) =>
    [...read(file).matchAll(/\]\(([^)\s]+)\)/g)]
      .map((m) => m[1]!.split("#")[0]!)
      .filter((target) => target !== "" && !/^[a-z]+:/.test(target))
      .filter((target) => !fs.existsSync(path.join(ROOT, path.dirname(file), target)))
      .map((target) => `${file} → ${target}`),
  );
  expect(dead).toEqual([]);
});

it("no doc inlines a file the repository has (five lines or more of one)", () => {
  const sources = [...list("examples", /\.(ya?ml|ts|json)$/), ".ci/run"].map((f) => ({ f, text: read(f) }));
  const copies = DOCS.flatMap((doc) =>
    fencedBlocks(read(doc))
      .filter((block) => block.trim().split("\n").length >= 5)
      .flatMap((block) => sources.filter((s) => s.text.includes(block.trim())).map((s) => `${doc} copies ${s.f}`)),
  );
  expect(copies).toEqual([]);
});

it("docs/reference.md has the generated tables' markers, each pair once", () => {
  const reference = read("docs/reference.md");
  for (const table of ["args", "outputs"]) {
    const start = reference.split(`<!-- fields:user:${table}:start -->`).length - 1;
    const end = reference.split(`<!-- fields:user:${table}:end -->`).length - 1;
    expect([table, start, end]).toEqual([table, 1, 1]);
  }
});
