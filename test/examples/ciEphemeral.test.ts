/**
 * examples/ci-ephemeral, installed: two PR stacks side by side in one Clerk instance, each with its users and its
 * tenant (an organization with an admin and a member), each destroyed on its own.
 */
import type { LocalStack } from "../../scripts/lib/localStack";
import { startLocalClerk, type LocalClerk } from "../local-clerk";
import { byName, emails, organizationsByName, membershipsOf, useInstalledExample } from "./helpers";

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

const stackOf = (metadata: unknown): string | undefined => (metadata as { stack?: string }).stack;

test("a stack per pull request: concurrent PRs never collide, and destroy removes only that PR's users and tenant", async () => {
  const [a, b] = [await prStack(101), await prStack(102)];
  const [ra, rb] = await Promise.all([a.engine.up(program), b.engine.up(program)]);
  // 3 users, the tenant organization, its 2 memberships.
  expect(ra).toMatchObject({ created: 6, failures: [] });
  expect(rb).toMatchObject({ created: 6, failures: [] });

  const users = clerk.control.users();
  expect(users).toHaveLength(6);
  const pr101 = byName(users.filter((u) => stackOf(u.public_metadata) === "pr-101"));
  expect(Object.keys(pr101).sort()).toEqual(["admin", "member", "viewer"]);
  expect(emails(pr101["admin"])).toEqual(["e2e+pr-101-admin@example.com"]);
  expect(pr101["admin"]).toMatchObject({
    external_id: "e2e:pr-101:admin",
    first_name: "E2E",
    last_name: "admin (pr-101)",
    public_metadata: { roles: ["admin"], ephemeral: true, stack: "pr-101" },
  });
  expect((pr101["viewer"]!.password ?? "").length).toBeGreaterThanOrEqual(16);

  // One tenant per PR, its slug carrying the stack name; admin and member in it, viewer in none.
  const orgs = clerk.control.organizations();
  expect(orgs.map((o) => [o.name, o.slug, o.public_metadata]).sort()).toEqual([
    ["E2E tenant (pr-101)", "e2e-pr-101", { ephemeral: true, stack: "pr-101" }],
    ["E2E tenant (pr-102)", "e2e-pr-102", { ephemeral: true, stack: "pr-102" }],
  ]);
  const tenant101 = orgs.find((o) => o.slug === "e2e-pr-101")!;
  expect(organizationsByName(orgs.filter((o) => o === tenant101))).toEqual({ tenant: tenant101 });
  expect(membershipsOf(clerk, tenant101.id)).toEqual(["admin org:admin", "member org:member"]);
  expect(clerk.control.memberships({ userId: pr101["viewer"]!.id })).toEqual([]);

  expect(await a.engine.up(program)).toMatchObject({ created: 0, updated: 0, unchanged: 6 });

  // `pulumi destroy --remove` for PR 101: PR 102's users and tenant stay.
  expect(await a.engine.destroy()).toMatchObject({ deleted: 6, failures: [] });
  expect(clerk.control.users().map((u) => stackOf(u.public_metadata))).toEqual(["pr-102", "pr-102", "pr-102"]);
  expect(clerk.control.organizations().map((o) => o.slug)).toEqual(["e2e-pr-102"]);
  expect(clerk.control.memberships()).toHaveLength(2);
  expect(await b.engine.destroy()).toMatchObject({ deleted: 6, failures: [] });
  expect(clerk.control.users()).toEqual([]);
  expect(clerk.control.organizations()).toEqual([]);
  expect(clerk.control.memberships()).toEqual([]);
});
