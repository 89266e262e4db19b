/**
 * Many stacks, one Clerk instance (issue 11): 8 `pulumi up`s at once, each its own provider host believing it may
 * use the instance's whole limit, against one local Clerk enforcing 100 requests / 10 s. Under the default retry
 * budget every operation must succeed, and Clerk must end with no leaked and no duplicated user. Outcomes only:
 * how long it took and how many 429s it cost are the benchmark's business (`npm run bench`, rows (f)).
 *
 * Once with same-machine coordination (the default: the hosts see each other's requests) and once without it,
 * as if every host ran on its own CI runner, where only the adaptive limit (429 → lower, success → recover) helps.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ClerkUser } from "../../src";
import { startLocalClerk, type LocalClerk } from "../local-clerk";
import { startStack, type Stack } from "./support";

jest.setTimeout(300_000);

const HOSTS = 8;
const USERS = 10;

let clerk: LocalClerk | undefined;
let stacks: Stack[] = [];
let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "shared-instance-"))));
afterEach(async () => {
  for (const s of stacks) await s[Symbol.asyncDispose]();
  stacks = [];
  await clerk?.close();
  clerk = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

const users = (stack: string) => () => {
  for (let i = 0; i < USERS; i++) new ClerkUser(`u${i}`, { emailAddresses: [`${stack}-u${i}@example.com`] });
};

async function manyStacks(rateLimitDir: string): Promise<void> {
  clerk = await startLocalClerk({ rateLimit: { requestsPer10s: 100 } });
  for (let i = 1; i <= HOSTS; i++) {
    stacks.push(
      await startStack({
        clerk,
        stack: `pr-${i}`,
        // The provider's own limit for an sk_test_ key (100 / 10 s), its default retry budget.
        env: { CLERK_MAX_REQUESTS_PER_10S: "", CLERK_RETRY_TIMEOUT_SECONDS: "", CLERK_RATE_LIMIT_DIR: rateLimitDir },
      }),
    );
  }
  const c = clerk;
  const outcomes = await Promise.all(
    stacks.map(async (s, i) => {
      const name = `pr-${i + 1}`;
      const mine = () => c.control.users().filter((u) => u.email_addresses[0]?.email_address.startsWith(`${name}-`));
      const up = await s.engine.up(users(name));
      const ids = s.engine.state().map((e) => e.id);
      const inClerkAfterUp = mine().map((u) => u.id);
      const refresh = await s.engine.refresh();
      const destroy = await s.engine.destroy();
      return { name, up, ids, inClerkAfterUp, refresh, destroy, leftAfterDestroy: mine().length };
    }),
  );
  for (const o of outcomes) {
    expect({ stack: o.name, failures: [...o.up.failures, ...o.refresh.failures, ...o.destroy.failures] }).toEqual({
      stack: o.name,
      failures: [],
    });
    expect(o.up.created).toBe(USERS);
    // No duplicate: exactly one Clerk user per resource, and it is the one in state.
    expect(new Set(o.ids).size).toBe(USERS);
    expect(new Set(o.inClerkAfterUp)).toEqual(new Set(o.ids));
    expect(o.refresh.unchanged).toBe(USERS);
    expect(o.destroy.deleted).toBe(USERS);
    expect(o.leftAfterDestroy).toBe(0);
  }
  // No leak: the instance is empty.
  expect(c.control.users()).toEqual([]);
}

it(`${HOSTS} concurrent stacks on one machine against one instance: no failure, no leak, no duplicate`, async () => {
  await manyStacks(dir);
});

it(`${HOSTS} concurrent stacks as if on separate machines (no coordination): no failure, no leak, no duplicate`, async () => {
  await manyStacks("off");
});
