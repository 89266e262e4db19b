/**
 * The field tables are the one description of an organization's and a membership's fields: the public types and
 * their doc comments must say exactly what they say (as userFields.test.ts pins for ClerkUser).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { fieldNames, fieldsWhere, isEchoed, type FieldTable, type OutputTable } from "../../../src/model/fields";
import {
  MEMBERSHIP_FIELDS,
  MEMBERSHIP_OUTPUTS,
  ORGANIZATION_FIELDS,
  ORGANIZATION_OUTPUTS,
  type MembershipFieldName,
  type OrganizationFieldName,
} from "../../../src/model/organization";
import type { ClerkOrganizationArgs } from "../../../src/resource/ClerkOrganizationArgs";
import type { ClerkOrganizationMembershipArgs } from "../../../src/resource/ClerkOrganizationMembershipArgs";

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

// Type-level: a field added to the table without its arg (or an arg without its field) fails to compile.
const organizationArgsMatch: Equals<keyof ClerkOrganizationArgs, Exclude<OrganizationFieldName, "managedBy">> = true;
const membershipArgsMatch: Equals<
  keyof ClerkOrganizationMembershipArgs,
  Exclude<MembershipFieldName, "managedBy">
> = true;

const ROOT = path.resolve(__dirname, "../../..");

/** `name → doc comment` of the members of `interfaceOrClass` in a source file. */
function docsOf(file: string, name: string): Map<string, string> {
  const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const docs = new Map<string, string>();
  const visit = (node: ts.Node): void => {
    if ((ts.isInterfaceDeclaration(node) || ts.isClassDeclaration(node)) && node.name?.text === name) {
      for (const member of node.members) {
        if (!member.name || !ts.isIdentifier(member.name) || ts.isConstructorDeclaration(member)) continue;
        const jsDoc = ts.getJSDocCommentsAndTags(member).filter(ts.isJSDoc);
        docs.set(member.name.text, jsDoc.map((d) => ts.getTextOfJSDocComment(d.comment) ?? "").join(" "));
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return docs;
}

const KINDS: [string, FieldTable, OutputTable][] = [
  ["ClerkOrganization", ORGANIZATION_FIELDS, ORGANIZATION_OUTPUTS],
  ["ClerkOrganizationMembership", MEMBERSHIP_FIELDS, MEMBERSHIP_OUTPUTS],
];

describe.each(KINDS)("%s", (kind, fields, outputs) => {
  it("its args are exactly the table's fields, each documented with the table's doc line", () => {
    expect(organizationArgsMatch && membershipArgsMatch).toBe(true);
    const docs = docsOf(path.join(ROOT, `src/resource/${kind}Args.ts`), `${kind}Args`);
    const expected = fieldNames(fields).filter((k) => fields[k]!.config !== "program");
    expect([...docs.keys()]).toEqual(expected);
    for (const k of expected) expect([k, docs.get(k)]).toEqual([k, fields[k]!.doc]);
  });

  it("the class declares every echoed field and every output, each with the table's doc line", () => {
    const docs = docsOf(path.join(ROOT, `src/resource/${kind}.ts`), kind);
    const echoed = fieldsWhere(fields, isEchoed);
    const outs = fieldNames(outputs).filter((k) => k !== "declaredInputs");
    expect([...docs.keys()]).toEqual([...echoed, ...outs]);
    for (const k of echoed) expect([k, docs.get(k)]).toEqual([k, fields[k]!.doc]);
    for (const k of outs) expect([k, docs.get(k)]).toEqual([k, outputs[k]!.doc]);
  });
});

it("the membership table has no adoption inputs and names every membership field once", () => {
  const names: MembershipFieldName[] = fieldNames(MEMBERSHIP_FIELDS);
  expect(names).toEqual(["organizationId", "userId", "role", "publicMetadata", "privateMetadata", "managedBy"]);
  expect(fieldNames(MEMBERSHIP_OUTPUTS)).toEqual([
    "membershipId",
    "instanceId",
    "ownerId",
    "syncRequired",
    "declaredInputs",
  ]);
});
