import { Readable } from "node:stream";
import { resetGateways } from "../../src/clerk/gateway";
import { main } from "../../src/sweep/cli";
import type { ExitCode } from "../../src/sweep/exitCodes";
import type { LocalClerk, StoredOrganization, StoredUser } from "../local-clerk";
import { newId } from "../local-clerk/ids";
import { MALFORMED_MARKERS, markerV2 } from "./fixtures";

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const PROJECTS = ["app", "billing", "search"] as const;
export const STACKS = ["ci-1", "ci-2", "pr-7", "prod"] as const;

/** One seeded user and what the test knows about it. */
export interface Seeded {
  id: string;
  /** The marker as seeded, or undefined for unmarked and malformed users. */
  marker?: { project: string; stack: string; name: string };
  ageMs: number;
  kind: "marked" | "unmarked" | "malformed";
}

/**
 * Seeds `control` directly (no API calls, no log entries): 240 users with a v2 marker of a created user over
 * 3 projects × 4 stacks with ages from 1 h to ~4.5 days, 40 unmarked users (some with other private metadata,
 * all old) and 12 users whose marker is malformed (also old, some naming real projects and stacks, some blank).
 */
export function seed(clerk: LocalClerk, now: number): Seeded[] {
  const out: Seeded[] = [];
  const put = (i: number, ageMs: number, privateMetadata: StoredUser["private_metadata"]): string =>
    putUser(clerk, now, `seed${i}@example.com`, ageMs, privateMetadata);
  let i = 0;
  for (let k = 0; k < 240; k++, i++) {
    const project = PROJECTS[k % 3]!;
    const stack = STACKS[Math.floor(k / 3) % 4]!;
    const name = `user-${k}`;
    const ageMs = (k % 10) * 12 * HOUR + HOUR + k * 1000;
    const id = put(i, ageMs, { ...markerV2(project, stack, name), team: "qa" });
    out.push({ id, marker: { project, stack, name }, ageMs, kind: "marked" });
  }
  for (let k = 0; k < 40; k++, i++) {
    const ageMs = 10 * DAY + k * 1000;
    const id = put(i, ageMs, k % 2 === 0 ? {} : { project: "app", stack: "ci-1", name: `x${k}` });
    out.push({ id, ageMs, kind: "unmarked" });
  }
  for (const [k, pm] of MALFORMED_MARKERS.entries()) {
    const ageMs = 10 * DAY + k * 1000;
    const id = put(i++, ageMs, pm as StoredUser["private_metadata"]);
    out.push({ id, ageMs, kind: "malformed" });
  }
  return out;
}

/** Puts one user with `privateMetadata` and a primary email, created `ageMs` before `now`. Returns its id. */
export function putUser(
  clerk: LocalClerk,
  now: number,
  email: string,
  ageMs: number,
  privateMetadata: StoredUser["private_metadata"],
): string {
  const createdAt = now - ageMs;
  const emailId = newId("idn");
  return clerk.control.putUser({
    id: newId("user", createdAt),
    created_at: createdAt,
    updated_at: createdAt,
    private_metadata: privateMetadata,
    email_addresses: [
      {
        id: emailId,
        email_address: email,
        verified: true,
        reserved: false,
        created_at: createdAt,
        updated_at: createdAt,
      },
    ],
    primary_email_address_id: emailId,
  }).id;
}

/** Puts one organization with `privateMetadata`, created `ageMs` before `now` (no members). Returns its id. */
export function putOrganization(
  clerk: LocalClerk,
  now: number,
  slug: string,
  ageMs: number,
  privateMetadata: StoredOrganization["private_metadata"],
): string {
  const createdAt = now - ageMs;
  return clerk.control.putOrganization({
    id: newId("org", createdAt),
    name: `Org ${slug}`,
    slug,
    private_metadata: privateMetadata,
    created_at: createdAt,
    updated_at: createdAt,
  }).id;
}

export function ids(
  users: readonly Seeded[],
  pred: (u: Seeded & { marker: NonNullable<Seeded["marker"]> }) => boolean,
): string[] {
  return users
    .filter((u): u is Seeded & { marker: NonNullable<Seeded["marker"]> } => u.marker !== undefined)
    .filter(pred)
    .map((u) => u.id)
    .sort();
}

export interface RunResult {
  code: ExitCode;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Replaces the default environment entirely when given as a function of it. */
  env?: (base: NodeJS.ProcessEnv) => NodeJS.ProcessEnv;
  stdinTTY?: boolean;
  stdinText?: string;
  /** Replaces stdin entirely (for a prompt answer with side effects). */
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
  now: number;
}

/**
 * Runs `clerk-sweep` in-process against the local Clerk, with a fresh instance entry (gateway and scheduler):
 * the registry is keyed by URL and key only, so settings such as the retry budget would otherwise stick from
 * the first run of the file.
 */
export async function runSweep(clerk: LocalClerk, args: string[], opts: RunOptions): Promise<RunResult> {
  resetGateways();
  let stdout = "";
  let stderr = "";
  const base: NodeJS.ProcessEnv = {
    CLERK_SECRET_KEY: clerk.secretKey,
    CLERK_API_URL: clerk.url,
    CLERK_MAX_REQUESTS_PER_10S: "100000",
    PATH: process.env["PATH"] ?? "",
  };
  const stdin =
    opts.stdin ??
    Object.assign(Readable.from(opts.stdinText !== undefined ? [opts.stdinText] : []), {
      isTTY: opts.stdinTTY ?? false,
    });
  const code = await main(args, {
    stdout: { write: (s: string) => ((stdout += s), true), isTTY: false },
    stderr: { write: (s: string) => ((stderr += s), true), isTTY: false },
    stdin,
    env: opts.env ? opts.env(base) : base,
    now: () => opts.now,
  });
  return { code, stdout, stderr };
}

export const sorted = (xs: Iterable<string>): string[] => [...xs].sort();
