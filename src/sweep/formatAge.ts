import ms from "ms";

/** A short, human age such as `3d`, `5h`, `12m` or `40s` (rounded, like `ms`). */
export function formatAge(ageMs: number): string {
  if (ageMs < 1000) return "0s";
  return ms(Math.round(ageMs));
}
