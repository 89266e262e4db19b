/**
 * The runtime claims agree with the matrix that proves them (scripts/compat/matrix.ts): package.json's `engines`
 * and peer range, the repository's own @pulumi/pulumi (the floor leg is `npm test` itself), and the README.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { FLOOR_PULUMI, LEGS, NEWEST_PULUMI } from "../../scripts/compat/matrix";
import { installedVersion, ownPackage, repoRoot } from "../../scripts/lib/installedProject";

const pkg = ownPackage();

it("the peer range runs from the floor leg's @pulumi/pulumi and admits the newest leg's", () => {
  expect(pkg.peerDependencies["@pulumi/pulumi"]).toBe(`^${FLOOR_PULUMI}`);
  expect(NEWEST_PULUMI.split(".")[0]).toBe(FLOOR_PULUMI.split(".")[0]);
  expect(LEGS.filter((l) => l.role === "floor").map((l) => l.pulumi)).toEqual([FLOOR_PULUMI]);
  expect(installedVersion("@pulumi/pulumi")).toBe(FLOOR_PULUMI);
});

it("engines admits exactly the Node.js lines the matrix runs, from the floor up", () => {
  const ranges = pkg.engines.node.split("||").map((r) => r.trim());
  const majors = ranges.map((r) => Number(/^(?:\^|>=)(\d+)\./.exec(r)?.[1]));
  expect(majors).toEqual(LEGS.map((l) => l.node));
  expect(ranges.at(-1)).toMatch(/^>=/); // newer Node.js lines are expected to work; older ones are not claimed
});

it("the README states the same requirements", () => {
  const readme = fs.readFileSync(path.join(repoRoot(), "README.md"), "utf8");
  expect(readme).toContain(`\`@pulumi/pulumi\` \`${pkg.peerDependencies["@pulumi/pulumi"]}\``);
  const versions = pkg.engines.node.split("||").map(
    (r) =>
      `${r
        .trim()
        .replace(/^\^|^>=/, "")
        .replace(/(\.0)+$/, "")}+`,
  );
  expect(readme).toContain(`Node.js ${versions.slice(0, -1).join(", ")} or ${versions.at(-1)}`);
});
