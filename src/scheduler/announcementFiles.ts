import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { PeerView } from "./sharedWindow";

/**
 * The file I/O of the shared window (sharedWindow.ts): one file per process, `<pid>-<random>.json`, written whole
 * under a temporary name and renamed (atomic); readers collect the others and delete what nobody needs any more.
 */
export interface Announcement {
  v: 1;
  pid: number;
  stamps: number[];
  pausedUntil: number;
  /** When it was written, epoch ms. */
  at: number;
  /** Send times of the requests still awaiting their answers (absent: none). Older readers ignore it. */
  inFlight?: number[];
}

/**
 * What of one process's announcement counts at `at`: its request times inside the window ending at `at`, and each
 * request still in flight that was sent a window or more ago, as sent at `at` (it holds its slot until its answer).
 */
export function countedAt(a: Pick<Announcement, "stamps" | "inFlight">, at: number, windowMs: number): number[] {
  const out = a.stamps.filter((s) => s > at - windowMs);
  for (const s of a.inFlight ?? []) if (s <= at - windowMs) out.push(at);
  return out;
}

/** Files of processes that are gone, and announcements nobody refreshed for this long, are deleted by readers. */
const STALE_MS = 3_600_000;
/** Leftover temporary files (a writer killed between write and rename) are deleted after this long. */
const STALE_TMP_MS = 60_000;

/** Writes the whole announcement under a temporary name and renames it over `file`; the error code on failure. */
export function writeAnnouncement(file: string, body: Announcement): string | undefined {
  const tmp = `${file}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    fs.writeFileSync(tmp, JSON.stringify(body), { mode: 0o600 });
    fs.renameSync(tmp, file);
    return undefined;
  } catch (e) {
    tryUnlink(tmp);
    return (e as NodeJS.ErrnoException).code ?? "error";
  }
}

/**
 * The request times inside the window ending at `at` (ascending) and the latest pause of the announcements `names`
 * in `dir`, except `own`. Removes leftovers and abandoned announcements on the way.
 */
export function collectPeers(
  dir: string,
  names: readonly string[],
  own: string,
  at: number,
  windowMs: number,
  isAlive: (pid: number) => boolean,
): PeerView {
  const stamps: number[] = [];
  let pausedUntil = Number.NEGATIVE_INFINITY;
  for (const entry of names) {
    if (entry === own) continue;
    const full = path.join(dir, entry);
    if (entry.endsWith(".tmp")) {
      removeIfOlder(full, STALE_TMP_MS, at);
      continue;
    }
    if (!entry.endsWith(".json")) continue;
    let text: string;
    try {
      text = fs.readFileSync(full, "utf8");
    } catch {
      continue; // renamed away or removed meanwhile
    }
    const a = parse(text);
    if (a === undefined) {
      removeIfOlder(full, STALE_TMP_MS, at);
      continue;
    }
    if (isAbandoned(a, at, windowMs, isAlive)) {
      tryUnlink(full);
      continue;
    }
    stamps.push(...countedAt(a, at, windowMs));
    if (a.pausedUntil > pausedUntil) pausedUntil = a.pausedUntil;
  }
  stamps.sort((x, y) => x - y);
  return { stamps, pausedUntil };
}

function parse(text: string): Announcement | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof v !== "object" || v === null) return undefined;
  const a = v as Partial<Announcement>;
  if (a.v !== 1 || !Number.isInteger(a.pid) || !Array.isArray(a.stamps) || typeof a.at !== "number") return undefined;
  const times = (xs: unknown[]): boolean => xs.every((t) => typeof t === "number" && Number.isFinite(t));
  if (typeof a.pausedUntil !== "number" || !times(a.stamps)) return undefined;
  if (a.inFlight !== undefined && !(Array.isArray(a.inFlight) && times(a.inFlight))) return undefined;
  return a as Announcement;
}

/**
 * An announcement nobody needs: everything in it left the window (it was written more than a window ago) and its
 * process is gone, or nobody refreshed it for an hour. Deleting it is safe even if the process check is wrong
 * (another PID namespace sharing the directory): none of its requests count any more.
 */
function isAbandoned(a: Announcement, now: number, windowMs: number, isAlive: (pid: number) => boolean): boolean {
  if (now - a.at <= windowMs || a.pausedUntil > now) return false;
  return now - a.at > STALE_MS || !isAlive(a.pid);
}

/**
 * Once per process: removes what processes that were killed (the engine kills provider hosts) left in the other
 * instances' directories under `root`, and the directories that end up empty, so the temp dir does not fill up.
 */
export function cleanAbandoned(root: string, own: string, windowMs: number, isAlive: (pid: number) => boolean): void {
  let dirs: string[];
  try {
    dirs = fs.readdirSync(root);
  } catch {
    return;
  }
  const now = Date.now();
  for (const d of dirs) {
    const dir = path.join(root, d);
    if (dir === own) continue;
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      continue;
    }
    for (const entry of names) cleanEntry(path.join(dir, entry), now, windowMs, isAlive);
    tryRmdir(dir);
  }
}

function cleanEntry(full: string, now: number, windowMs: number, isAlive: (pid: number) => boolean): void {
  if (!full.endsWith(".json")) {
    removeIfOlder(full, STALE_TMP_MS, now);
    return;
  }
  let a: Announcement | undefined;
  try {
    a = parse(fs.readFileSync(full, "utf8"));
  } catch {
    return;
  }
  if (a === undefined) removeIfOlder(full, STALE_TMP_MS, now);
  else if (isAbandoned(a, now, windowMs, isAlive)) tryUnlink(full);
}

export function tryRmdir(dir: string): void {
  try {
    fs.rmdirSync(dir); // only when empty
  } catch {
    // Not empty, or gone.
  }
}

export function tryUnlink(file: string): void {
  try {
    fs.unlinkSync(file);
  } catch {
    // Someone else removed it first.
  }
}

/** Removes `file` if it was last modified more than `ageMs` before `now` (epoch ms). */
function removeIfOlder(file: string, ageMs: number, now: number): void {
  try {
    if (now - fs.statSync(file).mtimeMs > ageMs) tryUnlink(file);
  } catch {
    // Gone already.
  }
}
