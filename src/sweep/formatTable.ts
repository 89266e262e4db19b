import { escapeText } from "./escapeText";
import { formatAge } from "./formatAge";
import type { SweepRow } from "./sweepRow";

/** The columns of one kind's table: the id column names the kind; the second is what identifies it to people. */
const COLUMNS: Readonly<Record<SweepRow["kind"], readonly [string, string]>> = {
  user: ["USER ID", "PRIMARY EMAIL"],
  organization: ["ORGANIZATION ID", "SLUG"],
};
const SHARED = ["PROJECT", "STACK", "NAME", "ORIGIN", "AGE"] as const;

/**
 * The rows of one kind as a plain-text table, columns padded to their widest cell, one line per row plus a
 * header whose first column names the kind (`USER ID`, `ORGANIZATION ID`). Every cell is escaped (`escapeText`),
 * so no value can break a line or send terminal escapes. Pure; no line ends with spaces. No rows: just the header.
 */
export function formatTable(kind: SweepRow["kind"], rows: readonly SweepRow[]): string[] {
  const headers = [...COLUMNS[kind], ...SHARED];
  const cells: string[][] = [
    headers,
    ...rows.map((r) => [r.id, detailOf(r), r.project, r.stack, r.name, r.origin, formatAge(r.ageMs)].map(escapeText)),
  ];
  const widths = headers.map((_, col) => Math.max(...cells.map((line) => (line[col] ?? "").length)));
  return cells.map((line) =>
    line
      .map((cell, col) => (col === line.length - 1 ? cell : cell.padEnd(widths[col] ?? 0)))
      .join("  ")
      .trimEnd(),
  );
}

function detailOf(r: SweepRow): string {
  return r.kind === "user" ? (r.primaryEmail ?? "-") : r.slug;
}
