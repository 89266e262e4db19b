/**
 * Issue 12, host conformance: no secret leaks from ClerkOrganization or ClerkOrganizationMembership. Private metadata
 * values and the Clerk secret key never appear in `__provider`, the plaintext part of state, failures, engine log
 * lines and events, or the provider host's stdout and stderr, also with the local Clerk echoing every submitted value
 * in its 422 and 5xx errors (test/local-clerk/echo.ts). Each phase proves that the echo fired on the request carrying
 * its secret; the scan (test/support/secretScan.ts) covers everything collected.
 */
import { ClerkOrganization, ClerkOrganizationMembership } from "../../src";
import { resetGateways } from "../../src/clerk/gateway";
import {
  captureRegistrations,
  HostCallError,
  type EngineEvent,
  type EngineFailure,
  type EngineSnapshot,
} from "../harness";
import type { RequestLogEntry } from "../local-clerk";
import { formatLeaks, scanForSecrets } from "../support/secretScan";
import { exact, MEMBERSHIP_TYPE, ORG_TYPE, seedUsers, startStack, type Stack } from "./12-support";

const INTERNAL = "There was an internal error on our servers. We've been notified and are working on fixing it.";

/** Quotes and backslashes make the JSON-quoted echo differ from the raw one. */
const SECRETS = {
  orgToken: 's12-org-token-"Aa\\1',
  orgToken2: "s12-org-token2-Bb2",
  takenToken: "s12-taken-token-Cc3",
  seat: "s12-seat-Dd4",
  seat2: "s12-seat2-Ee5",
  bobSeat: "s12-bob-seat-Ff6",
};
const ORG_METADATA = /^\/v1\/organizations\/org_[A-Za-z0-9]+\/metadata$/;
const MEMBERSHIP_METADATA = /^\/v1\/organizations\/org_[A-Za-z0-9]+\/memberships\/user_[A-Za-z0-9]+\/metadata$/;
const MEMBERSHIP_POST = /^\/v1\/organizations\/org_[A-Za-z0-9]+\/memberships$/;

let s: Stack | undefined;
afterEach(async () => {
  resetGateways();
  await s?.[Symbol.asyncDispose]();
  s = undefined;
});

interface Declared {
  orgToken: string;
  seat: string;
  /** Bob's membership, declared when set. */
  bobSeat?: string;
  /** An organization whose slug someone else holds. */
  taken?: boolean;
}

const program = (users: { ada: string; bob: string }, d: Declared) => () => {
  const org = new ClerkOrganization("tenant-a", {
    name: "Tenant A",
    slug: "tenant-a",
    privateMetadata: { apiToken: d.orgToken },
  });
  new ClerkOrganizationMembership(
    "tenant-a-ada",
    { organizationId: org.organizationId, userId: users.ada, role: "org:admin", privateMetadata: { seat: d.seat } },
    { deletedWith: org },
  );
  if (d.bobSeat !== undefined)
    new ClerkOrganizationMembership(
      "tenant-a-bob",
      {
        organizationId: org.organizationId,
        userId: users.bob,
        role: "org:member",
        privateMetadata: { seat: d.bobSeat },
      },
      { deletedWith: org },
    );
  if (d.taken)
    new ClerkOrganization("tenant-b", {
      name: "Tenant B",
      slug: "tenant-b",
      privateMetadata: { apiToken: SECRETS.takenToken },
    });
};

it("registrations: privateMetadata is a secret input and output of both kinds; __provider holds no key", async () => {
  s = await startStack();
  const users = seedUsers(s.clerk, "ada", "bob");
  const regs = await captureRegistrations(program(users, { orgToken: SECRETS.orgToken, seat: SECRETS.seat }), {
    project: "pulumi-clerk",
    stack: "test",
    config: { "clerk:secretKey": { secret: s.clerk.secretKey } },
  });
  for (const type of [ORG_TYPE, MEMBERSHIP_TYPE]) {
    const reg = regs.find((r) => r.type === type)!;
    const provider = reg.inputs["__provider"] as string;
    expect(provider).toContain('require("pulumi-clerk/provider-runtime")');
    expect(provider.length).toBeLessThan(4096);
    expect(reg.secretInputs).toContain("privateMetadata");
    expect(reg.additionalSecretOutputs).toContain("privateMetadata");
    const leaks = scanForSecrets({ ...SECRETS, clerkSecretKey: s.clerk.secretKey }, { provider });
    if (leaks.length > 0) throw new Error(formatLeaks(leaks));
  }
});

it("with Clerk echoing submitted values: creates, updates and exhausted retries leak no private metadata and no key", async () => {
  const logs: string[] = [];
  const events: EngineEvent[] = [];
  const failures: EngineFailure[] = [];
  const states: EngineSnapshot[] = [];
  const shown: EngineSnapshot[] = [];
  const snapshot = (): void => {
    states.push(s!.engine.exportState());
    shown.push(s!.engine.exportState({ showSecrets: true }));
  };
  s = await startStack({
    env: { CLERK_RETRY_TIMEOUT_SECONDS: "2" },
    engine: { log: (m) => logs.push(m), onEvent: (e) => events.push(e) },
  });
  const { clerk, engine } = s;
  const users = seedUsers(clerk, "ada", "bob");
  clerk.control.setEchoSubmittedValues(true);
  const lastSeq = (): number => clerk.control.requests().at(-1)?.seq ?? 0;
  const since = (seq: number, method: string, path: RegExp): RequestLogEntry[] =>
    clerk.control.requests().filter((r) => r.seq > seq && r.method === method && path.test(r.path));
  const body = (r: RequestLogEntry): string => JSON.stringify(r.body);
  const base: Declared = { orgToken: SECRETS.orgToken, seat: SECRETS.seat };
  const only = (f: EngineFailure[], name: string, op: EngineFailure["op"]): EngineFailure => {
    expect(f.map((x) => [x.name, x.op])).toEqual([[name, op]]);
    failures.push(...f);
    return f[0]!;
  };

  // ---- created cleanly: secrets only inside secret values of state ----
  expect(await engine.up(program(users, base))).toMatchObject({ created: 2, failures: [] });
  snapshot();
  expect(JSON.stringify(engine.exportState({ showSecrets: true }))).toContain("s12-seat-Dd4"); // really in state
  expect(engine.state().find((e) => e.name === "tenant-a")!.secretOutputs).toContain("privateMetadata");
  expect(engine.state().find((e) => e.name === "tenant-a-ada")!.secretOutputs).toContain("privateMetadata");

  // ---- create: a real 422 (a slug someone else holds), echoing the private metadata submitted ----
  clerk.control.putOrganization({ name: "Someone else's", slug: "tenant-b" });
  let seq = lastSeq();
  const taken = await engine.up(program(users, { ...base, taken: true }));
  expect(only(taken.failures, "tenant-b", "create").message).toMatch(
    exact(
      'ClerkOrganization "tenant-b": create failed [identifier_conflict]: Clerk 422 form_identifier_exists: ' +
        'field "slug": the slug belongs to organization ORG_ID, which this resource does not manage: ' +
        "set `adopt: true` to take that organization over, or change the slug: TRACE",
    ),
  );
  const takenPost = since(seq, "POST", /^\/v1\/organizations$/);
  expect(takenPost.map((r) => [r.status, r.errorCode, r.echoed])).toEqual([[422, "form_identifier_exists", true]]);
  expect(body(takenPost[0]!)).toContain(SECRETS.takenToken); // submitted, so echoed
  expect(
    clerk.control
      .organizations()
      .map((o) => o.slug)
      .sort(),
  ).toEqual(["tenant-a", "tenant-b"]);
  snapshot();

  // ---- update: a 500 on every organization metadata write until the retry budget is spent ----
  seq = lastSeq();
  clerk.control.inject({ match: { method: "PUT", path: ORG_METADATA }, times: 1000, kind: "status", status: 500 });
  const orgBudget = await engine.up(program(users, { ...base, orgToken: SECRETS.orgToken2 }));
  clerk.control.clearFaults();
  expect(only(orgBudget.failures, "tenant-a", "update").message).toMatch(
    exact(
      `ClerkOrganization "tenant-a" (ORG_ID): update failed [retry_budget_exhausted]: Clerk 500 internal_clerk_error: ${INTERNAL} ` +
        'You sent: "[redacted]", "pulumi-clerk", "test", "tenant-a", "OWNER", "INSTANCE".: ' +
        "the update stopped midway; the state now records what Clerk holds, so the next `pulumi up` finishes it; " +
        "GAVE_UP: TRACE",
    ),
  );
  const orgPuts = since(seq, "PUT", ORG_METADATA);
  expect(orgPuts.length).toBeGreaterThanOrEqual(2);
  expect(orgPuts.every((r) => r.status === 500 && r.echoed === true && body(r).includes("s12-org-token2-Bb2"))).toBe(
    true,
  );
  snapshot();

  // ---- update: a 500 on every membership metadata write until the retry budget is spent ----
  seq = lastSeq();
  clerk.control.inject({
    match: { method: "PATCH", path: MEMBERSHIP_METADATA },
    times: 1000,
    kind: "status",
    status: 500,
  });
  const seatBudget = await engine.up(program(users, { ...base, seat: SECRETS.seat2 }));
  clerk.control.clearFaults();
  expect(only(seatBudget.failures, "tenant-a-ada", "update").message).toMatch(
    exact(
      'ClerkOrganizationMembership "tenant-a-ada" (MEMBERSHIP_ID): update failed [retry_budget_exhausted]: ' +
        `Clerk 500 internal_clerk_error: ${INTERNAL} You sent: "[redacted]".: ` +
        "the update stopped midway; the state now records what Clerk holds, so the next `pulumi up` finishes it; " +
        "GAVE_UP: TRACE",
    ),
  );
  const seatPatches = since(seq, "PATCH", MEMBERSHIP_METADATA);
  expect(seatPatches.length).toBeGreaterThanOrEqual(2);
  expect(seatPatches.every((r) => r.status === 500 && r.echoed === true && body(r).includes(SECRETS.seat2))).toBe(true);
  snapshot();

  // ---- create: a 500 on every membership create until the retry budget is spent ----
  seq = lastSeq();
  clerk.control.inject({ match: { method: "POST", path: MEMBERSHIP_POST }, times: 1000, kind: "status", status: 500 });
  const bobBudget = await engine.up(program(users, { ...base, bobSeat: SECRETS.bobSeat }));
  clerk.control.clearFaults();
  expect(only(bobBudget.failures, "tenant-a-bob", "create").message).toMatch(
    exact(
      'ClerkOrganizationMembership "tenant-a-bob": create failed [retry_budget_exhausted]: ' +
        `Clerk 500 internal_clerk_error: ${INTERNAL} ` +
        `You sent: "${users.bob}", "org:member", "[redacted]", "pulumi-clerk", "test", "tenant-a-bob", "OWNER", "INSTANCE".: ` +
        "GAVE_UP: TRACE",
    ),
  );
  const bobPosts = since(seq, "POST", MEMBERSHIP_POST);
  expect(bobPosts.length).toBeGreaterThanOrEqual(2);
  expect(bobPosts.every((r) => r.status === 500 && r.echoed === true && body(r).includes(SECRETS.bobSeat))).toBe(true);
  snapshot();

  // ---- the faults gone, the same program converges; destroy leaves Clerk clean ----
  const final = { ...base, orgToken: SECRETS.orgToken2, seat: SECRETS.seat2, bobSeat: SECRETS.bobSeat };
  expect(await engine.up(program(users, final))).toMatchObject({ failures: [] });
  snapshot();
  const orgId = engine.state().find((e) => e.name === "tenant-a")!.id;
  expect(clerk.control.getOrganization(orgId)!.private_metadata["apiToken"]).toBe(SECRETS.orgToken2);
  expect(clerk.control.getMembership(orgId, users.ada)!.private_metadata["seat"]).toBe(SECRETS.seat2);
  expect(clerk.control.getMembership(orgId, users.bob)!.private_metadata["seat"]).toBe(SECRETS.bobSeat);
  expect(await engine.destroy()).toMatchObject({ failures: [] });
  expect(clerk.control.organizations().map((o) => o.slug)).toEqual(["tenant-b"]); // not ours: untouched

  // Failures: their messages and init-failure reasons. (An init failure's properties are the resource's outputs,
  // plaintext on the wire as every dynamic provider's outputs are; state keeps privateMetadata secret.)
  const secrets = { ...SECRETS, clerkSecretKey: clerk.secretKey };
  const leaks = scanForSecrets(secrets, {
    failureMessages: failures.map((f) => f.message),
    initFailures: failures.map((f) => (f.error instanceof HostCallError ? f.error.initFailure?.reasons : undefined)),
    engineLog: logs,
    engineEvents: events,
    hostStdout: s.host.stdout(),
    hostStderr: s.host.stderr(),
    states,
  });
  if (leaks.length > 0) throw new Error(formatLeaks(leaks));
  // Not vacuous: Clerk's request log is full of them (it records what was sent).
  expect(scanForSecrets(secrets, { requests: clerk.control.requests() }).length).toBeGreaterThan(0);
  // Unwrapped, the states hold the secrets, and only inside privateMetadata's secret values.
  const inSecrets = scanForSecrets(secrets, { state: shown });
  expect(inSecrets.length).toBeGreaterThan(0);
  const outside = inSecrets.filter(
    (l) => !/^state\[\d\]\.resources\[\d\]\.(inputs|outputs)\.privateMetadata\.plaintext$/.test(l.where),
  );
  if (outside.length > 0) throw new Error(formatLeaks(outside));
});
