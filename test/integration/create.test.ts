import * as runtime from "../../src/provider/runtime";
import { MARKER_KEY } from "../../src/marker/managedByMarker";
import type { LocalClerk } from "../local-clerk";
import { calls, managedBy, startClerkForHooks } from "./support";

let clerk: LocalClerk;
beforeEach(async () => {
  clerk = await startClerkForHooks();
});
afterEach(async () => clerk.close());

const inputs = (name: string, extra: Record<string, unknown> = {}) => ({
  emailAddresses: [`${name}@example.com`],
  firstName: name,
  managedBy: managedBy(name),
  ...extra,
});

it("commit-then-drop on POST /users: the retry finds its own user by marker; exactly one user, that id", async () => {
  clerk.control.inject({ match: { method: "POST", path: "/v1/users" }, times: 1, kind: "commitThenDrop" });
  const res = await runtime.create(inputs("ambig"));
  const users = clerk.control.users();
  expect(users).toHaveLength(1);
  expect(res.id).toBe(users[0]!.id);
  // Which instance (once per process) → POST (committed, dropped) → POST retried (422 form_identifier_exists)
  // → lookup by email, which finds the user carrying this create's ownership id.
  expect(calls(clerk)).toEqual(["GET /v1/instance", "POST /v1/users", "POST /v1/users", "GET /v1/users"]);
  expect(clerk.control.requests()[2]!.errorCode).toBe("form_identifier_exists");
});

it("a real conflict names the identifier and the other user's id, and creates nothing", async () => {
  const other = clerk.control.putUser({
    email_addresses: [
      {
        id: "idn_other",
        email_address: "taken@example.com",
        verified: true,
        reserved: false,
        created_at: 1,
        updated_at: 1,
      },
    ],
    primary_email_address_id: "idn_other",
  });
  await expect(runtime.create(inputs("taken"))).rejects.toThrow(
    new RegExp(
      `ClerkUser "taken": create failed \\[identifier_conflict\\]: Clerk 422 form_identifier_exists: field "emailAddresses": an identifier already belongs to user ${other.id}`,
    ),
  );
  expect(clerk.control.users()).toHaveLength(1);
});

it("adopt: takes over the user found by primary email, updates it to the declared state and marks it", async () => {
  const existing = clerk.control.putUser({
    first_name: "Old",
    public_metadata: { legacy: true },
    email_addresses: [
      {
        id: "idn_keep",
        email_address: "adopt@example.com",
        verified: true,
        reserved: false,
        created_at: 1,
        updated_at: 1,
      },
    ],
    primary_email_address_id: "idn_keep",
  });
  const res = await runtime.create(inputs("adopt", { adopt: true, publicMetadata: { role: "qa" } }));
  expect(res.id).toBe(existing.id);
  const after = clerk.control.getUser(existing.id)!;
  expect(after.first_name).toBe("adopt");
  expect(after.public_metadata).toEqual({ role: "qa" });
  expect(after.private_metadata).toEqual({
    [MARKER_KEY]: {
      v: 2,
      project: "proj",
      stack: "dev",
      name: "adopt",
      ownerId: expect.stringMatching(/^own_[a-z2-7]{26}$/),
      instanceId: clerk.instanceId,
      adopted: true,
    },
  });
  expect(clerk.control.users()).toHaveLength(1);
  expect(calls(clerk)).toEqual([
    "GET /v1/instance",
    "GET /v1/users",
    "PATCH /v1/users/user_X",
    "PUT /v1/users/user_X/metadata",
  ]);
});

it("adopt with nobody to adopt creates the user", async () => {
  const res = await runtime.create(inputs("fresh", { adopt: true }));
  expect(clerk.control.getUser(res.id)!.first_name).toBe("fresh");
  expect(calls(clerk)).toEqual(["GET /v1/instance", "GET /v1/users", "POST /v1/users"]);
});

it("a failure after the user exists is a partial create: id, properties and reasons, nothing leaked", async () => {
  const existing = clerk.control.putUser({
    email_addresses: [
      {
        id: "idn_p",
        email_address: "partial@example.com",
        verified: true,
        reserved: false,
        created_at: 1,
        updated_at: 1,
      },
    ],
    primary_email_address_id: "idn_p",
  });
  clerk.control.inject({
    match: { method: "PATCH" },
    times: 1,
    kind: "status",
    status: 422,
    code: "form_param_format_invalid",
  });
  const err = await runtime.create(inputs("partial", { adopt: true, firstName: "P" })).catch((e: unknown) => e);
  expect(err).toMatchObject({ id: existing.id, code: "partial_create", reasons: [expect.stringContaining("422")] });
  const props = (err as { properties: Record<string, unknown> }).properties;
  expect(props["userId"]).toBe(existing.id);
  // The state records what Clerk really holds, so the next diff still sees the pending change.
  expect(props["firstName"]).toBeUndefined();
});

it("generatePassword: a strong password is generated, sent, and exposed only as generatedPassword", async () => {
  const res = await runtime.create(inputs("gen", { generatePassword: true }));
  const outs = res.outs as Record<string, unknown>;
  expect(typeof outs["generatedPassword"]).toBe("string");
  expect((outs["generatedPassword"] as string).length).toBeGreaterThanOrEqual(32);
  expect(clerk.control.getUser(res.id)!.password).toBe(outs["generatedPassword"]);
  expect(outs["password"]).toBeUndefined();
});
