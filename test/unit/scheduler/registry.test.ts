import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { inspect } from "node:util";
import {
  defaultRequestsPer10s,
  defaultSharedWindow,
  getScheduler,
  RATE_LIMIT_DIR_ENV,
  registeredSchedulerIds,
  resetSchedulerRegistry,
} from "../../../src/scheduler/registry";
import { sharedWindowDir } from "../../../src/scheduler/sharedWindow";
import type { Scheduler } from "../../../src/scheduler/types";
import { FakeClock } from "./FakeClock";

const URL_A = "https://api.clerk.com";
const KEY_1 = "sk_test_registryKEY1aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const KEY_2 = "sk_test_registryKEY2bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

beforeEach(() => resetSchedulerRegistry());

/** How many of `n` immediate requests are sent at t=0, i.e. the scheduler's instance limit. */
async function sentAtOnce(scheduler: Scheduler, clock: FakeClock, n: number): Promise<number> {
  let sent = 0;
  for (let i = 0; i < n; i++) {
    void scheduler.run({ label: "GET /users" }, async () => {
      if (clock.now() === 0) sent++;
    });
  }
  await FakeClock.flush();
  return sent;
}

describe("defaultRequestsPer10s", () => {
  it.each([
    ["sk_live_abc", 1000],
    ["sk_test_abc", 100],
    ["something_else", 100],
    ["", 100],
  ])("%s → %i", (key, expected) => {
    expect(defaultRequestsPer10s(key)).toBe(expected);
  });
});

describe("getScheduler", () => {
  it("returns the same scheduler for the same apiUrl and key (trailing slash ignored)", () => {
    const a = getScheduler({ apiUrl: URL_A, secretKey: KEY_1 });
    expect(getScheduler({ apiUrl: URL_A, secretKey: KEY_1 })).toBe(a);
    expect(getScheduler({ apiUrl: `${URL_A}/`, secretKey: KEY_1 })).toBe(a);
    expect(registeredSchedulerIds()).toHaveLength(1);
  });

  it("returns different schedulers for different keys or different apiUrls", () => {
    const a = getScheduler({ apiUrl: URL_A, secretKey: KEY_1 });
    const b = getScheduler({ apiUrl: URL_A, secretKey: KEY_2 });
    const c = getScheduler({ apiUrl: "http://127.0.0.1:4010", secretKey: KEY_1 });
    expect(new Set([a, b, c]).size).toBe(3);
  });

  it("never stores the secret key: ids hold only its sha256, and the scheduler does not capture it", () => {
    const s = getScheduler({ apiUrl: URL_A, secretKey: KEY_1 });
    const ids = registeredSchedulerIds();
    const hash = createHash("sha256").update(KEY_1).digest("hex");
    expect(ids).toEqual([`${URL_A} sha256:${hash}`]);
    expect(JSON.stringify(ids)).not.toContain("registryKEY1");
    expect(inspect(s, { showHidden: true, depth: 10 })).not.toContain("registryKEY1");
    expect(JSON.stringify(s.stats())).not.toContain("registryKEY1");
  });

  it("derives the limit from the key kind: sk_test_ → 100 at once", async () => {
    const clock = new FakeClock();
    const s = getScheduler({ apiUrl: URL_A, secretKey: KEY_1 }, { clock, maxConcurrency: 2000 });
    expect(await sentAtOnce(s, clock, 150)).toBe(100);
  });

  it("derives the limit from the key kind: sk_live_ → 1000 at once", async () => {
    const clock = new FakeClock();
    const s = getScheduler({ apiUrl: URL_A, secretKey: "sk_live_x" }, { clock, maxConcurrency: 2000 });
    expect(await sentAtOnce(s, clock, 1200)).toBe(1000);
  });

  it("maxRequestsPer10s overrides the key kind; overrides only apply when the scheduler is created", async () => {
    const clock = new FakeClock();
    const s = getScheduler(
      { apiUrl: URL_A, secretKey: "sk_live_x" },
      { clock, maxRequestsPer10s: 7, maxConcurrency: 100 },
    );
    expect(getScheduler({ apiUrl: URL_A, secretKey: "sk_live_x" }, { maxRequestsPer10s: 500 })).toBe(s);
    expect(await sentAtOnce(s, clock, 20)).toBe(7);
  });
});

describe("defaultSharedWindow: same-machine coordination", () => {
  const key = { apiUrl: URL_A, secretKey: KEY_1 };
  let root: string;
  beforeEach(() => (root = fs.mkdtempSync(path.join(os.tmpdir(), "registry-shared-"))));
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it("on by default, in the instance's directory under CLERK_RATE_LIMIT_DIR (else the OS temp dir)", () => {
    const w = defaultSharedWindow(key, {}, { [RATE_LIMIT_DIR_ENV]: root });
    expect(w).toBeDefined();
    const now = Date.now();
    w!.announce([now], 0, now);
    expect(fs.readdirSync(sharedWindowDir(root, URL_A, KEY_1))).toHaveLength(1);
    w!.close();
  });

  it("off with CLERK_RATE_LIMIT_DIR=off, and with an injected clock (its times mean nothing to other processes)", () => {
    expect(defaultSharedWindow(key, {}, { [RATE_LIMIT_DIR_ENV]: "off" })).toBeUndefined();
    expect(defaultSharedWindow(key, {}, { [RATE_LIMIT_DIR_ENV]: " OFF " })).toBeUndefined();
    expect(defaultSharedWindow(key, { clock: new FakeClock() }, { [RATE_LIMIT_DIR_ENV]: root })).toBeUndefined();
    expect(fs.readdirSync(root)).toEqual([]);
  });

  it("the registry's schedulers announce their requests there (what other processes on the machine read)", async () => {
    process.env[RATE_LIMIT_DIR_ENV] = root;
    try {
      const s = getScheduler(key);
      await s.run({ label: "GET /users" }, async () => "ok");
      const dir = sharedWindowDir(root, URL_A, KEY_1);
      const [file, ...more] = fs.readdirSync(dir);
      expect(more).toEqual([]);
      expect(file).toMatch(new RegExp(`^${process.pid}-[0-9a-f]{12}\\.json$`));
      const announced = JSON.parse(fs.readFileSync(path.join(dir, file!), "utf8")) as { stamps: number[] };
      expect(announced.stamps).toHaveLength(1);
      expect(fs.readFileSync(path.join(dir, file!), "utf8")).not.toContain("registryKEY1");
    } finally {
      delete process.env[RATE_LIMIT_DIR_ENV];
      resetSchedulerRegistry();
    }
  });
});
