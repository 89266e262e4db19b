/**
 * What `npm pack` ships: the built package with its LICENSE, README and metadata, source maps that carry their own
 * sources (the TypeScript sources are not shipped), and a README whose links still work on a package page.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { ownPackage, tempProjectDir } from "../../scripts/lib/installedProject";
import { removeProject, tarball } from "./support";

let dir: string;
let files: string[];
beforeAll(() => {
  dir = tempProjectDir("tarball");
  const r = spawnSync("tar", ["-xzf", tarball(), "-C", dir], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`tar failed: ${r.stderr}`);
  const walk = (d: string): string[] =>
    fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => {
      const p = path.join(d, e.name);
      return e.isDirectory() ? walk(p) : [path.relative(path.join(dir, "package"), p)];
    });
  files = walk(path.join(dir, "package")).sort();
});
afterAll(() => removeProject(dir));

it("ships the built library, its CLI, LICENSE, README and package.json, and nothing else", () => {
  expect(files.filter((f) => !f.startsWith("dist/src/"))).toEqual(["LICENSE", "README.md", "package.json"]);
  for (const f of ["index.js", "index.d.ts", "provider/runtime.js", "sweep/cli.js"]) {
    expect(files).toContain(`dist/src/${f}`);
  }
  expect(fs.readFileSync(path.join(dir, "package", "LICENSE"), "utf8")).toMatch(/^MIT License\n/);
});

it("every source map carries the sources it maps (they are not shipped otherwise)", () => {
  const maps = files.filter((f) => f.endsWith(".js.map"));
  expect(maps.length).toBeGreaterThan(0);
  const incomplete = maps.filter((f) => {
    const map = JSON.parse(fs.readFileSync(path.join(dir, "package", f), "utf8")) as {
      sources: string[];
      sourcesContent?: Array<string | null>;
    };
    return map.sourcesContent?.length !== map.sources.length || map.sourcesContent.some((s) => !s);
  });
  expect(incomplete).toEqual([]);
});

it("states where it comes from: repository, homepage, bugs, keywords, license", () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package", "package.json"), "utf8")) as Record<string, unknown>;
  const repo = "https://github.com/pulumi-clerk/pulumi-clerk";
  expect(pkg).toMatchObject({
    license: "MIT",
    repository: { type: "git", url: `git+${repo}.git` },
    homepage: `${repo}#readme`,
    bugs: { url: `${repo}/issues` },
  });
  expect(pkg["keywords"]).toEqual(expect.arrayContaining(["pulumi", "clerk"]));
  expect(pkg["version"]).toBe(ownPackage().version);
});

it("the README's relative links point at files the package ships (anything else is an absolute URL)", () => {
  const readme = fs.readFileSync(path.join(dir, "package", "README.md"), "utf8");
  const targets = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
  const relative = targets.filter((t) => !/^(https?:|mailto:|#)/.test(t));
  expect(relative.filter((t) => !files.includes(t.split("#")[0]!))).toEqual([]);
});
