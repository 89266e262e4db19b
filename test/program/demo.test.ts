/** `npm run demo` (its built script, as `npm test` builds first): ends with Clerk (local) empty and exit 0. */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const REPO = path.resolve(__dirname, "..", "..");
const DEMO = path.join(REPO, "dist", "scripts", "demo.js");

test("the demo creates, shows, changes and destroys the example users, then exits 0 with Clerk empty", () => {
  expect(fs.existsSync(DEMO)).toBe(true);
  const r = spawnSync(process.execPath, [DEMO], {
    cwd: REPO,
    encoding: "utf8",
    timeout: 120_000,
    env: { ...process.env, PULUMI_CLERK_DEMO_NO_CLI: "1", CLERK_SECRET_KEY: "", CLERK_API_URL: "" },
  });
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  const out = r.stdout;
  expect(out).toContain("No `pulumi` CLI on PATH: driving the real dynamic-provider host directly");
  for (const name of ["qa-admin", "qa-viewer", "qa-billing", "support-bot", "e2e-alice", "e2e-bob"]) {
    expect(out).toMatch(new RegExp(`\\+\\s+${name}\\s+created`));
    expect(out).toMatch(new RegExp(`-\\s+${name}\\s+deleted`));
  }
  expect(out).toContain("Clerk (local) now holds 6 users:");
  expect(out).toMatch(/~\s+qa-viewer\s+updated/);
  expect(out).toContain('Clerk now has roles ["viewer","editor"]');
  expect(out).toContain("Clerk (local) now holds 0 users");
  expect(out).toMatch(/Summary: created 6, updated 1, deleted 6 in \d+\.\d s\n$/);
});
