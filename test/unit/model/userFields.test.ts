/**
 * The field table is the one description of a ClerkUser field: the public types and their doc comments must say
 * exactly what it says. Does not prove the docs pages (see docs/reference.md's generated tables test).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { fieldNames, fieldsWhere, isEchoed } from "../../../src/model/fields";
import { USER_FIELDS, USER_OUTPUTS, type UserFieldName } from "../../../src/model/user";
import type { UserInputs } from "../../../src/model/UserInputs";
import type { ClerkUser } from "../../../src/resource/ClerkUser";
import type { ClerkUserArgs } from "../../../src/resource/ClerkUserArgs";

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

// Type-level: a field added to the table without its arg (or an arg without its field) fails to compile.
const argsMatchTable: Equals<keyof ClerkUserArgs, Exclude<UserFieldName, "managedBy">> = true;
const inputsMatchTable: Equals<keyof UserInputs, UserFieldName> = true;
type Outputs = {
  [K in keyof ClerkUser as ClerkUser[K] extends import("@pulumi/pulumi").Output<unknown> ? K : never]: 0;
};
const ECHOED = fieldsWhere(USER_FIELDS, isEchoed);
type Declared = Exclude<keyof Outputs, "urn" | "id">;

/** `name → doc comment` of the members of `interfaceOrClass` in a source file. */
function docsOf(file: string, name: string): Map<string, string> {
  const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const docs = new Map<string, string>();
  const visit = (node: ts.Node): void => {
    if ((ts.isInterfaceDeclaration(node) || ts.isClassDeclaration(node)) && node.name?.text === name) {
      for (const member of node.members) {
        if (!member.name || !ts.isIdentifier(member.name)) continue;
        if (ts.isConstructorDeclaration(member)) continue;
        const jsDoc = ts.getJSDocCommentsAndTags(member).filter(ts.isJSDoc);
        docs.set(member.name.text, jsDoc.map((d) => ts.getTextOfJSDocComment(d.comment) ?? "").join(" "));
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return docs;
}

const ROOT = path.resolve(__dirname, "../../..");

it("ClerkUserArgs has exactly the table's fields, each documented with the table's doc line", () => {
  expect(argsMatchTable && inputsMatchTable).toBe(true);
  const docs = docsOf(path.join(ROOT, "src/resource/ClerkUserArgs.ts"), "ClerkUserArgs");
  const expected = fieldNames(USER_FIELDS).filter((k) => USER_FIELDS[k].config !== "program");
  expect([...docs.keys()]).toEqual(expected);
  for (const k of expected) expect([k, docs.get(k)]).toEqual([k, USER_FIELDS[k].doc]);
});

it("ClerkUser declares every echoed field and every output, each with the table's doc line", () => {
  const docs = docsOf(path.join(ROOT, "src/resource/ClerkUser.ts"), "ClerkUser");
  const outputs = fieldNames(USER_OUTPUTS).filter((k) => k !== "declaredInputs");
  expect([...docs.keys()]).toEqual([...ECHOED, ...outputs]);
  for (const k of ECHOED) expect([k, docs.get(k)]).toEqual([k, USER_FIELDS[k].doc]);
  for (const k of outputs) expect([k, docs.get(k)]).toEqual([k, USER_OUTPUTS[k].doc]);
  const declared: Declared[] = [...ECHOED, ...outputs] as Declared[];
  expect(declared.length).toBe(docs.size);
});
