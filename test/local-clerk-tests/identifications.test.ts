import { clerkError, raw, startHarness, type Harness } from "./helpers";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.server.close();
});
beforeEach(() => h.server.control.reset());

describe("/email_addresses", () => {
  it("adds unverified by default; it cannot become primary until verified", async () => {
    const u = await h.client.users.createUser({ emailAddress: ["first@example.com"] });
    const added = await h.client.emailAddresses.createEmailAddress({
      userId: u.id,
      emailAddress: "second@example.com",
    });
    expect(added.verification).toMatchObject({ status: "unverified", strategy: "email_code" });
    const wire = await raw(h.server, "GET", `/v1/email_addresses/${added.id}`);
    expect(wire.json).toMatchObject({
      object: "email_address",
      reserved: false,
      linked_to: [],
      verification: {
        object: "verification_otp",
        status: "unverified",
        strategy: "email_code",
        attempts: null,
        expire_at: null,
      },
    });
    const viaPatch = await clerkError(h.client.emailAddresses.updateEmailAddress(added.id, { primary: true }));
    expect([viaPatch.status, viaPatch.errors[0]!.code]).toEqual([422, "form_param_value_invalid"]);
    await h.client.emailAddresses.updateEmailAddress(added.id, { verified: true });
    const user = await h.client.users.updateUser(u.id, { primaryEmailAddressID: added.id });
    expect(user.primaryEmailAddressId).toBe(added.id);
    expect(user.updatedAt).toBeGreaterThan(u.updatedAt);
    const log = h.server.control.requests().filter((e) => e.path.startsWith("/v1/email_addresses"));
    expect(log.every((e) => e.userId === u.id)).toBe(true);
  });

  it("creates verified + primary in one call, and rejects primary without verified", async () => {
    const u = await h.client.users.createUser({ emailAddress: ["a@example.com"] });
    const err = await clerkError(
      h.client.emailAddresses.createEmailAddress({ userId: u.id, emailAddress: "b@example.com", primary: true }),
    );
    expect(err.status).toBe(422);
    const b = await h.client.emailAddresses.createEmailAddress({
      userId: u.id,
      emailAddress: "b@example.com",
      primary: true,
      verified: true,
    });
    expect(b.verification).toMatchObject({ status: "verified", strategy: "admin" });
    expect((await h.client.users.getUser(u.id)).primaryEmailAddressId).toBe(b.id);
  });

  it("first verified address of a user without one becomes primary", async () => {
    const u = await h.client.users.createUser({ username: "nomail" });
    const e = await h.client.emailAddresses.createEmailAddress({
      userId: u.id,
      emailAddress: "n@example.com",
      verified: true,
    });
    expect((await h.client.users.getUser(u.id)).primaryEmailAddressId).toBe(e.id);
  });

  it("deleting the primary promotes the oldest verified remaining address", async () => {
    const u = await h.client.users.createUser({ emailAddress: ["p1@example.com", "p2@example.com", "p3@example.com"] });
    const [p1, p2] = u.emailAddresses;
    const deleted = await raw(h.server, "DELETE", `/v1/email_addresses/${p1!.id}`);
    expect(deleted.json).toEqual({ object: "email_address", id: p1!.id, deleted: true });
    const after = await h.client.users.getUser(u.id);
    expect(after.primaryEmailAddressId).toBe(p2!.id);
    expect(after.emailAddresses.map((e) => e.emailAddress)).toEqual(["p2@example.com", "p3@example.com"]);
    await h.client.users.createUser({ emailAddress: ["P1@example.com"] }); // address released
  });

  it("refuses to delete the last identification (400 identification_deletion_failed)", async () => {
    const u = await h.client.users.createUser({ emailAddress: ["only@example.com"] });
    const err = await clerkError(h.client.emailAddresses.deleteEmailAddress(u.emailAddresses[0]!.id));
    expect(err.status).toBe(400);
    expect(err.errors[0]).toMatchObject({
      code: "identification_deletion_failed",
      longMessage: "You cannot delete your last identification.",
    });
    expect(h.server.control.getUser(u.id)!.email_addresses).toHaveLength(1);
  });

  it("uniqueness, format and 404s", async () => {
    const a = await h.client.users.createUser({ emailAddress: ["taken@example.com"] });
    const b = await h.client.users.createUser({ emailAddress: ["other@example.com"] });
    const dup = await clerkError(
      h.client.emailAddresses.createEmailAddress({ userId: b.id, emailAddress: "TAKEN@example.com" }),
    );
    expect(dup.errors[0]).toMatchObject({ code: "form_identifier_exists", meta: { paramName: "email_address" } });
    const bad = await clerkError(h.client.emailAddresses.createEmailAddress({ userId: b.id, emailAddress: "nope@" }));
    expect(bad.errors[0]).toMatchObject({ code: "form_param_format_invalid", meta: { paramName: "email_address" } });
    const noUser = await clerkError(
      h.client.emailAddresses.createEmailAddress({ userId: "user_missing", emailAddress: "x@example.com" }),
    );
    expect(noUser.status).toBe(404);
    expect((await clerkError(h.client.emailAddresses.getEmailAddress("idn_missing"))).status).toBe(404);
    // a phone id is not an email id
    const withPhone = await h.client.users.createUser({ phoneNumber: ["+15555550123"] });
    expect((await clerkError(h.client.emailAddresses.getEmailAddress(withPhone.phoneNumbers[0]!.id))).status).toBe(404);
    expect(a.id).not.toBe(b.id);
  });
});

describe("/phone_numbers", () => {
  it("E.164 only; 2FA reservation needs verification and toggles two_factor_enabled", async () => {
    const u = await h.client.users.createUser({ emailAddress: ["ph@example.com"] });
    const bad = await clerkError(h.client.phoneNumbers.createPhoneNumber({ userId: u.id, phoneNumber: "555-0100" }));
    expect(bad.errors[0]).toMatchObject({ code: "form_param_format_invalid", meta: { paramName: "phone_number" } });
    const unverified2fa = await clerkError(
      h.client.phoneNumbers.createPhoneNumber({
        userId: u.id,
        phoneNumber: "+15555550100",
        reservedForSecondFactor: true,
      }),
    );
    expect([unverified2fa.status, unverified2fa.errors[0]!.code]).toEqual([
      400,
      "identification_create_second_factor_unverified",
    ]);
    const phone = await h.client.phoneNumbers.createPhoneNumber({
      userId: u.id,
      phoneNumber: "+15555550100",
      verified: true,
      reservedForSecondFactor: true,
    });
    expect(phone).toMatchObject({ reservedForSecondFactor: true, defaultSecondFactor: true });
    let user = await h.client.users.getUser(u.id);
    expect([user.twoFactorEnabled, user.primaryPhoneNumberId]).toEqual([true, phone.id]);
    await h.client.phoneNumbers.updatePhoneNumber(phone.id, { reservedForSecondFactor: false });
    user = await h.client.users.getUser(u.id);
    expect(user.twoFactorEnabled).toBe(false);
    const raws = user.raw as unknown as { mfa_enabled_at: number; mfa_disabled_at: number };
    expect(raws.mfa_disabled_at).toBeGreaterThanOrEqual(raws.mfa_enabled_at);
    const del = await h.client.phoneNumbers.deletePhoneNumber(phone.id);
    expect(del).toMatchObject({ object: "phone_number", id: phone.id, deleted: true });
    expect((await h.client.users.getUser(u.id)).primaryPhoneNumberId).toBeNull();
  });

  it("a phone-only user cannot lose its last phone; duplicates are form_identifier_exists", async () => {
    const u = await h.client.users.createUser({ phoneNumber: ["+15555550199"] });
    const err = await clerkError(h.client.phoneNumbers.deletePhoneNumber(u.phoneNumbers[0]!.id));
    expect(err.errors[0]!.code).toBe("identification_deletion_failed");
    const other = await h.client.users.createUser({ emailAddress: ["o@example.com"] });
    const dup = await clerkError(
      h.client.phoneNumbers.createPhoneNumber({ userId: other.id, phoneNumber: "+15555550199" }),
    );
    expect(dup.errors[0]).toMatchObject({ code: "form_identifier_exists", meta: { paramName: "phone_number" } });
  });
});
