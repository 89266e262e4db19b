import { createHash, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  cleanAbandoned,
  collectPeers,
  tryRmdir,
  tryUnlink,
  writeAnnouncement,
  type Announcement,
} from "./announcementFiles";

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
  /**
   * Replaces this process's announcement: its request times inside the window ending at `now`, its pause, and the
   * send times of its requests still awaiting their answers (`inFlight`).
   */
  announce(stamps: readonly number[], pausedUntil: number, now: number, inFlight?: readonly number[]): void;
  /**
   * The other live processes' request times inside the window ending at `now` (ascending) and their latest pause.
   * A request announced in flight and sent a window or more before `now` counts as sent at `now`: it holds its slot
   * until its answer, as in the process that sent it.
   */
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

/** What one process's file-backed shared window remembers. */
interface FileWindow {
  readonly dir: string;
  readonly windowMs: number;
  readonly pid: number;
  readonly isAlive: (pid: number) => boolean;
  readonly onDisabled: ((reason: string) => void) | undefined;
  /** Our announcement: `<pid>-<random>.json` in `dir`. */
  readonly name: string;
  readonly file: string;
  disabled: boolean;
  /** What this process last announced: its file must outlive the process until those requests leave the window. */
  last: Announcement | undefined;
}

export function createFileSharedWindow(params: FileSharedWindowParams): SharedWindow {
  const pid = params.pid ?? process.pid;
  const name = `${pid}-${randomBytes(6).toString("hex")}.json`;
  const w: FileWindow = {
    dir: params.dir,
    windowMs: params.windowMs,
    pid,
    isAlive: params.isAlive ?? defaultIsAlive,
    onDisabled: params.onDisabled,
    name,
    file: path.join(params.dir, name),
    disabled: false,
    last: undefined,
  };
  created(w);
  const onExit = (): void => removeIfSpent(w);
  if (!w.disabled) {
    process.once("exit", onExit);
    cleanAbandoned(path.dirname(w.dir), w.dir, w.windowMs, w.isAlive);
  }
  return {
    announce: (stamps, pausedUntil, t, inFlight = []) => announce(w, stamps, pausedUntil, t, inFlight),
    others: (at) => others(w, at),
    close() {
      removeIfSpent(w);
      w.disabled = true;
      process.removeListener("exit", onExit);
    },
  };
}

function disable(w: FileWindow, reason: string): void {
  if (w.disabled) return;
  w.disabled = true;
  try {
    w.onDisabled?.(reason);
  } catch {
    // A logger must not break the limiter.
  }
}

/** (Re)creates the directory: a process cleaning up may have removed it while it was empty. */
function created(w: FileWindow): boolean {
  try {
    fs.mkdirSync(w.dir, { recursive: true, mode: 0o700 });
    return true;
  } catch (e) {
    disable(w, `cannot create ${w.dir}: ${(e as NodeJS.ErrnoException).code ?? "error"}`);
    return false;
  }
}

/** Removes our file if nothing in it still counts (on exit, or `close`); otherwise readers remove it later. */
function removeIfSpent(w: FileWindow): void {
  const last = w.last;
  if (last === undefined) return;
  const t = Math.max(last.at, Date.now());
  if (last.stamps.some((s) => s > t - w.windowMs) || last.pausedUntil > t) return;
  tryUnlink(w.file);
  tryRmdir(w.dir);
  w.last = undefined;
}

function announce(
  w: FileWindow,
  stamps: readonly number[],
  pausedUntil: number,
  t: number,
  inFlight: readonly number[],
): void {
  if (w.disabled) return;
  const body: Announcement = {
    v: 1,
    pid: w.pid,
    stamps: stamps.filter((s) => s > t - w.windowMs),
    pausedUntil: Number.isFinite(pausedUntil) ? pausedUntil : 0,
    at: t,
    ...(inFlight.length > 0 ? { inFlight: [...inFlight] } : {}),
  };
  let code = writeAnnouncement(w.file, body);
  if (code === "ENOENT" && created(w)) code = writeAnnouncement(w.file, body);
  if (code === undefined) {
    w.last = body;
    return;
  }
  // Windows refuses to rename over a file another process is reading (EPERM/EBUSY): skip this one.
  if (code !== "EPERM" && code !== "EBUSY" && code !== "EACCES") disable(w, `cannot write ${w.file}: ${code}`);
}

function others(w: FileWindow, at: number): PeerView {
  if (w.disabled) return NO_PEERS;
  let names: string[];
  try {
    names = fs.readdirSync(w.dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // Removed while empty by a process cleaning up: nobody has announced anything since.
    if (code !== "ENOENT") disable(w, `cannot read ${w.dir}: ${code ?? "error"}`);
    return NO_PEERS;
  }
  return collectPeers(w.dir, names, w.name, at, w.windowMs, w.isAlive);
}
