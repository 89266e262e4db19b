/**
 * Texts everyone may see (a resource's name, its project and stack: they are in its URN), for the redactor: a
 * short secret (a two-letter metadata value such as `qa`) is left alone inside them, so `tenant-a/qa-viewer`
 * keeps its name instead of becoming `tenant-a/[redacted]-viewer`. Long secrets are removed everywhere.
 */

/** Every `[start, end)` range of `text` that holds one of `publics`, as given (case-sensitive). */
export function publicRanges(text: string, publics: readonly string[]): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (const p of publics) {
    if (p.length === 0) continue;
    for (let at = text.indexOf(p); at !== -1; at = text.indexOf(p, at + 1)) ranges.push([at, at + p.length]);
  }
  return ranges;
}

/** True when `[a, b)` lies inside one of `ranges`. */
export function withinAny(ranges: ReadonlyArray<readonly [number, number]>, a: number, b: number): boolean {
  return ranges.some(([from, to]) => from <= a && b <= to);
}
