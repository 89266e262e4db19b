/** examples/ci-ephemeral, installed: two PR stacks side by side in one Clerk instance, each destroyed on its own. */
import type { LocalStack } from "../../scripts/lib/localStack";
import { startLocalClerk, type LocalClerk } from "../local-clerk";
import { byName, emails, useInstalledExample } from "./helpers";

const example = useInstalledExample("ci-ephemeral");
const program = () => example.program();

let clerk: LocalClerk;
const stacks: LocalStack[] = [];
beforeAll(async () => {
  clerk = await startLocalClerk();
});
afterAll(async () => {
  for (const s of stacks) await s.close();
  await clerk.close();
});

async function prStack(n: number): Promise<LocalStack> {
  const s = await example.start(`pr-${n}`, {}, clerk);
  stacks.push(s);
  return s;
}

test("a stack per pull request: concurrent PRs never collide, and destroy removes only that PR's users", async () => {
  const [a, b] = [await prStack(101), await prStack(102)];
  const [ra, rb] = await Promise.all([a.engine.up(program), b.engine.up(program)]);
  expect(ra).toMatchObject({ created: 3, failures: [] });
  expect(rb).toMatchObject({ created: 3, failures: [] });

  const users = clerk.control.users();
  expect(users).toHaveLength(6);
  const pr101 = byName(users.filter((u) => (u.public_metadata as { stack?: string }).stack === "pr-101"));
  expect(Object.keys(pr101).sort()).toEqual(["admin", "member", "viewer"]);
  expect(emails(pr101["admin"])).toEqual(["e2e+pr-101-admin@example.com"]);
  expect(pr101["admin"]).toMatchObject({
    external_id: "e2e:pr-101:admin",
    first_name: "E2E",
    last_name: "admin (pr-101)",
    public_metadata: { roles: ["admin"], ephemeral: true, stack: "pr-101" },
  });
  expect((pr101["viewer"]!.password ?? "").length).toBeGreaterThanOrEqual(16);

  expect(await a.engine.up(program)).toMatchObject({ created: 0, updated: 0, unchanged: 3 });

  // `pulumi destroy --remove` for PR 101: PR 102's users stay.
  expect(await a.engine.destroy()).toMatchObject({ deleted: 3, failures: [] });
  expect(clerk.control.users().map((u) => (u.public_metadata as { stack?: string }).stack)).toEqual([
    "pr-102",
    "pr-102",
    "pr-102",
  ]);
  expect(await b.engine.destroy()).toMatchObject({ deleted: 3, failures: [] });
  expect(clerk.control.users()).toEqual([]);
});
