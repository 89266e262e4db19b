import type { DeleteReport } from "./DeleteReport";
import { escapeText } from "./escapeText";
import type { SweepKind } from "./sweepKinds";

/**
 * The closing lines of one kind in `delete`: first `users: deleted 42, already gone 1, failed 2`, then one line
 * per failure, `failed user user_… (project/stack/name): reason`, in the order they were selected. Escaped.
 */
export function formatSummary(kind: Pick<SweepKind, "name" | "singular">, report: DeleteReport): string[] {
  const lines = [
    `${kind.name}: deleted ${report.deleted.length}, already gone ${report.alreadyGone.length}, ` +
      `failed ${report.failed.length}`,
  ];
  for (const f of report.failed) {
    const m = f.selected.marker;
    lines.push(
      escapeText(`failed ${kind.singular} ${f.selected.item.id} (${m.project}/${m.stack}/${m.name}): ${f.reason}`),
    );
  }
  return lines;
}
