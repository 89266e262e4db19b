/**
 * RFC 3339 timestamps as Clerk's Go backend parses them (`time.RFC3339`): `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`,
 * upper-case `T` and `Z`, real calendar dates. Clerk stores milliseconds, so instants are compared at
 * millisecond precision (extra fraction digits are truncated, as Clerk does).
 */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|([+-])(\d{2}):(\d{2}))$/;

/** Milliseconds since the epoch for a valid RFC 3339 string; `undefined` for anything else. */
export function parseRfc3339(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const m = RFC3339.exec(value);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth) return undefined;
  let offsetMinutes = 0;
  if (m[8] !== "Z") {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) return undefined;
    offsetMinutes = (m[9] === "-" ? -1 : 1) * (oh * 60 + om);
  }
  const millis = Number((m[7] ?? "").padEnd(3, "0").slice(0, 3));
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day);
  utc.setUTCHours(hour, minute, second, millis);
  const ms = utc.getTime() - offsetMinutes * 60_000;
  return Number.isFinite(ms) ? ms : undefined;
}

/** True for a valid RFC 3339 timestamp. */
export function isRfc3339(value: unknown): value is string {
  return parseRfc3339(value) !== undefined;
}

/** True when both are valid timestamps naming the same millisecond. */
export function sameInstant(a: unknown, b: unknown): boolean {
  const ma = parseRfc3339(a);
  return ma !== undefined && ma === parseRfc3339(b);
}

/** Clerk's millisecond timestamps as the ISO string the outputs carry. */
export function isoFromMillis(ms: number): string {
  return new Date(ms).toISOString();
}
