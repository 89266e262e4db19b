/**
 * Two real Node processes (loading the built dist/) announce into one instance directory while this one reads:
 * a reader meets whole announcements or nothing, never a half-written file. In the host project because it
 * needs `npm run build` and child processes.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createFileSharedWindow, type SharedWindow } from "../../src/scheduler/sharedWindow";

let root: string;
let dir: string;
const opened: SharedWindow[] = [];

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "shared-window-processes-"));
  dir = path.join(root, "instance");
});
afterEach(() => {
  for (const w of opened.splice(0)) w.close();
  fs.rmSync(root, { recursive: true, force: true });
});

it("concurrent writers: a reader never sees a half-written announcement", async () => {
  const built = path.resolve(__dirname, "../../dist/src/scheduler/sharedWindow.js");
  expect(fs.existsSync(built)).toBe(true); // `npm run build` first: the writers are separate Node processes
  const writer = (pid: number) =>
    new Promise<void>((resolve, reject) => {
      const script = `
          const { createFileSharedWindow } = require(${JSON.stringify(built)});
          const w = createFileSharedWindow({ dir: ${JSON.stringify(dir)}, windowMs: 3600000 });
          const now = Date.now();
          for (let i = 0; i < 400; i++) w.announce(Array.from({ length: 1 + (i % 50) }, () => now), 0, now);
          w.announce(Array.from({ length: 7 }, () => now), 0, now);`;
      const child = spawn(process.execPath, ["-e", script], { stdio: "inherit" });
      child.on("error", reject);
      child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`writer ${pid} exited ${code}`))));
    });
  fs.mkdirSync(dir, { recursive: true });
  const reader = createFileSharedWindow({ dir, windowMs: 3_600_000, isAlive: () => true });
  opened.push(reader);
  const writers = Promise.all([writer(1), writer(2)]);
  let reads = 0;
  let done = false;
  void writers.then(() => (done = true));
  while (!done) {
    // What a reader can meet in the directory: whole announcements (1 to 50 requests each) or nothing.
    for (const f of fs.readdirSync(dir).filter((x) => x.endsWith(".json"))) {
      let text: string;
      try {
        text = fs.readFileSync(path.join(dir, f), "utf8");
      } catch {
        continue; // replaced between the listing and the read
      }
      const stamps = (JSON.parse(text) as { stamps: number[] }).stamps;
      expect(stamps.length).toBeGreaterThanOrEqual(1);
      expect(stamps.length).toBeLessThanOrEqual(50);
      reads++;
    }
    expect(reader.others(Date.now()).stamps.length).toBeLessThanOrEqual(100);
    await new Promise((r) => setImmediate(r));
  }
  await writers;
  expect(reader.others(Date.now()).stamps).toHaveLength(14);
  expect(reads).toBeGreaterThan(0);
  expect(fs.readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
});
