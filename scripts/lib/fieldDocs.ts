/**
 * The reference docs' field lists, rendered from a field table so they cannot drift from it. `npm run docs`
 * writes them between the `<!-- fields:<kind>:<part>:start/end -->` markers; a test checks the files are current.
 */
import { fieldNames, isEchoed, type FieldSpec, type FieldTable, type OutputTable } from "../../src/model/fields";

const WIDTH = 118;

function typeOf(spec: FieldSpec): string {
  const rule = spec.rule;
  let t: string;
  if (rule?.kind === "rfc3339") t = "RFC 3339 string";
  else if (rule?.kind === "oneOf") t = "hasher name";
  else if (rule?.kind === "nonNegativeInteger") t = "integer ≥ 0";
  else if (rule?.kind === "identifier" && rule.identifier === "phone") t = "`string[]`, E.164";
  else if (spec.type === "jsonObject") t = "JSON object";
  else if (spec.type === "stringList") t = "`string[]`";
  else if (spec.type === "object") t = "`{project, stack, name}`";
  else t = `\`${spec.type === "integer" ? "number" : spec.type}\``;
  return spec.secret ? `${t}, secret` : t;
}

function appliedBy(spec: FieldSpec): string {
  const u = spec.update;
  const wo = spec.writeOnly ? ", write-only" : "";
  switch (u.via) {
    case "identifications":
      return "in place: identification endpoints";
    case "replace":
      return "**replace** (delete first)";
    case "metadata":
      return "`PUT metadata`, replaced";
    case "mergeMetadata":
      return "`PATCH metadata`, removed keys sent as `null`";
    case "action":
      return `\`POST …/${u.on}\`, \`…/${u.off}\``;
    case "none":
      return spec.create === false ? "provider-side" : `create only${wo}`;
    case "patch":
      if ("ridesWith" in u) return `with \`${u.ridesWith}\`${wo}`;
      if ("pairedWith" in u) return `with \`${u.pairedWith}\`${wo}`;
      return `\`PATCH\`${wo}`;
  }
}

function absentMeans(spec: FieldSpec): string {
  if (spec.required) return "required";
  if (spec.managed === "declared") return spec.compare === "strict" ? "instance default" : "unmanaged";
  switch (spec.compare) {
    case "identifiers":
      return "none";
    case "blank":
      return "cleared";
    case "falseIfAbsent":
      return "false";
    case "metadata":
      return spec.holdsMarker ? "`{}`, plus the marker" : "`{}`";
    default:
      return spec.writeOnly ? "no Clerk call" : "—";
  }
}

/** A bullet wrapped at the docs' width, continuation lines indented under it. */
function bullet(head: string, text: string): string {
  const words = `- ${head}: ${text}`.split(" ");
  const lines: string[] = [];
  let line = "";
  for (const w of words) {
    if (line && (line + " " + w).length > WIDTH) {
      lines.push(line);
      line = "  " + w;
    } else line = line ? `${line} ${w}` : w;
  }
  lines.push(line);
  return lines.join("\n");
}

/** One bullet per argument: name, type, how it is applied, what absence means, and its doc line. */
export function renderArgs(table: FieldTable): string {
  return fieldNames(table)
    .filter((k) => table[k]!.config !== "program")
    .map((k) => {
      const s = table[k]!;
      return bullet(`\`${k}\``, `${typeOf(s)}; ${appliedBy(s)}; absent: ${absentMeans(s)}. ${s.doc}`);
    })
    .join("\n");
}

/** One bullet per output: the echoed fields (as Clerk holds them) and the computed outputs. */
export function renderOutputs(table: FieldTable, outputs: OutputTable): string {
  const echoed = fieldNames(table)
    .filter((k) => isEchoed(table[k]!))
    .map((k) => bullet(`\`${k}\``, `${typeOf(table[k]!)}; as Clerk holds it (see the argument).`));
  const computed = fieldNames(outputs)
    .filter((k) => k !== "declaredInputs")
    .map((k) => {
      const o = outputs[k]!;
      return bullet(`\`${k}\``, `\`${o.type}\`${o.secret ? ", secret" : ""}. ${o.doc}`);
    });
  return [...echoed, ...computed].join("\n");
}

/** `text` with the block between `<!-- fields:<id>:start -->` and `:end -->` replaced by `body`. */
export function replaceBlock(text: string, id: string, body: string): string {
  const start = `<!-- fields:${id}:start -->`;
  const end = `<!-- fields:${id}:end -->`;
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < a) throw new Error(`no ${start} … ${end} block`);
  return `${text.slice(0, a + start.length)}\n\n${body}\n\n${text.slice(b)}`;
}
