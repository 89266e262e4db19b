/** `npm run docs`: writes the field lists of docs/reference.md from the field tables of every kind. */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  MEMBERSHIP_FIELDS,
  MEMBERSHIP_OUTPUTS,
  ORGANIZATION_FIELDS,
  ORGANIZATION_OUTPUTS,
} from "../src/model/organization";
import { USER_FIELDS, USER_OUTPUTS } from "../src/model/user";
import { renderArgs, renderOutputs, replaceBlock } from "./lib/fieldDocs";
import { repoRoot } from "./lib/installedProject";

export function renderedReference(current: string): string {
  let text = replaceBlock(current, "user:args", renderArgs(USER_FIELDS));
  text = replaceBlock(text, "user:outputs", renderOutputs(USER_FIELDS, USER_OUTPUTS));
  text = replaceBlock(text, "organization:args", renderArgs(ORGANIZATION_FIELDS));
  text = replaceBlock(text, "organization:outputs", renderOutputs(ORGANIZATION_FIELDS, ORGANIZATION_OUTPUTS));
  text = replaceBlock(text, "membership:args", renderArgs(MEMBERSHIP_FIELDS));
  text = replaceBlock(text, "membership:outputs", renderOutputs(MEMBERSHIP_FIELDS, MEMBERSHIP_OUTPUTS));
  return text;
}

if (require.main === module) {
  const file = path.join(repoRoot(), "docs/reference.md");
  fs.writeFileSync(file, renderedReference(fs.readFileSync(file, "utf8")));
  process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
}
