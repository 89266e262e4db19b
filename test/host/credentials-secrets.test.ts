/**
 * Host conformance for credentials, secrets and check failures, through the real dynamic-provider host.
 * Proves: both credential paths work; a wrong key fails read and delete loudly (never "gone"); the key and
 * the password never appear in `__provider`, in the plaintext part of state, or in any error or log text.
 */
import { ClerkUser } from "../../src";
import { clerkUserProvider } from "../../src/provider/clerkUserProvider";
import { captureRegistrations, serializeProvider } from "../harness";
import { startStack, type Stack } from "./support";

const URN = "urn:pulumi:test::pulumi-clerk::pulumi-nodejs:dynamic/clerk:User::svc";
const PASSWORD = "pw-Sup3r-Secret-9174";
const program =
  (extra: Record<string, unknown> = {}) =>
  () => {
    new ClerkUser("svc", { emailAddresses: ["svc@example.com"], password: PASSWORD, ...extra });
  };

let s: Stack | undefined;
afterEach(async () => {
  await s?.[Symbol.asyncDispose]();
  s = undefined;
});

it.each(["config", "env"] as const)("credentials via %s only", async (credentials) => {
  s = await startStack({ credentials });
  const up = await s.engine.up(program());
  expect(up.failures).toEqual([]);
  expect(s.clerk.control.users()).toHaveLength(1);
  // Every request carried the key the test chose, through the one path under test.
  expect(new Set(s.clerk.control.requests().map((r) => r.headers["authorization"]))).toEqual(
    new Set([`Bearer sk_…${s.clerk.secretKey.slice(-4)}`]),
  );
  expect((await s.engine.destroy()).failures).toEqual([]);
  expect(s.clerk.control.users()).toEqual([]);
});

it("fails with a clear error when no key is configured anywhere", async () => {
  s = await startStack({ credentials: "env", env: { CLERK_SECRET_KEY: "" } });
  const up = await s.engine.up(program());
  expect(up.failures).toHaveLength(1);
  expect(up.failures[0]!.message).toContain("[credentials_missing]");
  expect(up.failures[0]!.message).toContain("pulumi config set --secret clerk:secretKey");
  expect(s.clerk.control.requests()).toEqual([]);
});

it("a wrong key makes read and delete fail loudly, and keeps the user in state", async () => {
  s = await startStack();
  await s.engine.up(program());
  const [entry] = s.engine.state();
  const wrongKey = "sk_test_wrong_key_5555555555555555555555";
  const other = await startStack({ clerk: s.clerk, config: { "clerk:secretKey": wrongKey } as Record<string, string> });
  try {
    other.engine.load(s.engine.toJSON());
    const refresh = await other.engine.refresh();
    expect(refresh.deleted).toBe(0);
    expect(refresh.failures).toHaveLength(1);
    const readMsg = refresh.failures[0]!.message;
    expect(readMsg).toContain(`ClerkUser "svc" (${entry!.id}): read failed [clerk_api_error]`);
    expect(readMsg).toContain("Clerk 401 clerk_key_invalid");
    expect(readMsg).toMatch(/clerk_trace_id \S+/);
    const destroy = await other.engine.destroy();
    expect(destroy.failures).toHaveLength(1);
    expect(destroy.failures[0]!.message).toContain(`ClerkUser "svc" (${entry!.id}): delete failed`);
    expect(destroy.failures[0]!.message).toContain("401 clerk_key_invalid");
    expect(other.engine.state()).toHaveLength(1); // not dropped
    expect(s.clerk.control.users()).toHaveLength(1); // not deleted
    for (const text of [readMsg, destroy.failures[0]!.message, other.host.stderr(), other.host.stdout()]) {
      expect(text).not.toContain(wrongKey);
      expect(text).not.toContain(s.clerk.secretKey);
      expect(text).not.toContain(PASSWORD);
    }
  } finally {
    await other[Symbol.asyncDispose]();
  }
});

it("never leaks the key or the password into __provider, plaintext state, or errors", async () => {
  s = await startStack();
  const regs = await captureRegistrations(program(), {
    project: "pulumi-clerk",
    stack: "test",
    config: { "clerk:secretKey": { secret: s.clerk.secretKey } },
  });
  const user = regs.find((r) => r.type === "pulumi-nodejs:dynamic/clerk:User")!;
  const provider = user.inputs["__provider"] as string;
  expect(provider).toContain('require("pulumi-clerk/provider-runtime")');
  expect(provider).not.toContain(s.clerk.secretKey);
  expect(provider).not.toContain(PASSWORD);
  // Recorded size: the closure is a module name and seven one-line hooks (see decisions/0001).
  expect(provider.length).toBeLessThan(4096);
  expect(user.secretInputs).toEqual(expect.arrayContaining(["password"]));
  expect(user.additionalSecretOutputs).toEqual(
    expect.arrayContaining([
      "password",
      "passwordDigest",
      "totpSecret",
      "backupCodes",
      "privateMetadata",
      "generatedPassword",
    ]),
  );

  const up = await s.engine.up(program({ generatePassword: false, privateMetadata: { apiToken: "tok-123" } }));
  expect(up.failures).toEqual([]);
  const plaintext = JSON.stringify(s.engine.exportState({ showSecrets: false }));
  expect(plaintext).not.toContain(PASSWORD);
  expect(plaintext).not.toContain("tok-123");
  expect(plaintext).not.toContain(s.clerk.secretKey);
  // Errors too: a Clerk rejection of this user's update names the field, never the value.
  s.clerk.control.inject({
    match: { method: "PATCH" },
    times: 1,
    kind: "status",
    status: 422,
    code: "form_password_pwned",
  });
  const bad = await s.engine.up(program({ password: "another-Secret-551" }));
  expect(bad.failures).toHaveLength(1);
  for (const text of [bad.failures[0]!.message, s.host.stderr(), s.host.stdout()]) {
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain("another-Secret-551");
    expect(text).not.toContain(s.clerk.secretKey);
  }
  expect(bad.failures[0]!.message).toContain("422 form_password_pwned");
});

it("each invalid input gets a per-field check failure, and nothing reaches Clerk", async () => {
  s = await startStack();
  const __provider = await serializeProvider(clerkUserProvider);
  const news = {
    __provider,
    emailAddresses: ["not-an-email", "dup@example.com", "DUP@example.com"],
    phoneNumbers: ["555-0100"],
    publicMetadata: ["not", "an", "object"],
    privateMetadata: { blob: "x".repeat(9000) },
    passwordDigest: "$2a$10$abc",
    firstNmae: "typo",
  };
  const res = await s.host.check(URN, {}, { ...news, managedBy: { project: "p", stack: "s", name: "svc" } });
  const byProperty = Object.fromEntries(res.failures.map((f) => [f.property, f.reason]));
  expect(Object.keys(byProperty).sort()).toEqual(
    [
      "emailAddresses[0]",
      "emailAddresses[2]",
      "firstNmae",
      "passwordHasher",
      "phoneNumbers[0]",
      "privateMetadata",
      "publicMetadata",
    ].sort(),
  );
  expect(byProperty["firstNmae"]).toContain('did you mean "firstName"');
  expect(byProperty["phoneNumbers[0]"]).toContain("E.164");
  expect(byProperty["privateMetadata"]).toContain("8192");
  expect(byProperty["passwordHasher"]).toContain("passwordDigest");
  // A user without any identifier.
  const none = await s.host.check(URN, {}, { __provider, firstName: "Nobody" });
  expect(none.failures.map((f) => f.property)).toEqual(["emailAddresses"]);
  // Preview: unknowns anywhere never crash check.
  const U = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
  const preview = await s.host.check(URN, {}, { __provider, emailAddresses: [U], publicMetadata: U, password: U });
  expect(preview.failures).toEqual([]);
  expect(s.clerk.control.requests()).toEqual([]);
});
