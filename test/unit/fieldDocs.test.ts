/**
 * The reference's field lists are generated from the field tables (`npm run docs`): this fails when a table
 * changed and the docs were not regenerated. Does not judge the prose around the lists.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { renderedReference } from "../../scripts/docs";
import { repoRoot } from "../../scripts/lib/installedProject";
import { fieldNames, isEchoed, type FieldTable, type OutputTable } from "../../src/model/fields";
import {
  MEMBERSHIP_FIELDS,
  MEMBERSHIP_OUTPUTS,
  ORGANIZATION_FIELDS,
  ORGANIZATION_OUTPUTS,
} from "../../src/model/organization";
import { USER_FIELDS, USER_OUTPUTS } from "../../src/model/user";

const current = fs.readFileSync(path.join(repoRoot(), "docs/reference.md"), "utf8");

it("docs/reference.md lists exactly what the field tables say (run `npm run docs` after changing a table)", () => {
  expect(current).toBe(renderedReference(current));
});

/** The bullets' names between a block's markers. */
function listed(id: string): string[] {
  const block = current.split(`<!-- fields:${id}:start -->`)[1]?.split(`<!-- fields:${id}:end -->`)[0] ?? "";
  return [...block.matchAll(/^- `(\w+)`:/gm)].map((m) => m[1]!);
}

it.each<[string, FieldTable, OutputTable]>([
  ["user", USER_FIELDS, USER_OUTPUTS],
  ["organization", ORGANIZATION_FIELDS, ORGANIZATION_OUTPUTS],
  ["membership", MEMBERSHIP_FIELDS, MEMBERSHIP_OUTPUTS],
])("the %s sections list every argument and output of the kind's tables, in order", (kind, fields, outputs) => {
  expect(listed(`${kind}:args`)).toEqual(fieldNames(fields).filter((k) => fields[k]!.config !== "program"));
  const echoed = fieldNames(fields).filter((k) => isEchoed(fields[k]!));
  expect(listed(`${kind}:outputs`)).toEqual([...echoed, ...fieldNames(outputs).filter((k) => k !== "declaredInputs")]);
});
