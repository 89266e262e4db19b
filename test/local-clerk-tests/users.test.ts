import { DEFAULT_SECRET_KEY } from "../local-clerk";
import { CLOCK_START, clerkError, firstError, raw, startHarness, type ErrorJson, type Harness } from "./helpers";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.server.close();
});
beforeEach(() => h.server.control.reset());

/** The SDK's CreateUserParams lacks some spec fields (web3Wallet); it forwards them at runtime. */
const createAny = (p: Record<string, unknown>) =>
  h.client.users.createUser(p as Parameters<typeof h.client.users.createUser>[0]);

const ID = /^user_[0-9A-Za-z]{27}$/;
const IDN = /^idn_[0-9A-Za-z]{27}$/;

describe("POST /users", () => {
  it("creates a user with Clerk's shape, verified primary email and write-only fields kept in the store", async () => {
    const user = await h.client.users.createUser({
      emailAddress: ["Ada@Example.com", "ada2@example.com"],
      phoneNumber: ["+15555550100"],
      username: "ada",
      password: "correct-horse",
      firstName: "Ada",
      externalId: "ext-1",
      publicMetadata: { role: "admin" },
    });
    expect(user.id).toMatch(ID);
    expect(user.raw?.object).toBe("user");
    expect(user.emailAddresses).toHaveLength(2);
    expect(user.primaryEmailAddressId).toBe(user.emailAddresses[0]!.id);
    expect(user.primaryPhoneNumberId).toBe(user.phoneNumbers[0]!.id);
    expect(user.emailAddresses[0]!.id).toMatch(IDN);
    expect(user.emailAddresses[0]!.verification).toMatchObject({ status: "verified", strategy: "admin" });
    expect(user.passwordEnabled).toBe(true);
    expect(user.twoFactorEnabled).toBe(false);
    // milliseconds, not seconds: the harness clock starts at CLOCK_START and moves 1 ms per reading
    expect(user.createdAt).toBeGreaterThan(CLOCK_START);
    expect(user.createdAt).toBeLessThan(CLOCK_START + 1_000_000);
    const rawEmail = (user.raw as unknown as { email_addresses: unknown[] }).email_addresses[0];
    expect(rawEmail).toEqual({
      id: user.emailAddresses[0]!.id,
      object: "email_address",
      email_address: "Ada@Example.com",
      reserved: false,
      verification: {
        object: "verification_admin",
        status: "verified",
        strategy: "admin",
        attempts: null,
        expire_at: null,
      },
      linked_to: [],
      matches_sso_connection: false,
      created_at: user.createdAt,
      updated_at: user.createdAt,
    });
    const stored = h.server.control.getUser(user.id)!;
    expect(stored.password).toBe("correct-horse");
    expect(stored.public_metadata).toEqual({ role: "admin" });
    const [entry] = h.server.control.requests();
    expect(entry).toMatchObject({
      seq: 1,
      method: "POST",
      path: "/v1/users",
      status: 200,
      userId: user.id,
      operationId: "CreateUser",
      body: {
        email_address: ["Ada@Example.com", "ada2@example.com"],
        phone_number: ["+15555550100"],
        username: "ada",
        password: "correct-horse",
        first_name: "Ada",
        external_id: "ext-1",
        public_metadata: { role: "admin" },
      },
    });
    expect(entry!.headers["authorization"]).toBe("Bearer sk_…0000");
    expect(entry!.headers["clerk-api-version"]).toBe("2026-05-12");
  });

  it("honours banned, locked, created_at, legal_accepted_at, digest+hasher, TOTP and backup codes", async () => {
    const user = await h.client.users.createUser({
      emailAddress: ["b@example.com"],
      banned: true,
      locked: true,
      createdAt: new Date("2020-01-02T03:04:05.678Z"),
      legalAcceptedAt: new Date("2021-01-01T00:00:00Z"),
      passwordDigest: "$2a$10$abcdefghijklmnopqrstuv",
      passwordHasher: "bcrypt",
      totpSecret: "JBSWY3DPEHPK3PXP",
      backupCodes: ["a1", "b2"],
    });
    expect(user.banned).toBe(true);
    expect(user.locked).toBe(true);
    expect(user.createdAt).toBe(Date.parse("2020-01-02T03:04:05.678Z"));
    expect(user.legalAcceptedAt).toBe(Date.parse("2021-01-01T00:00:00Z"));
    expect(user.passwordEnabled).toBe(true);
    expect(user.totpEnabled).toBe(true);
    expect(user.backupCodeEnabled).toBe(true);
    expect(user.twoFactorEnabled).toBe(true);
    expect(user.raw?.["mfa_enabled_at" as keyof typeof user.raw]).toEqual(expect.any(Number));
    expect(h.server.control.getUser(user.id)).toMatchObject({
      password: null,
      password_digest: "$2a$10$abcdefghijklmnopqrstuv",
      password_hasher: "bcrypt",
      totp_secret: "JBSWY3DPEHPK3PXP",
      backup_codes: ["a1", "b2"],
    });
  });

  it.each([
    [{ emailAddress: ["not-an-email"] }, "form_param_format_invalid", "email_address"],
    [{ phoneNumber: ["5555550100"] }, "form_param_format_invalid", "phone_number"],
    [{ web3Wallet: ["0x123"] }, "form_param_format_invalid", "web3_wallet"],
    [{ emailAddress: ["p@example.com"], password: "short" }, "form_password_length_too_short", "password"],
    [
      { emailAddress: ["p@example.com"], passwordHasher: "bcrypt" },
      "form_conditional_param_missing",
      "password_digest",
    ],
    [{ emailAddress: ["p@example.com"], passwordDigest: "x" }, "form_conditional_param_missing", "password_hasher"],
    [
      { emailAddress: ["p@example.com"], publicMetadata: { big: "x".repeat(9000) } },
      "form_param_exceeds_allowed_size",
      "public_metadata",
    ],
    [{ emailAddress: ["p@example.com"], timezone: "Europe/Paris" }, "form_param_unknown", "timezone"],
  ])("rejects bad input #%# with 422", async (params, code, param) => {
    const err = await clerkError(h.client.users.createUser(params as Parameters<typeof h.client.users.createUser>[0]));
    expect(err.status).toBe(422);
    expect(err.errors[0]).toMatchObject({ code, meta: { paramName: param } });
    expect(h.server.control.users()).toHaveLength(0);
  });

  it("skip_password_checks allows a short password", async () => {
    const user = await h.client.users.createUser({
      emailAddress: ["s@example.com"],
      password: "short",
      skipPasswordChecks: true,
    });
    expect(h.server.control.getUser(user.id)!.password).toBe("short");
  });

  it("maps schema violations: wrong type, unknown keys, bad time, malformed JSON", async () => {
    const typed = await raw(h.server, "POST", "/v1/users", { body: { first_name: 3, foo: 1 } });
    expect(typed.status).toBe(422);
    expect((typed.json as ErrorJson).errors.map((e) => [e.code, e.meta.param_name])).toEqual([
      ["form_param_unknown", "foo"],
      ["form_param_type_invalid", "first_name"],
    ]);
    const time = await raw(h.server, "POST", "/v1/users", {
      body: { email_address: ["t@example.com"], created_at: "yesterday" },
    });
    expect(time.status).toBe(422);
    expect(firstError(time)).toMatchObject({ code: "form_param_invalid_time", meta: { param_name: "created_at" } });
    const metaType = await raw(h.server, "POST", "/v1/users", { body: { public_metadata: [1] } });
    expect(firstError(metaType)).toMatchObject({
      code: "form_param_value_invalid",
      meta: { param_name: "public_metadata" },
    });
    const malformed = await raw(h.server, "POST", "/v1/users", { rawBody: "{nope" });
    expect(malformed.status).toBe(400);
    expect(firstError(malformed).code).toBe("request_body_invalid");
    expect(malformed.headers.get("content-type")).toBe("application/json");
  });

  it("enforces instance-wide uniqueness with param_name (email case-insensitive)", async () => {
    await createAny({
      emailAddress: ["u@example.com"],
      phoneNumber: ["+15555550101"],
      username: "uniq",
      externalId: "ext-u",
      web3Wallet: ["0x" + "a".repeat(40)],
    });
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ emailAddress: ["U@EXAMPLE.COM"] }, "email_address"],
      [{ phoneNumber: ["+15555550101"] }, "phone_number"],
      [{ emailAddress: ["x1@example.com"], username: "UNIQ" }, "username"],
      [{ emailAddress: ["x2@example.com"], externalId: "ext-u" }, "external_id"],
      [{ web3Wallet: ["0x" + "A".repeat(40)] }, "web3_wallet"],
    ];
    for (const [params, param] of cases) {
      const err = await clerkError(createAny(params));
      expect([err.status, err.errors[0]!.code, err.errors[0]!.meta?.paramName]).toEqual([
        422,
        "form_identifier_exists",
        param,
      ]);
    }
    expect(h.server.control.users()).toHaveLength(1);
  });

  it("enforces the user quota only when set (403 user_quota_exceeded)", async () => {
    h.server.control.setUserQuota(1);
    await h.client.users.createUser({ emailAddress: ["q1@example.com"] });
    const err = await clerkError(h.client.users.createUser({ emailAddress: ["q2@example.com"] }));
    expect(err.status).toBe(403);
    expect(err.errors[0]).toMatchObject({
      code: "user_quota_exceeded",
      longMessage: "You have reached your limit of 1 users.",
    });
  });
});

describe("GET /users/{id}, auth and fallbacks", () => {
  it("404 resource_not_found for an unknown user", async () => {
    const err = await clerkError(h.client.users.getUser("user_missing"));
    expect(err.status).toBe(404);
    expect(err.errors[0]).toMatchObject({
      code: "resource_not_found",
      longMessage: "No user was found with id user_missing",
    });
    expect(err.clerkTraceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it("401 clerk_key_invalid for another key, authentication_invalid without a header", async () => {
    const { createClerkClient } = await import("@clerk/backend");
    const other = createClerkClient({ secretKey: "sk_test_wrong", apiUrl: h.server.url });
    const err = await clerkError(other.users.getCount());
    expect(err.status).toBe(401);
    expect(err.errors[0]).toMatchObject({
      code: "clerk_key_invalid",
      longMessage: "The provided Clerk Secret Key is invalid. Make sure that your Clerk Secret Key is correct.",
    });
    const none = await raw(h.server, "GET", "/v1/users/count", { key: null });
    expect(none.status).toBe(401);
    expect(firstError(none).code).toBe("authentication_invalid");
    expect(DEFAULT_SECRET_KEY).toBe(h.server.secretKey);
  });

  it("answers unimplemented routes with a loud 404 naming method and path", async () => {
    const err = await clerkError(h.client.users.getOrganizationInvitationList({ userId: "user_x" }));
    expect(err.status).toBe(404);
    expect(err.errors[0]!.longMessage).toContain("GET /v1/users/user_x/organization_invitations");
    const unknown = await raw(h.server, "POST", "/v1/nothing/here");
    expect(firstError(unknown).long_message).toContain("POST /v1/nothing/here");
    expect(h.server.control.unhandled().map((e) => e.path)).toEqual([
      "/v1/users/user_x/organization_invitations",
      "/v1/nothing/here",
    ]);
  });

  it("sends exactly Content-Type: application/json", async () => {
    const res = await raw(h.server, "GET", "/v1/users/count");
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.json).toEqual({ object: "total_count", total_count: 0 });
  });
});

describe("GET /users and /users/count filters", () => {
  async function seed() {
    const a = await h.client.users.createUser({
      emailAddress: ["alice@example.com"],
      username: "alice",
      firstName: "Alice",
      externalId: "e-a",
    });
    const b = await h.client.users.createUser({
      emailAddress: ["bob@example.com"],
      phoneNumber: ["+15555550111"],
      firstName: "Bob",
      externalId: "e-b",
    });
    const c = await createAny({
      emailAddress: ["carol@corp.test"],
      web3Wallet: ["0x" + "c".repeat(40)],
      lastName: "Zed",
    });
    return { a, b, c };
  }

  it("filters, orders, paginates and counts", async () => {
    const { a, b, c } = await seed();
    const ids = (r: { data: Array<{ id: string }> }) => r.data.map((u) => u.id);
    expect(ids(await h.client.users.getUserList())).toEqual([c.id, b.id, a.id]); // default -created_at
    expect(ids(await h.client.users.getUserList({ orderBy: "+created_at" }))).toEqual([a.id, b.id, c.id]);
    expect(ids(await h.client.users.getUserList({ orderBy: "first_name" }))).toEqual([a.id, b.id, c.id]); // NULL last
    const byEmail = await h.client.users.getUserList({ emailAddress: ["ALICE@example.com", "nobody@example.com"] });
    expect([ids(byEmail), byEmail.totalCount]).toEqual([[a.id], 1]);
    expect(ids(await h.client.users.getUserList({ externalId: ["e-b"] }))).toEqual([b.id]);
    expect(ids(await h.client.users.getUserList({ userId: [`-${a.id}`] }))).toEqual([c.id, b.id]);
    expect(ids(await h.client.users.getUserList({ userId: [a.id, `+${c.id}`] }))).toEqual([c.id, a.id]);
    expect(ids(await h.client.users.getUserList({ username: ["alice"] }))).toEqual([a.id]);
    expect(ids(await h.client.users.getUserList({ phoneNumber: ["+15555550111"] }))).toEqual([b.id]);
    expect(ids(await h.client.users.getUserList({ web3Wallet: ["0x" + "C".repeat(40)] }))).toEqual([c.id]);
    expect(ids(await h.client.users.getUserList({ query: "CORP" }))).toEqual([c.id]);
    expect(ids(await h.client.users.getUserList({ query: "zed" }))).toEqual([c.id]);
    const page = await h.client.users.getUserList({ limit: 1, offset: 1 });
    expect([ids(page), page.totalCount]).toEqual([[b.id], 3]);
    expect(ids(await h.client.users.getUserList({ createdAtBefore: b.createdAt + 0 }))).toEqual(
      [a, b]
        .filter((u) => u.createdAt < b.createdAt)
        .map((u) => u.id)
        .reverse(),
    );
    expect(await h.client.users.getCount({ emailAddress: ["bob@example.com", "carol@corp.test"] })).toBe(2);
    const list = h.server.control
      .requests()
      .find((e) => e.path === "/v1/users" && Array.isArray(e.query["email_address"]));
    expect(list!.query["email_address"]).toEqual(["ALICE@example.com", "nobody@example.com"]);
  });

  it("rejects limit out of range and unknown order_by with 422", async () => {
    const limit = await raw(h.server, "GET", "/v1/users?limit=501");
    expect(limit.status).toBe(422);
    expect(firstError(limit).meta.param_name).toBe("limit");
    const order = await raw(h.server, "GET", "/v1/users?order_by=-shoe_size");
    expect([order.status, firstError(order).meta.param_name]).toEqual([422, "order_by"]);
  });
});

describe("PATCH /users/{id}", () => {
  it("updates fields, bumps updated_at and keeps the identifier index", async () => {
    const u = await h.client.users.createUser({ emailAddress: ["p@example.com"], username: "old" });
    const updated = await h.client.users.updateUser(u.id, {
      firstName: "New",
      username: "renamed",
      externalId: "x-9",
      password: "a-long-password",
    });
    expect(updated).toMatchObject({ firstName: "New", username: "renamed", externalId: "x-9", passwordEnabled: true });
    expect(updated.updatedAt).toBeGreaterThan(u.updatedAt);
    expect(h.server.control.getUser(u.id)!.password).toBe("a-long-password");
    await h.client.users.createUser({ emailAddress: ["q@example.com"], username: "old" }); // freed
    const err = await clerkError(h.client.users.createUser({ emailAddress: ["r@example.com"], username: "renamed" }));
    expect(err.errors[0]).toMatchObject({ code: "form_identifier_exists", meta: { paramName: "username" } });
  });

  it("rejects metadata (not in the 2026-05-12 body) and password flags without a password", async () => {
    const u = await h.client.users.createUser({ emailAddress: ["m@example.com"] });
    const meta = await raw(h.server, "PATCH", `/v1/users/${u.id}`, { body: { public_metadata: { a: 1 } } });
    expect([meta.status, firstError(meta).code, firstError(meta).meta.param_name]).toEqual([
      422,
      "form_param_unknown",
      "public_metadata",
    ]);
    const err = await clerkError(h.client.users.updateUser(u.id, { skipPasswordChecks: true }));
    expect(err.errors[0]).toMatchObject({ code: "form_conditional_param_missing", meta: { paramName: "password" } });
    const short = await clerkError(h.client.users.updateUser(u.id, { password: "abc" }));
    expect(short.errors[0]!.code).toBe("form_password_length_too_short");
    const notFound = await clerkError(h.client.users.updateUser("user_nope", { firstName: "x" }));
    expect(notFound.status).toBe(404);
  });

  it("primary_email_address_id must be the user's verified address", async () => {
    const u = await h.client.users.createUser({ emailAddress: ["v@example.com"] });
    const unverified = await h.client.emailAddresses.createEmailAddress({
      userId: u.id,
      emailAddress: "unv@example.com",
    });
    const err = await clerkError(h.client.users.updateUser(u.id, { primaryEmailAddressID: unverified.id }));
    expect(err.status).toBe(422);
    expect(err.errors[0]!.meta?.paramName).toBe("primary_email_address_id");
    const foreign = await clerkError(h.client.users.updateUser(u.id, { primaryEmailAddressID: "idn_nope" }));
    expect(foreign.errors[0]).toMatchObject({
      code: "form_resource_not_found",
      meta: { paramName: "primary_email_address_id" },
    });
  });
});

describe("metadata", () => {
  it("PATCH deep-merges and null deletes at any level; PUT replaces supplied fields only", async () => {
    const u = await h.client.users.createUser({
      emailAddress: ["md@example.com"],
      publicMetadata: { a: { b: 1, c: 2 }, keep: true, drop: 1 },
      privateMetadata: { secret: "s" },
    });
    const merged = await h.client.users.updateUserMetadata(u.id, {
      publicMetadata: { a: { c: null, d: [1] }, drop: null, n: 1 },
    });
    expect(merged.publicMetadata).toEqual({ a: { b: 1, d: [1] }, keep: true, n: 1 });
    expect(merged.privateMetadata).toEqual({ secret: "s" });
    const replaced = await h.client.users.replaceUserMetadata(u.id, { privateMetadata: { only: 1 } });
    expect(replaced.privateMetadata).toEqual({ only: 1 });
    expect(replaced.publicMetadata).toEqual({ a: { b: 1, d: [1] }, keep: true, n: 1 });
    const cleared = await h.client.users.replaceUserMetadata(u.id, { publicMetadata: {} });
    expect(cleared.publicMetadata).toEqual({});
    expect(h.server.control.requests().map((e) => `${e.method} ${e.operationId}`)).toEqual([
      "POST CreateUser",
      "PATCH UpdateUserMetadata",
      "PUT ReplaceUserMetadata",
      "PUT ReplaceUserMetadata",
    ]);
  });

  it("rejects a merged result over 8 KB with form_param_exceeds_allowed_size", async () => {
    const u = await h.client.users.createUser({
      emailAddress: ["big@example.com"],
      publicMetadata: { a: "x".repeat(5000) },
    });
    const err = await clerkError(h.client.users.updateUserMetadata(u.id, { publicMetadata: { b: "y".repeat(5000) } }));
    expect(err.errors[0]).toMatchObject({
      code: "form_param_exceeds_allowed_size",
      meta: { paramName: "public_metadata" },
    });
    expect(h.server.control.getUser(u.id)!.public_metadata).toEqual({ a: "x".repeat(5000) });
  });
});

describe("lifecycle endpoints", () => {
  it("ban/unban/lock/unlock, remove_password, TOTP/backup-code/MFA removal", async () => {
    const u = await h.client.users.createUser({
      emailAddress: ["l@example.com"],
      password: "12345678",
      totpSecret: "T",
      backupCodes: ["1"],
    });
    expect((await h.client.users.banUser(u.id)).banned).toBe(true);
    expect((await h.client.users.unbanUser(u.id)).banned).toBe(false);
    expect((await h.client.users.lockUser(u.id)).locked).toBe(true);
    expect((await h.client.users.unlockUser(u.id)).locked).toBe(false);
    expect((await h.client.users.removePassword(u.id)).passwordEnabled).toBe(false);
    expect(await h.client.users.deleteUserTOTP(u.id)).toEqual({ user_id: u.id });
    expect(h.server.control.getUser(u.id)).toMatchObject({ totp_secret: null, backup_codes: ["1"], password: null });
    expect(await h.client.users.deleteUserBackupCodes(u.id)).toEqual({ user_id: u.id });
    const after = await h.client.users.getUser(u.id);
    expect([after.totpEnabled, after.backupCodeEnabled, after.twoFactorEnabled]).toEqual([false, false, false]);
    expect(after.raw?.["mfa_disabled_at" as keyof typeof after.raw]).toEqual(expect.any(Number));
    expect(await h.client.users.disableUserMFA(u.id)).toEqual({ user_id: u.id });
  });

  it("DELETE returns a DeletedObject and the user is gone", async () => {
    const u = await h.client.users.createUser({ emailAddress: ["d@example.com"] });
    const res = await raw(h.server, "DELETE", `/v1/users/${u.id}`);
    expect(res.json).toEqual({ object: "user", id: u.id, deleted: true });
    expect(h.server.control.users()).toEqual([]);
    expect((await clerkError(h.client.users.deleteUser(u.id))).status).toBe(404);
    await h.client.users.createUser({ emailAddress: ["d@example.com"] }); // identifiers released
  });
});
