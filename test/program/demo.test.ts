/**
 * `npm run demo` (its built script, as `npm test` builds first): ends with Clerk (local) holding 0 users and
 * 0 organizations, and exit 0.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const REPO = path.resolve(__dirname, "..", "..");
const DEMO = path.join(REPO, "dist", "scripts", "demo.js");

test("the demo creates, shows, changes and destroys the example users and organization, then exits 0 with Clerk empty", () => {
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
  expect(out).toContain("(4 users, 1 organization) + usersFile examples/config/users.yaml");
  const resources = ["qa-admin", "qa-viewer", "qa-billing", "support-bot", "e2e-alice", "e2e-bob"];
  resources.push("tenant-a", "tenant-a/qa-admin", "tenant-a/qa-viewer");
  for (const name of resources) {
    expect(out).toMatch(new RegExp(`\\+\\s+${name}\\s+created`));
    expect(out).toMatch(new RegExp(`-\\s+${name}\\s+deleted`));
  }
  expect(out).toContain("Clerk (local) now holds 6 users:");
  expect(out).toContain("Clerk (local) now holds 1 organization:");
  expect(out).toMatch(/\n {2}tenant-a\s+org_\w+\s+tenant-a\s+Tenant A\s+qa-admin org:admin, qa-viewer org:member\n/);

  expect(out).toMatch(/~\s+qa-viewer\s+updated/);
  expect(out).toMatch(/~\s+tenant-a\/qa-viewer\s+updated/);
  expect(out).toContain("and its tenant-a role org:member -> org:admin");
  expect(out).toContain('Clerk now has roles ["viewer","editor"]');
  expect(out).toMatch(/its membership is still orgmem_\w+; Clerk now has role org:admin\n/);

  // The memberships go with their organization (deletedWith): no membership delete reaches Clerk.
  expect(out).toMatch(/-\s+tenant-a\/qa-admin\s+deleted\s+with tenant-a\n/);
  expect(out).toMatch(/-\s+tenant-a\/qa-viewer\s+deleted\s+with tenant-a\n/);
  expect(out).toContain("Clerk (local) now holds 0 users\nClerk (local) now holds 0 organizations\n");
  expect(out).toMatch(/Summary: created 9, updated 2, deleted 9 in \d+\.\d s\n$/);
});
