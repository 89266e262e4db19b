import type { DeleteReport } from "./DeleteReport";
import { escapeText } from "./escapeText";

/**
 * The closing lines of `delete`: first `deleted 42, already gone 1, failed 2`, then one line per failure,
 * `failed user_… (project/stack/name): reason`, in the order the users were selected. Values are escaped.
 */
export function formatSummary(report: DeleteReport): string[] {
  const lines = [
    `deleted ${report.deleted.length}, already gone ${report.alreadyGone.length}, failed ${report.failed.length}`,
  ];
  for (const f of report.failed) {
    const m = f.user.marker;
    lines.push(escapeText(`failed ${f.user.user.id} (${m.project}/${m.stack}/${m.name}): ${f.reason}`));
  }
  return lines;
}
