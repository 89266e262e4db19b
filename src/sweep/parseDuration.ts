import ms from "ms";
import { SweepUsageError } from "./SweepUsageError";

/**
 * Parses a positive duration such as `24h`, `7d`, `90m` or `2 weeks` (any unit `ms` understands) into
 * milliseconds. A bare number is rejected: `ms` would read `24` as 24 milliseconds, which nobody means.
 *
 * @throws SweepUsageError naming the flag, the value and an example, for anything else.
 */
export function parseDuration(text: string, flag = "--older-than"): number {
  const value = text.trim();
  const hint = `expected a positive duration with a unit, e.g. 24h, 7d, 90m or "2 weeks"`;
  if (value === "") throw new SweepUsageError(`${flag}: empty duration; ${hint}`);
  if (/^[+-]?\d+(\.\d+)?$/.test(value)) {
    throw new SweepUsageError(`${flag}: "${value}" has no unit; ${hint}`);
  }
  let parsed: number | undefined;
  try {
    parsed = ms(value as ms.StringValue) as number | undefined;
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || !Number.isFinite(parsed)) {
    throw new SweepUsageError(`${flag}: "${value}" is not a duration; ${hint}`);
  }
  if (parsed <= 0) throw new SweepUsageError(`${flag}: "${value}" must be greater than zero; ${hint}`);
  return parsed;
}
