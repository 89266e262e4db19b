/**
 * The reference's field lists are generated from the field tables (`npm run docs`): this fails when a table
 * changed and the docs were not regenerated. Does not judge the prose around the lists.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { renderedReference } from "../../scripts/docs";
import { repoRoot } from "../../scripts/lib/installedProject";

it("docs/reference.md lists exactly what the field tables say (run `npm run docs` after changing a table)", () => {
  const current = fs.readFileSync(path.join(repoRoot(), "docs/reference.md"), "utf8");
  expect(current).toBe(renderedReference(current));
});
