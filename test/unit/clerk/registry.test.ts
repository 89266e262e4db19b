import { createHash } from "node:crypto";
import { inspect } from "node:util";
import { instanceFor, registeredInstanceKeys, resetInstances } from "../../../src/clerk/registry";
import { defaultRequestsPer10s } from "../../../src/scheduler/registry";
import type { Scheduler } from "../../../src/scheduler/types";
import { FakeClock } from "../scheduler/FakeClock";

const URL_A = "https://api.clerk.com";
const KEY_1 = "sk_test_registryKEY1aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const KEY_2 = "sk_test_registryKEY2bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

beforeEach(() => resetInstances());

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

describe("instanceFor: one entry (settings, client, scheduler, reader) per Clerk instance", () => {
  it("returns the same entry for the same apiUrl and key (trailing slash ignored)", () => {
    const a = instanceFor({ apiUrl: URL_A, secretKey: KEY_1 });
    expect(instanceFor({ apiUrl: URL_A, secretKey: KEY_1 })).toBe(a);
    expect(instanceFor({ apiUrl: `${URL_A}/`, secretKey: KEY_1 })).toBe(a);
    expect(registeredInstanceKeys()).toHaveLength(1);
  });

  it("returns different entries for different keys or different apiUrls", () => {
    const a = instanceFor({ apiUrl: URL_A, secretKey: KEY_1 });
    const b = instanceFor({ apiUrl: URL_A, secretKey: KEY_2 });
    const c = instanceFor({ apiUrl: "http://127.0.0.1:4010", secretKey: KEY_1 });
    expect(new Set([a, b, c]).size).toBe(3);
    expect(new Set([a.scheduler, b.scheduler, c.scheduler]).size).toBe(3);
  });

  it("never keys by the secret key: keys hold only its sha256, and the scheduler does not capture it", () => {
    const s = instanceFor({ apiUrl: URL_A, secretKey: KEY_1 }).scheduler;
    const keys = registeredInstanceKeys();
    const hash = createHash("sha256").update(KEY_1).digest("hex");
    expect(keys).toEqual([`${URL_A} sha256:${hash}`]);
    expect(JSON.stringify(keys)).not.toContain("registryKEY1");
    expect(inspect(s, { showHidden: true, depth: 10 })).not.toContain("registryKEY1");
    expect(JSON.stringify(s.stats())).not.toContain("registryKEY1");
  });

  it("derives the limit from the key kind: sk_test_ → 100 at once", async () => {
    const clock = new FakeClock();
    const s = instanceFor({ apiUrl: URL_A, secretKey: KEY_1, maxConcurrency: 2000 }, { clock }).scheduler;
    expect(await sentAtOnce(s, clock, 150)).toBe(100);
  });

  it("derives the limit from the key kind: sk_live_ → 1000 at once", async () => {
    const clock = new FakeClock();
    const s = instanceFor({ apiUrl: URL_A, secretKey: "sk_live_x", maxConcurrency: 2000 }, { clock }).scheduler;
    expect(await sentAtOnce(s, clock, 1200)).toBe(1000);
  });

  it("maxRequestsPer10s overrides the key kind; tuning comes from the first call for the instance", async () => {
    const clock = new FakeClock();
    const first = instanceFor(
      { apiUrl: URL_A, secretKey: "sk_live_x", maxRequestsPer10s: 7, maxConcurrency: 100 },
      { clock },
    );
    const later = instanceFor({ apiUrl: URL_A, secretKey: "sk_live_x", maxRequestsPer10s: 500 });
    expect(later).toBe(first);
    expect(later.settings.maxRequestsPer10s).toBe(7);
    expect(await sentAtOnce(first.scheduler, clock, 20)).toBe(7);
  });
});
