/**
 * Issue 13, scenario 3, end to end: a 400-day-old hand-made user is adopted with `retainOnDelete: true` (as the
 * README recommends for shared accounts) through the real dynamic-provider host, the stack is destroyed (the
 * engine sends no delete, so the marker stays), and then `clerk-sweep delete --yes` (the CLI, in-process, against
 * the same local Clerk) keeps it and says it kept it as adopted. A user the same stack created and also retained
 * (a leak, as far as the sweeper can tell) is deleted, so the sweep is not simply doing nothing.
 */
import { ClerkUser } from "../../src";
import { ExitCode } from "../../src/sweep/exitCodes";
import type { SweepRow } from "../../src/sweep/sweepRow";
import { startLocalClerk, type LocalClerk } from "../local-clerk";
import { runSweep } from "../sweep/sweepHarness";
import type { Stack } from "./support";
import { DAY, entryOf, markerOf, seedUser, stackOf, writes } from "./13-support";

let clerk: LocalClerk;
let s: Stack | undefined;
beforeAll(async () => {
  clerk = await startLocalClerk({ instanceId: "ins_scenario3" });
});
afterAll(() => clerk.close());
afterEach(async () => {
  await s?.[Symbol.asyncDispose]();
  s = undefined;
});

const ADOPTED_NOTE =
  "kept 1 user marked as adopted: they existed before pulumi-clerk took them over, and clerk-sweep never deletes them";

it("adopted with retainOnDelete, stack destroyed, `clerk-sweep delete --yes`: the hand-made user is kept", async () => {
  const human = seedUser(clerk, {
    emails: ["shared-admin@example.com"],
    firstName: "Shared",
    lastName: "Admin",
    password: "made-by-a-person-long-ago",
    ageMs: 400 * DAY,
  });
  s = await stackOf(clerk, "app", "qa");
  const up = await s.engine.up(() => {
    new ClerkUser(
      "shared-admin",
      { emailAddresses: ["shared-admin@example.com"], adopt: true },
      { retainOnDelete: true },
    );
    new ClerkUser("ci-tmp", { emailAddresses: ["ci-tmp@example.com"] }, { retainOnDelete: true });
  });
  expect(up).toMatchObject({ created: 2, failures: [] });
  expect(entryOf(s, "shared-admin").id).toBe(human.id);
  const tmp = entryOf(s, "ci-tmp");
  expect(markerOf(clerk.control.getUser(human.id))).toMatchObject({ project: "app", stack: "qa", adopted: true });
  expect(markerOf(clerk.control.getUser(tmp.id))).toMatchObject({ project: "app", stack: "qa", adopted: false });

  // Destroy: both retained, the engine sends no delete; the markers stay in Clerk.
  clerk.control.clearRequests();
  const destroyed = await s.engine.destroy();
  expect(destroyed).toMatchObject({ deleted: 0, retained: 2, failures: [] });
  expect(s.engine.state()).toEqual([]);
  expect(clerk.control.requests()).toEqual([]);
  const kept = clerk.control.getUser(human.id)!;

  // The sweeper lists both, with their origin, and deletes only the created one, whatever the filters.
  const list = await runSweep(clerk, ["list", "--json"], { now: Date.now() });
  expect(list.code).toBe(ExitCode.Ok);
  expect((JSON.parse(list.stdout) as SweepRow[]).map((r) => [r.id, r.origin, r.stack])).toEqual([
    [human.id, "adopted", "qa"],
    [tmp.id, "created", "qa"],
  ]);
  clerk.control.clearRequests();
  const sweep = await runSweep(clerk, ["delete", "--yes"], { now: Date.now() });
  expect(sweep.code).toBe(ExitCode.Ok);
  const out = sweep.stdout.trimEnd().split("\n");
  expect(out).toEqual([
    expect.stringMatching(/^USER ID\s+PRIMARY EMAIL\s+PROJECT\s+STACK\s+NAME\s+ORIGIN\s+AGE$/),
    expect.stringMatching(new RegExp(`^${tmp.id}\\s+ci-tmp@example\\.com\\s+app\\s+qa\\s+ci-tmp\\s+created\\s+`)),
    ADOPTED_NOTE,
    "organizations: deleted 0, already gone 0, failed 0",
    "users: deleted 1, already gone 0, failed 0",
  ]);
  expect(writes(clerk)).toEqual(["DELETE /v1/users/user_X"]);
  expect(clerk.control.requests().find((r) => r.method === "DELETE")!.userId).toBe(tmp.id);
  expect(clerk.control.getUser(tmp.id)).toBeUndefined();
  expect(clerk.control.getUser(human.id)).toEqual(kept);
  expect(kept.password).toBe("made-by-a-person-long-ago");

  // Filters naming exactly the adopted user, old enough, with its stack gone: still kept.
  clerk.control.clearRequests();
  const targeted = await runSweep(
    clerk,
    ["delete", "--yes", "--project", "app", "--stack", "qa", "--older-than", "300d", "--include-v1-markers"],
    { now: Date.now() },
  );
  expect(targeted.code).toBe(ExitCode.Ok);
  expect(targeted.stdout).toBe(
    `nothing to delete\n${ADOPTED_NOTE}\norganizations: deleted 0, already gone 0, failed 0\n` +
      "users: deleted 0, already gone 0, failed 0\n",
  );
  expect(writes(clerk)).toEqual([]);
  expect(clerk.control.getUser(human.id)).toEqual(kept);
});
