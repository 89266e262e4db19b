import { escapeText } from "./escapeText";
import { formatAge } from "./formatAge";
import type { SweepRow } from "./sweepRow";

const HEADERS = ["ID", "PRIMARY EMAIL", "PROJECT", "STACK", "NAME", "ORIGIN", "AGE"] as const;

/**
 * The rows as a plain-text table, columns padded to their widest cell, one line per user plus a header.
 * Every cell is escaped (`escapeText`), so no value can break a line or send terminal escapes.
 * Pure; every line ends without trailing spaces. An empty list gives just the header.
 */
export function formatTable(rows: readonly SweepRow[]): string[] {
  const cells: string[][] = [
    [...HEADERS],
    ...rows.map((r) =>
      [r.id, r.primaryEmail ?? "-", r.project, r.stack, r.name, r.origin, formatAge(r.ageMs)].map(escapeText),
    ),
  ];
  const widths = HEADERS.map((_, col) => Math.max(...cells.map((line) => (line[col] ?? "").length)));
  return cells.map((line) =>
    line
      .map((cell, col) => (col === line.length - 1 ? cell : cell.padEnd(widths[col] ?? 0)))
      .join("  ")
      .trimEnd(),
  );
}
