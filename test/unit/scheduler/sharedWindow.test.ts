/**
 * The announcement files that let processes on one machine share an instance's limit: what one process sees of
 * another, and the robustness rules (stale files of killed processes, corrupt or half-written files, a directory
 * removed under us, an unusable directory, concurrent writers). Real files in a temporary directory.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createFileSharedWindow, sharedWindowDir, type SharedWindow } from "../../../src/scheduler/sharedWindow";

const WINDOW = 10_250;
let root: string;
let dir: string;
const opened: SharedWindow[] = [];

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "shared-window-test-"));
  dir = path.join(root, "instance");
});
afterEach(() => {
  for (const w of opened.splice(0)) w.close();
  fs.rmSync(root, { recursive: true, force: true });
});

function open(opts: { pid?: number; isAlive?: (pid: number) => boolean; onDisabled?: (r: string) => void } = {}) {
  const w = createFileSharedWindow({ dir, windowMs: WINDOW, isAlive: () => true, ...opts });
  opened.push(w);
  return w;
}

function files(): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
}

describe("sharedWindowDir", () => {
  it("one directory per instance, named by a hash that reveals neither the key nor the URL", () => {
    const key = "sk_test_abcdefghijklmnopqrstuvwxyz0123456789";
    const a = sharedWindowDir("/r", "https://api.clerk.com/", key);
    expect(a).toBe(sharedWindowDir("/r", "https://api.clerk.com", key));
    expect(path.dirname(a)).toBe("/r");
    expect(path.basename(a)).toMatch(/^[0-9a-f]{32}$/);
    expect(a).not.toContain(key.slice(8, 20));
    expect(sharedWindowDir("/r", "https://api.clerk.com", key + "x")).not.toBe(a);
    expect(sharedWindowDir("/r", "http://127.0.0.1:1234", key)).not.toBe(a);
  });
});

describe("createFileSharedWindow", () => {
  it("each process sees the others' requests inside the window and their longest pause, never its own", () => {
    const now = Date.now();
    const a = open({ pid: 101 });
    const b = open({ pid: 102 });
    const c = open({ pid: 103 });
    a.announce([now - 20_000, now - 5000, now - 10], now + 3000, now);
    b.announce([now - 7000], Number.NEGATIVE_INFINITY, now);
    expect(c.others(now)).toEqual({ stamps: [now - 7000, now - 5000, now - 10], pausedUntil: now + 3000 });
    expect(a.others(now)).toEqual({ stamps: [now - 7000], pausedUntil: 0 });
    // 6 s later the window starts at now − 4.25 s: only a's last request is still in it.
    expect(c.others(now + 6000).stamps).toEqual([now - 10]);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
  });

  it("a request announced in flight counts as sent at the reader's now once it is a window old, until answered", () => {
    const now = Date.now();
    const a = open({ pid: 111 });
    const reader = open({ pid: 112 });
    a.announce([now - 100, now - 50], Number.NEGATIVE_INFINITY, now, [now - 100]);
    expect(JSON.parse(fs.readFileSync(path.join(dir, files()[0]!), "utf8"))).toMatchObject({ inFlight: [now - 100] });
    expect(reader.others(now).stamps).toEqual([now - 100, now - 50]);
    // A window later the answered one has left; the unanswered one still holds its slot, as if sent now.
    const later = now - 100 + WINDOW + 5000;
    expect(reader.others(later).stamps).toEqual([later]);
    // Its answer (announced as a stamp, no longer in flight) counts a window from the answer, then leaves.
    a.announce([later], Number.NEGATIVE_INFINITY, later);
    expect(reader.others(later).stamps).toEqual([later]);
    expect(reader.others(later + WINDOW).stamps).toEqual([]);
    // An announcement whose in-flight list is not a list of times is not an announcement.
    fs.writeFileSync(
      path.join(dir, "9-zz.json"),
      JSON.stringify({ v: 1, pid: 9, stamps: [later], pausedUntil: 0, at: later, inFlight: ["x"] }),
    );
    expect(reader.others(later).stamps).toEqual([later]);
  });

  it("a killed process's requests count until they leave the window; then its file is removed", () => {
    const now = Date.now();
    const dead = open({ pid: 201 });
    dead.announce([now - 100], Number.NEGATIVE_INFINITY, now);
    const reader = open({ pid: 202, isAlive: (pid) => pid !== 201 });
    expect(reader.others(now).stamps).toEqual([now - 100]);
    expect(files()).toHaveLength(1);
    expect(reader.others(now + WINDOW + 1)).toEqual({ stamps: [], pausedUntil: Number.NEGATIVE_INFINITY });
    expect(files()).toEqual([]);
  });

  it("a live process's file stays while it is idle, but not after an hour without a word", () => {
    const now = Date.now();
    const idle = open({ pid: 301 });
    idle.announce([now], Number.NEGATIVE_INFINITY, now);
    const reader = open({ pid: 302 });
    reader.others(now + 5 * 60_000);
    expect(files()).toHaveLength(1);
    reader.others(now + 3_600_001 + WINDOW);
    expect(files()).toEqual([]);
  });

  it("ignores files that are not announcements, and removes them (and leftover temporary files) after a minute", () => {
    const now = Date.now();
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "1-aa.json"), "{ not json");
    fs.writeFileSync(path.join(dir, "2-bb.json"), JSON.stringify({ v: 2, pid: 2, stamps: [now], at: now }));
    fs.writeFileSync(path.join(dir, "3-cc.json.1234.tmp"), "{");
    fs.writeFileSync(path.join(dir, "README"), "someone else's file");
    const reader = open({ pid: 401 });
    expect(reader.others(now)).toEqual({ stamps: [], pausedUntil: Number.NEGATIVE_INFINITY });
    expect(files()).toHaveLength(4);
    const old = new Date(now - 120_000);
    for (const f of files()) fs.utimesSync(path.join(dir, f), old, old);
    reader.others(now);
    expect(files()).toEqual(["README"]);
  });

  it("close: the file goes when nothing in it counts any more, and stays while its requests do", () => {
    const now = Date.now();
    const spent = open({ pid: 501 });
    spent.announce([now - WINDOW - 1], Number.NEGATIVE_INFINITY, now);
    const recent = open({ pid: 502 });
    recent.announce([now], Number.NEGATIVE_INFINITY, now);
    expect(files()).toHaveLength(2);
    spent.close();
    recent.close();
    expect(files()).toHaveLength(1);
    expect(files()[0]).toMatch(/^502-[0-9a-f]{12}\.json$/);
  });

  it("a directory removed while empty (another process cleaning up) is created again on the next announcement", () => {
    const now = Date.now();
    const a = open({ pid: 601 });
    const b = open({ pid: 602 });
    fs.rmSync(dir, { recursive: true });
    expect(b.others(now).stamps).toEqual([]);
    a.announce([now], Number.NEGATIVE_INFINITY, now);
    expect(b.others(now).stamps).toEqual([now]);
  });

  it("an unusable directory switches coordination off, once, with the reason: no peers, announcements ignored", () => {
    fs.writeFileSync(path.join(root, "blocked"), "a file where the directory should be");
    dir = path.join(root, "blocked", "instance");
    const reasons: string[] = [];
    const w = open({ onDisabled: (r) => reasons.push(r) });
    w.announce([Date.now()], 0, Date.now());
    expect(w.others(Date.now())).toEqual({ stamps: [], pausedUntil: Number.NEGATIVE_INFINITY });
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatch(/^cannot create .*blocked[/\\]instance: ENOTDIR$/);
  });

  it("on start, removes what killed processes left for other instances, and their empty directories", () => {
    const now = Date.now();
    const other = path.join(root, "other-instance");
    fs.mkdirSync(other);
    const announcement = (pid: number, at: number) => JSON.stringify({ v: 1, pid, stamps: [at], pausedUntil: 0, at });
    fs.writeFileSync(path.join(other, "701-aa.json"), announcement(701, now - 60_000));
    const busy = path.join(root, "busy-instance");
    fs.mkdirSync(busy);
    fs.writeFileSync(path.join(busy, "702-bb.json"), announcement(702, now - 1000));
    open({ pid: 703, isAlive: () => false });
    expect(fs.existsSync(other)).toBe(false);
    expect(fs.readdirSync(busy)).toEqual(["702-bb.json"]); // its requests still count
  });
});
