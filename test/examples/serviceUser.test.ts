/** examples/service-user, installed: one protected, long-lived user; destroy refuses it and the user survives. */
import type { LocalStack } from "../../scripts/lib/localStack";
import { emails, useInstalledExample, writes } from "./helpers";

const example = useInstalledExample("service-user");

const PASSWORD = "service-Passw0rd-123";
let stack: LocalStack | undefined;
afterEach(async () => {
  stack?.clerk.control.reset();
  await stack?.close();
  stack = undefined;
});

test("up creates the service user; destroy is refused for the protected resource and the user survives", async () => {
  stack = await example.start("prod", { "service-user:servicePassword": { secret: PASSWORD } });
  expect(await stack.engine.up(example.program)).toMatchObject({ created: 1, failures: [] });
  const [user, ...rest] = stack.clerk.control.users();
  expect(rest).toEqual([]);
  expect(user).toMatchObject({
    username: "support-bot",
    external_id: "svc:support-bot",
    first_name: "Support",
    last_name: "Bot",
    public_metadata: { roles: ["service"], kind: "service-account" },
    password: PASSWORD,
  });
  expect(emails(user)).toEqual(["support-bot@example.com"]);
  expect(user!.private_metadata).toMatchObject({ owner: "platform-team" });
  expect(stack.engine.state()[0]).toMatchObject({ protect: true, name: "support-bot" });

  stack.clerk.control.clearRequests();
  expect(await stack.engine.up(example.program)).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
  expect(writes(stack)).toBe(0);

  const d = await stack.engine.destroy();
  expect(d.deleted).toBe(0);
  expect(d.failures).toHaveLength(1);
  expect(d.failures[0]!.message).toMatch(
    /^unable to delete resource ".*support-bot" as it is currently marked for protection/,
  );
  expect(stack.clerk.control.users().map((u) => u.id)).toEqual([user!.id]);
  expect(stack.clerk.control.requests().filter((r) => r.method === "DELETE")).toEqual([]);
  expect(stack.engine.state()).toHaveLength(1);
});

test("adopt: true takes over an existing user with the same externalId instead of failing", async () => {
  stack = await example.start("adopt", {
    "service-user:servicePassword": { secret: PASSWORD },
    "service-user:adopt": "true",
  });
  const existing = stack.clerk.control.putUser({ external_id: "svc:support-bot", first_name: "Old" });
  expect(await stack.engine.up(example.program)).toMatchObject({ created: 1, failures: [] });
  const users = stack.clerk.control.users();
  expect(users.map((u) => u.id)).toEqual([existing.id]);
  expect(users[0]).toMatchObject({ first_name: "Support", username: "support-bot", password: PASSWORD });
});

test("without the password in secret config the program fails before creating anything", async () => {
  stack = await example.start("nopw");
  await expect(stack.engine.up(example.program)).rejects.toThrow(/servicePassword/);
  expect(stack.clerk.control.users()).toEqual([]);
});
