/**
 * "Did you mean" for misspelled input names: the closest known name by case-insensitive edit distance (adjacent swaps count as one edit),
 * also matching snake_case spellings (`first_name`) and singular prefixes (`email` → `emailAddresses`).
 */
export function suggestName(name: string, known: readonly string[]): string | undefined {
  const squash = (s: string): string => s.toLowerCase().replace(/[_\-\s]/g, "");
  const target = squash(name);
  if (target.length === 0) return undefined;
  const exact = known.find((k) => squash(k) === target);
  if (exact) return exact;
  let best: { name: string; distance: number } | undefined;
  for (const k of known) {
    const d = editDistance(target, squash(k));
    if (!best || d < best.distance) best = { name: k, distance: d };
  }
  const budget = Math.max(1, Math.min(3, Math.floor(target.length / 4)));
  if (best && best.distance <= budget) return best.name;
  if (target.length >= 4) {
    const prefixed = known.filter((k) => squash(k).startsWith(target));
    if (prefixed.length === 1) return prefixed[0];
  }
  return undefined;
}

/**
 * Optimal string alignment distance: Levenshtein plus the swap of two adjacent characters as one edit, the most
 * common typo (`slgu` for `slug`, `rloe` for `role`), which plain Levenshtein counts as two.
 */
function editDistance(a: string, b: string): number {
  let before: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (before[j - 2] ?? 0) + 1);
      cur[j] = d;
    }
    before = prev;
    prev = cur;
  }
  return prev[b.length] ?? 0;
}
