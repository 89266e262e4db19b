/**
 * The benchmark's users and small helpers, free of @pulumi/pulumi (the plain-loop child process loads only this
 * and @clerk/backend).
 */
import { MARKER_KEY, markerFor } from "../src/marker/managedByMarker";

export const PROJECT = "pulumi-clerk";

/** The arguments of benchmark user `i`: one email, names, public metadata (a typical seeded QA user, no password). */
export function userArgs(
  prefix: string,
  i: number,
): {
  emailAddresses: string[];
  firstName: string;
  lastName: string;
  publicMetadata: { role: string; index: number };
} {
  return {
    emailAddresses: [`${prefix}-${i}@example.com`],
    firstName: "Bench",
    lastName: `User ${i}`,
    publicMetadata: { role: "qa", index: i },
  };
}

export function userName(prefix: string, i: number): string {
  return `${prefix}-${i}`;
}

/**
 * The `POST /users` body the provider sends for benchmark user `i` (camelCase, as `@clerk/backend` takes it):
 * what the plain loop sends too, so both create the same users.
 */
export function plainCreateParams(stack: string, prefix: string, i: number): Record<string, unknown> {
  const a = userArgs(prefix, i);
  return {
    emailAddress: a.emailAddresses,
    firstName: a.firstName,
    lastName: a.lastName,
    publicMetadata: a.publicMetadata,
    privateMetadata: { [MARKER_KEY]: markerFor({ project: PROJECT, stack, name: userName(prefix, i) }) },
  };
}

export function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** A monotonic clock in ms. */
export function nowMs(): number {
  return performance.now();
}

/** Runs `fn` over `items` with at most `concurrency` calls in flight (a plain worker pool). */
export async function pool<T>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]!, i);
    }
  });
  await Promise.all(workers);
}
