import { createHash, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/**
 * How the processes on one machine that use the same Clerk instance see each other's requests: every process
 * announces the send times of its requests within the current window (and a pause Clerk asked for), and reads
 * everyone else's. The instance limiter counts them with its own, so K concurrent `pulumi up`s on one CI runner
 * share the limit as one process would, instead of each believing it has all of it.
 *
 * Safety without locks: a process announces a request *before* it sends it, then reads the others. Of two
 * processes that take the last free slot at the same moment, the one that reads second always sees both
 * announcements, so it withdraws (and maybe both do, then retry after a short random wait): the window is never
 * overfilled by a race. Everything here is best effort: on any file-system error a process simply sees no
 * peers, and the adaptive limiter (429 → lower, success → recover) still protects the instance.
 */
export interface SharedWindow {
  /** Replaces this process's announcement: its request times inside the window ending at `now`, and its pause. */
  announce(stamps: readonly number[], pausedUntil: number, now: number): void;
  /** The other live processes' request times inside the window ending at `now` (ascending) and their latest pause. */
  others(now: number): PeerView;
  /** Withdraws this process (its file is removed). */
  close(): void;
}

export interface PeerView {
  stamps: number[];
  pausedUntil: number;
}

export const NO_PEERS: PeerView = Object.freeze({ stamps: [], pausedUntil: Number.NEGATIVE_INFINITY }) as PeerView;

export interface FileSharedWindowParams {
  /** The directory of this instance's announcements (created, mode 0700). */
  dir: string;
  /**
   * Clerk's window, ms: older request times are neither written nor read. All times are epoch ms from the same
   * clock in every process (the scheduler's `systemClock`).
   */
  windowMs: number;
  /** For tests: this process's id and liveness check. */
  pid?: number;
  isAlive?: (pid: number) => boolean;
  /** Called once with the reason when coordination is switched off after an error (debug log). */
  onDisabled?: (reason: string) => void;
}

/** One file per process: `<pid>-<random>.json`, written whole under a temporary name and renamed (atomic). */
interface Announcement {
  v: 1;
  pid: number;
  stamps: number[];
  pausedUntil: number;
  /** When it was written, epoch ms. */
  at: number;
}

/** Files of processes that are gone, and announcements nobody refreshed for this long, are deleted by readers. */
const STALE_MS = 3_600_000;
/** Leftover temporary files (a writer killed between write and rename) are deleted after this long. */
const STALE_TMP_MS = 60_000;

/**
 * The directory where the processes using one Clerk instance meet: `<root>/<id>`, where `id` is a hash of the API
 * URL and the secret key under a domain prefix (so the name reveals neither, and equals no other hash of the key).
 */
export function sharedWindowDir(root: string, apiUrl: string, secretKey: string): string {
  const url = apiUrl.trim().replace(/\/+$/, "");
  const id = createHash("sha256").update(`pulumi-clerk/shared-window\0${url}\0${secretKey}`, "utf8").digest("hex");
  return path.join(root, id.slice(0, 32));
}

/** The default root: `<os temp dir>/pulumi-clerk-rate-limit`. */
export function defaultSharedWindowRoot(): string {
  return path.join(os.tmpdir(), "pulumi-clerk-rate-limit");
}

function defaultIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
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
  if (typeof a.pausedUntil !== "number" || !a.stamps.every((t) => typeof t === "number" && Number.isFinite(t)))
    return undefined;
  return a as Announcement;
}

export function createFileSharedWindow(params: FileSharedWindowParams): SharedWindow {
  const { dir, windowMs } = params;
  const pid = params.pid ?? process.pid;
  const isAlive = params.isAlive ?? defaultIsAlive;
  const name = `${pid}-${randomBytes(6).toString("hex")}.json`;
  const file = path.join(dir, name);
  let disabled = false;

  const disable = (reason: string): void => {
    if (disabled) return;
    disabled = true;
    try {
      params.onDisabled?.(reason);
    } catch {
      // A logger must not break the limiter.
    }
  };

  /** (Re)creates the directory: a process cleaning up may have removed it while it was empty. */
  const created = (): boolean => {
    try {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      return true;
    } catch (e) {
      disable(`cannot create ${dir}: ${(e as NodeJS.ErrnoException).code ?? "error"}`);
      return false;
    }
  };
  created();

  /** Writes the whole announcement under a temporary name and renames it over ours; the error code on failure. */
  const write = (body: Announcement): string | undefined => {
    const tmp = `${file}.${randomBytes(4).toString("hex")}.tmp`;
    try {
      fs.writeFileSync(tmp, JSON.stringify(body), { mode: 0o600 });
      fs.renameSync(tmp, file);
      return undefined;
    } catch (e) {
      tryUnlink(tmp);
      return (e as NodeJS.ErrnoException).code ?? "error";
    }
  };

  /** What this process last announced: its file must outlive the process until those requests leave the window. */
  let last: Announcement | undefined;

  /** Removes our file if nothing in it still counts (on exit, or `close`); otherwise readers remove it later. */
  const removeIfSpent = (): void => {
    if (last === undefined) return;
    const t = Math.max(last.at, Date.now());
    if (last.stamps.some((s) => s > t - windowMs) || last.pausedUntil > t) return;
    tryUnlink(file);
    tryRmdir(dir);
    last = undefined;
  };
  const onExit = (): void => removeIfSpent();
  if (!disabled) {
    process.once("exit", onExit);
    cleanAbandoned(path.dirname(dir), dir, windowMs, isAlive);
  }

  return {
    announce(stamps, pausedUntil, t) {
      if (disabled) return;
      const body: Announcement = {
        v: 1,
        pid,
        stamps: stamps.filter((s) => s > t - windowMs),
        pausedUntil: Number.isFinite(pausedUntil) ? pausedUntil : 0,
        at: t,
      };
      let code = write(body);
      if (code === "ENOENT" && created()) code = write(body);
      if (code === undefined) {
        last = body;
        return;
      }
      // Windows refuses to rename over a file another process is reading (EPERM/EBUSY): skip this one.
      if (code !== "EPERM" && code !== "EBUSY" && code !== "EACCES") disable(`cannot write ${file}: ${code}`);
    },

    others(at) {
      if (disabled) return NO_PEERS;
      let names: string[];
      try {
        names = fs.readdirSync(dir);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        // Removed while empty by a process cleaning up: nobody has announced anything since.
        if (code !== "ENOENT") disable(`cannot read ${dir}: ${code ?? "error"}`);
        return NO_PEERS;
      }
      const stamps: number[] = [];
      let pausedUntil = Number.NEGATIVE_INFINITY;
      for (const entry of names) {
        if (entry === name) continue;
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
        for (const s of a.stamps) if (s > at - windowMs) stamps.push(s);
        if (a.pausedUntil > pausedUntil) pausedUntil = a.pausedUntil;
      }
      stamps.sort((x, y) => x - y);
      return { stamps, pausedUntil };
    },

    close() {
      removeIfSpent();
      disabled = true;
      process.removeListener("exit", onExit);
    },
  };
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
function cleanAbandoned(root: string, own: string, windowMs: number, isAlive: (pid: number) => boolean): void {
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
    for (const entry of names) {
      const full = path.join(dir, entry);
      if (!entry.endsWith(".json")) {
        removeIfOlder(full, STALE_TMP_MS, now);
        continue;
      }
      let a: Announcement | undefined;
      try {
        a = parse(fs.readFileSync(full, "utf8"));
      } catch {
        continue;
      }
      if (a === undefined) removeIfOlder(full, STALE_TMP_MS, now);
      else if (isAbandoned(a, now, windowMs, isAlive)) tryUnlink(full);
    }
    tryRmdir(dir);
  }
}

function tryRmdir(dir: string): void {
  try {
    fs.rmdirSync(dir); // only when empty
  } catch {
    // Not empty, or gone.
  }
}

function tryUnlink(file: string): void {
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
