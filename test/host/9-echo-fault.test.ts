/**
 * Issue 9, "Done when" 2 and scenario 1 (secrets in error messages): the local Clerk echoes every submitted
 * value in its 422 and 5xx errors (`control.setEchoSubmittedValues(true)`, test/local-clerk/echo.ts), and
 * create, update, delete, retries until the retry budget is spent, and `clerk-sweep` still leave no secret
 * anywhere: failures and their init reasons, engine log lines and events, the state (its plaintext part, and
 * secrets only inside secret values when unwrapped), and the stdout and stderr of the provider host and of
 * the sweeper.
 *
 * One deployment (one provider host, so one secret memory, as in one `pulumi up`) goes through the phases in
 * order; each phase asserts that the echo really fired on the request carrying its secrets (the request log
 * marks echoed answers) and what the failure says. The scan at the end covers everything collected.
 */
import { ClerkUser } from "../../src";
import { resetGateways } from "../../src/clerk/gateway";
import type { ClerkUserArgs } from "../../src/resource/ClerkUserArgs";
import { ExitCode } from "../../src/sweep/exitCodes";
import { HostCallError, type EngineEvent, type EngineFailure, type EngineSnapshot } from "../harness";
import type { RequestLogEntry } from "../local-clerk";
import { formatLeaks, scanForSecrets } from "../support/secretScan";
import { runSweep, type RunResult } from "../sweep/sweepHarness";
import { startStack, type Stack } from "./support";

const BUDGET_SECONDS = "2";
const USER_PATH = /^\/v1\/users\/user_[^/]+$/;
const METADATA_PATH = /^\/v1\/users\/user_[^/]+\/metadata$/;

/** Every secret the deployment holds. Quotes and backslashes make the JSON-quoted echo differ from the raw one. */
const SECRETS = {
  alicePassword: 's9-echo-alice-Pw"\\1x',
  alicePassword2: "s9-echo-alice-Pw2-Lk8",
  aliceTotp: "S9ECHOALICETOTPQZ",
  aliceBackupCodes: ["s9-echo-bc1-Aa", "s9-echo-bc2-Bb"],
  aliceToken: "s9-echo-alice-token-Cc",
  aliceToken2: "s9-echo-alice-token2-Dd",
  genToken: "s9-echo-gen-token-Ee",
  badPassword: "s9-echo-bad-Pw-Ff",
  badTotp: "S9ECHOBADTOTPQZ",
  badBackupCodes: ["s9-echo-bad-bc1-Gg"],
  badToken: "s9-echo-bad-token-Hh",
  pwnedPassword: "s9-echo-pwned-Pw-Ii",
  budgetPassword: "s9-echo-budget-Pw-Jj",
  budgetTotp: "S9ECHOBUDGETTOTPQZ",
  budgetToken: "s9-echo-budget-token-Kk",
  adopteeTotp: "S9ECHOADOPTEETOTPQZ",
  adopteePassword: "s9-echo-adoptee-Pw-Mm",
  adopteeToken: "s9-echo-adoptee-token-Ll",
};

const alice = (password = SECRETS.alicePassword, apiToken = SECRETS.aliceToken): ClerkUserArgs => ({
  emailAddresses: ["alice@example.com"],
  firstName: "Alice",
  password,
  totpSecret: SECRETS.aliceTotp,
  backupCodes: SECRETS.aliceBackupCodes,
  privateMetadata: { apiToken },
});
const gen: ClerkUserArgs = {
  emailAddresses: ["gen@example.com"],
  generatePassword: true,
  privateMetadata: { apiToken: SECRETS.genToken },
};

const program = (users: Record<string, ClerkUserArgs>) => () => {
  for (const [name, args] of Object.entries(users)) new ClerkUser(name, args);
};

let s: Stack | undefined;
afterEach(async () => {
  resetGateways();
  await s?.[Symbol.asyncDispose]();
  s = undefined;
});

/** The one failure of a step, its message matched in full (trace ids vary). */
function expectOneFailure(failures: EngineFailure[], name: string, op: EngineFailure["op"], message: RegExp) {
  expect(failures.map((f) => [f.name, f.op])).toEqual([[name, op]]);
  expect(failures[0]!.message).toMatch(message);
  return failures[0]!;
}

const INTERNAL = "There was an internal error on our servers. We've been notified and are working on fixing it.";
/**
 * The whole message, with what varies from run to run as placeholders: `TRACE` (Clerk's trace id), `USER_ID`,
 * `GAVE_UP` (the attempt count depends on backoff jitter).
 */
function exact(message: string): RegExp {
  const escaped = message.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
  return new RegExp(
    `^${escaped
      .replace(/TRACE/g, "clerk_trace_id [0-9a-f]+")
      .replace(/USER_ID/g, "user_[A-Za-z0-9]+")
      .replace(/OWNER/g, "own_[a-z2-7]{26}")
      .replace(/INSTANCE/g, "ins_[A-Za-z0-9]+")
      .replace(/GAVE_UP/g, "gave up after \\d+ attempts \\(retry budget exhausted\\)")}$`,
  );
}

it("with Clerk echoing submitted values: create, update, delete, exhausted retries and clerk-sweep leak no secret", async () => {
  const logs: string[] = [];
  const events: EngineEvent[] = [];
  const failures: EngineFailure[] = [];
  const states: EngineSnapshot[] = [];
  const sweeps: RunResult[] = [];
  const generated: string[] = [];
  s = await startStack({
    env: { CLERK_RETRY_TIMEOUT_SECONDS: BUDGET_SECONDS },
    engine: { log: (m) => logs.push(m), onEvent: (e) => events.push(e) },
  });
  const { clerk, engine } = s;
  clerk.control.setEchoSubmittedValues(true);
  const since = (seq: number): RequestLogEntry[] => clerk.control.requests().filter((r) => r.seq > seq);
  const lastSeq = (): number => clerk.control.requests().at(-1)?.seq ?? 0;
  const body = (r: RequestLogEntry): string => JSON.stringify(r.body);

  // ---- two users created cleanly; the generated password becomes a secret to look for ----
  const base = { alice: alice(), gen };
  const first = await engine.up(program(base));
  expect(first.failures).toEqual([]);
  expect(first.created).toBe(2);
  const genPassword = engine.state().find((e) => e.name === "gen")!.outputs["generatedPassword"];
  expect(typeof genPassword).toBe("string");
  generated.push(genPassword as string);

  // ---- create: a real 422 from Clerk (an address our check lets through, Clerk's RFC 5322 does not) ----
  let seq = lastSeq();
  const badEmail = await engine.up(
    program({
      ...base,
      "bad-email": {
        emailAddresses: ["a..b@example.com"],
        password: SECRETS.badPassword,
        totpSecret: SECRETS.badTotp,
        backupCodes: SECRETS.badBackupCodes,
        privateMetadata: { apiToken: SECRETS.badToken },
      },
    }),
  );
  failures.push(...badEmail.failures);
  const badEmailFailure = expectOneFailure(
    badEmail.failures,
    "bad-email",
    "create",
    // password, TOTP secret, backup code and private metadata value redacted; the marker's words are not secrets
    exact(
      'ClerkUser "bad-email": create failed [clerk_api_error]: Clerk 422 form_param_format_invalid: field "emailAddresses": ' +
        'email_address must be a valid email address. You sent: "a..b@example.com", "[redacted]", "[redacted]", ' +
        '"[redacted]", "[redacted]", "pulumi-clerk", "test", "bad-email", "OWNER", "INSTANCE".: TRACE',
    ),
  );
  const badPost = since(seq).filter((r) => r.method === "POST" && r.path === "/v1/users");
  expect(badPost.map((r) => [r.status, r.errorCode, r.echoed])).toEqual([[422, "form_param_format_invalid", true]]);
  for (const secret of [SECRETS.badPassword, SECRETS.badTotp, SECRETS.badToken, ...SECRETS.badBackupCodes])
    expect(body(badPost[0]!)).toContain(JSON.stringify(secret).slice(1, -1)); // submitted, so echoed
  expect(badEmailFailure.message).not.toContain("s9-echo");

  // ---- create: an injected 422 (a breached password) ----
  seq = lastSeq();
  clerk.control.inject({
    match: { method: "POST", path: "/v1/users" },
    times: 1,
    kind: "status",
    status: 422,
    code: "form_password_pwned",
  });
  const pwned = await engine.up(
    program({ ...base, pwned: { emailAddresses: ["pwned@example.com"], password: SECRETS.pwnedPassword } }),
  );
  failures.push(...pwned.failures);
  expectOneFailure(
    pwned.failures,
    "pwned",
    "create",
    exact(
      'ClerkUser "pwned": create failed [clerk_api_error]: Clerk 422 form_password_pwned: Injected 422 fault (local-clerk) ' +
        'You sent: "pwned@example.com", "[redacted]", "pulumi-clerk", "test", "pwned", "OWNER", "INSTANCE".: TRACE',
    ),
  );
  const pwnedPost = since(seq).filter((r) => r.method === "POST" && r.path === "/v1/users");
  expect(pwnedPost.map((r) => [r.status, r.fault, r.echoed])).toEqual([[422, "status", true]]);
  expect(body(pwnedPost[0]!)).toContain(SECRETS.pwnedPassword);
  expect(clerk.control.users().map((u) => u.email_addresses[0]?.email_address)).not.toContain("pwned@example.com");

  // ---- create: a 500 on every attempt until the retry budget is spent ----
  seq = lastSeq();
  clerk.control.inject({ match: { method: "POST", path: "/v1/users" }, times: 1000, kind: "status", status: 500 });
  const budget = await engine.up(
    program({
      ...base,
      budget: {
        emailAddresses: ["budget@example.com"],
        password: SECRETS.budgetPassword,
        totpSecret: SECRETS.budgetTotp,
        privateMetadata: { apiToken: SECRETS.budgetToken },
      },
    }),
  );
  clerk.control.clearFaults();
  failures.push(...budget.failures);
  expectOneFailure(
    budget.failures,
    "budget",
    "create",
    exact(
      `ClerkUser "budget": create failed [retry_budget_exhausted]: Clerk 500 internal_clerk_error: ${INTERNAL} ` +
        'You sent: "budget@example.com", "[redacted]", "[redacted]", "[redacted]", "pulumi-clerk", "test", "budget", "OWNER", "INSTANCE".: ' +
        "GAVE_UP: TRACE",
    ),
  );
  const budgetPosts = since(seq).filter((r) => r.method === "POST" && r.path === "/v1/users");
  expect(budgetPosts.length).toBeGreaterThanOrEqual(2);
  expect(budgetPosts.every((r) => r.status === 500 && r.echoed === true)).toBe(true);
  expect(budgetPosts.every((r) => body(r).includes(SECRETS.budgetPassword))).toBe(true);
  // Each retry was announced in Pulumi's log.
  expect(s.host.stdout() + s.host.stderr()).toMatch(/Clerk POST \/users: 500 Internal Server Error, retrying in/);

  // ---- update: an injected 422 on the password change ----
  seq = lastSeq();
  clerk.control.inject({
    match: { method: "PATCH", path: USER_PATH },
    times: 1,
    kind: "status",
    status: 422,
    code: "form_password_pwned",
  });
  const upd422 = await engine.up(program({ ...base, alice: alice(SECRETS.alicePassword2) }));
  failures.push(...upd422.failures);
  expectOneFailure(
    upd422.failures,
    "alice",
    "update",
    exact(
      'ClerkUser "alice" (USER_ID): update failed [clerk_api_error]: Clerk 422 form_password_pwned: ' +
        'Injected 422 fault (local-clerk) You sent: "[redacted]".: TRACE',
    ),
  );
  const updPatch = since(seq).filter((r) => r.method === "PATCH" && USER_PATH.test(r.path));
  expect(updPatch.map((r) => [r.status, r.echoed])).toEqual([[422, true]]);
  expect(body(updPatch[0]!)).toContain(SECRETS.alicePassword2);

  // ---- update: a 500 on every metadata write (PUT, a whole replacement) until the retry budget is spent ----
  seq = lastSeq();
  clerk.control.inject({ match: { method: "PUT", path: METADATA_PATH }, times: 1000, kind: "status", status: 500 });
  const updBudget = await engine.up(program({ ...base, alice: alice(SECRETS.alicePassword, SECRETS.aliceToken2) }));
  clerk.control.clearFaults();
  failures.push(...updBudget.failures);
  expectOneFailure(
    updBudget.failures,
    "alice",
    "update",
    exact(
      `ClerkUser "alice" (USER_ID): update failed [retry_budget_exhausted]: Clerk 500 internal_clerk_error: ${INTERNAL} ` +
        'You sent: "[redacted]", "pulumi-clerk", "test", "alice", "OWNER", "INSTANCE".: ' +
        "the update stopped midway; the state now records what Clerk holds, so the next `pulumi up` finishes it; " +
        "GAVE_UP: TRACE",
    ),
  );
  const metaPatches = since(seq).filter((r) => r.method === "PUT" && METADATA_PATH.test(r.path));
  expect(metaPatches.length).toBeGreaterThanOrEqual(2);
  expect(metaPatches.every((r) => r.status === 500 && r.echoed === true)).toBe(true);
  expect(metaPatches.every((r) => body(r).includes(SECRETS.aliceToken2))).toBe(true);

  // ---- create by adoption: the password's write fails, the user stays in state (partial create). (Adoption
  // cannot generate a password: a real person's password is never reset as a side effect.) ----
  clerk.control.putUser({ external_id: "s9-ext-adoptee", username: "adoptee9" });
  seq = lastSeq();
  clerk.control.inject({
    match: { method: "PATCH", path: USER_PATH },
    times: 1,
    kind: "status",
    status: 422,
    code: "form_password_pwned",
  });
  const withAdoptee = {
    ...base,
    adoptee: {
      externalId: "s9-ext-adoptee",
      username: "adoptee9",
      adopt: true,
      password: SECRETS.adopteePassword,
      totpSecret: SECRETS.adopteeTotp,
      privateMetadata: { apiToken: SECRETS.adopteeToken },
    },
  };
  const adopt = await engine.up(program(withAdoptee));
  failures.push(...adopt.failures);
  const adoptFailure = expectOneFailure(
    adopt.failures,
    "adoptee",
    "create",
    // the password and the TOTP secret, both redacted
    exact(
      'ClerkUser "adoptee" (USER_ID): create failed [partial_create]: Clerk 422 form_password_pwned: ' +
        'Injected 422 fault (local-clerk) You sent: "[redacted]", "[redacted]".: ' +
        "the user exists and is kept in state; the next `pulumi up` finishes the update: TRACE",
    ),
  );
  const adoptee = engine.state().find((e) => e.name === "adoptee")!;
  expect(adoptee.initErrors).toEqual([adoptFailure.message]);
  const adoptPatch = since(seq).filter((r) => r.method === "PATCH" && USER_PATH.test(r.path));
  expect(adoptPatch.map((r) => [r.status, r.echoed])).toEqual([[422, true]]);
  expect(body(adoptPatch[0]!)).toContain(SECRETS.adopteePassword); // the password was echoed back
  const adoptHost = (adopt.failures[0]!.error as HostCallError).initFailure!;
  expect(adoptHost.reasons).toEqual([adoptFailure.message]);
  states.push(engine.toJSON());

  // ---- delete: a 500 on every attempt until the retry budget is spent; the users stay in state ----
  seq = lastSeq();
  clerk.control.inject({ match: { method: "DELETE" }, times: 1000, kind: "status", status: 500 });
  const del = await engine.destroy();
  clerk.control.clearFaults();
  failures.push(...del.failures);
  expect(del.failures.map((f) => [f.name, f.op]).sort()).toEqual([
    ["adoptee", "delete"],
    ["alice", "delete"],
    ["gen", "delete"],
  ]);
  for (const f of del.failures)
    expect(f.message).toMatch(
      exact(
        `ClerkUser "${f.name}" (USER_ID): delete failed [retry_budget_exhausted]: Clerk 500 internal_clerk_error: ` +
          `${INTERNAL}: GAVE_UP: TRACE`,
      ),
    );
  // A DELETE submits nothing, so the echo has nothing to repeat: its 500s go out unchanged (echo.ts).
  const deletes = since(seq).filter((r) => r.method === "DELETE");
  expect(deletes.length).toBeGreaterThanOrEqual(6);
  expect(deletes.every((r) => r.status === 500 && r.echoed === undefined)).toBe(true);
  expect(
    engine
      .state()
      .map((e) => e.name)
      .sort(),
  ).toEqual(["adoptee", "alice", "gen"]);
  states.push(engine.toJSON());

  // ---- clerk-sweep: list until its retry budget is spent, then delete through a 500 ----
  const sweepEnv = (env: NodeJS.ProcessEnv): NodeJS.ProcessEnv => ({
    ...env,
    CLERK_RETRY_TIMEOUT_SECONDS: BUDGET_SECONDS,
  });
  seq = lastSeq();
  clerk.control.inject({ match: { method: "GET", path: "/v1/users" }, times: 1000, kind: "status", status: 500 });
  const list = await runSweep(clerk, ["list", "--json"], { now: Date.now(), env: sweepEnv });
  clerk.control.clearFaults();
  sweeps.push(list);
  expect(list.code).toBe(ExitCode.Failed);
  expect(list.stdout).toBe("");
  // The echo repeats the list query (limit and order): the sweeper submits nothing secret.
  expect(list.stderr).toMatch(
    exact(
      `clerk-sweep: Clerk at ${clerk.url} answered 500 Internal Server Error; still retrying, for up to 2 s (CLERK_RETRY_TIMEOUT_SECONDS)\n` +
        `clerk-sweep: listing users at ${clerk.url} failed: Clerk 500 internal_clerk_error: ${INTERNAL} ` +
        'You sent: "500", "+created_at".: GAVE_UP (TRACE). Nothing was deleted.\n',
    ),
  );
  const listCalls = since(seq).filter((r) => r.method === "GET" && r.path === "/v1/users");
  expect(listCalls.length).toBeGreaterThanOrEqual(2);
  expect(listCalls.every((r) => r.status === 500 && r.echoed === true)).toBe(true);

  clerk.control.inject({ match: { method: "DELETE" }, times: 1, kind: "status", status: 500 });
  // The provider writes v1 markers today, which the sweeper keeps unless told otherwise.
  const sweep = await runSweep(
    clerk,
    ["delete", "--yes", "--include-v1-markers", "--project", "pulumi-clerk", "--stack", "test"],
    {
      now: Date.now(),
      env: sweepEnv,
    },
  );
  sweeps.push(sweep);
  expect(sweep.code).toBe(ExitCode.Ok);
  expect(sweep.stdout.trimEnd().split("\n").pop()).toBe("users: deleted 2, already gone 0, failed 0");
  expect(
    clerk.control
      .users()
      .map((u) => u.email_addresses[0]?.email_address ?? u.username)
      .sort(),
  ).toEqual(
    ["adoptee9"], // adopted, and its marker never written (the partial create failed before it): not the sweeper's
  );

  // ---- the stack is destroyed cleanly once Clerk behaves ----
  const clean = await engine.destroy();
  failures.push(...clean.failures);
  expect(clean.failures).toEqual([]);
  expect(engine.state()).toEqual([]);
  expect(clerk.control.users()).toEqual([]);

  // ---- the scan: no secret anywhere ----
  const secrets = { ...SECRETS, generated, clerkSecretKey: [clerk.secretKey] };
  const plaintextState = states.map((st) => {
    engine.load(st);
    return engine.exportState({ showSecrets: false });
  });
  const leaks = scanForSecrets(secrets, {
    failureMessages: failures.map((f) => f.message),
    initFailures: failures.map((f) => (f.error instanceof HostCallError ? f.error.initFailure?.reasons : undefined)),
    engineLog: logs,
    engineEvents: events,
    hostStdout: s.host.stdout(),
    hostStderr: s.host.stderr(),
    state: plaintextState,
    sweepOutput: sweeps,
  });
  if (leaks.length > 0) throw new Error(formatLeaks(leaks));
  // The scanner does recognise these secrets: Clerk's request log is full of them (it records what was sent).
  expect(scanForSecrets(secrets, { requests: clerk.control.requests() }).length).toBeGreaterThan(0);

  // Unwrapped, the stored state holds the secrets only inside secret values (the scan above is not vacuous).
  const unwrapped = states.map((st) => {
    engine.load(st);
    return engine.exportState({ showSecrets: true });
  });
  engine.load({ ...states[0]!, resources: [] });
  const inSecrets = scanForSecrets(secrets, { state: unwrapped });
  expect(inSecrets.length).toBeGreaterThan(0);
  const outside = inSecrets.filter(
    (l) =>
      !/^state\[\d\]\.resources\[\d\]\.(inputs|outputs)\.(password|totpSecret|backupCodes|privateMetadata|generatedPassword)\.plaintext$/.test(
        l.where,
      ),
  );
  if (outside.length > 0) throw new Error(formatLeaks(outside));
});
