/** Same-machine coordination of one instance's limit: where the registry's schedulers announce their requests. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { instanceFor, resetInstances } from "../../../src/clerk/registry";
import { defaultSharedWindow, RATE_LIMIT_DIR_ENV } from "../../../src/scheduler/registry";
import { sharedWindowDir } from "../../../src/scheduler/sharedWindow";
import { FakeClock } from "./FakeClock";

const URL_A = "https://api.clerk.com";
const KEY_1 = "sk_test_registryKEY1aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

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
      const s = instanceFor(key).scheduler;
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
      resetInstances();
    }
  });
});
