import fc from "fast-check";
import { planUpdate } from "../../../src/logic/planUpdate";
import { toOutputs } from "../../../src/logic/toOutputs";
import type { UserInputs } from "../../../src/model/UserInputs";
import type { UserOutputs } from "../../../src/model/UserOutputs";
import { userFromInputs, validInputsArb } from "./fixtures";

const managedBy = { project: "proj", stack: "dev", name: "ada" };
const marker = { pulumiClerk: { v: 1, ...managedBy } };
const inputs: UserInputs = {
  emailAddresses: ["ada@example.com", "a2@example.com"],
  phoneNumbers: ["+15555550100"],
  username: "ada",
  firstName: "Ada",
  publicMetadata: { plan: "pro", seats: 3 },
  privateMetadata: { stripe: "cus_1" },
  password: "long enough pw",
  managedBy,
};
/** The live user and the state right after creating `x`. */
const live = (x: UserInputs = inputs) => userFromInputs(x);
const state = (x: UserInputs = inputs, extras = {}): UserOutputs => toOutputs(live(x), x, extras);
const plan = (news: UserInputs, x: UserInputs = inputs) => planUpdate(live(x), state(x), news);

describe("planUpdate", () => {
  it("no-op: nothing differs, no steps", () => {
    expect(plan(inputs)).toEqual([]);
    // Case-only and non-primary order changes need no Clerk call either.
    expect(plan({ ...inputs, emailAddresses: ["ADA@example.com", "a2@example.com"] })).toEqual([]);
    expect(plan({ ...inputs, publicMetadata: { seats: 3, plan: "pro" } })).toEqual([]);
  });

  it("name change: one updateUser with only that field", () => {
    expect(plan({ ...inputs, firstName: "Augusta", lastName: "King" })).toEqual([
      { kind: "updateUser", params: { firstName: "Augusta", lastName: "King" } },
    ]);
    const { firstName, ...noFirst } = inputs;
    void firstName;
    expect(plan(noFirst)).toEqual([{ kind: "updateUser", params: { firstName: null } }]);
  });

  it("metadata with a removed key: replaces only that metadata object", () => {
    expect(plan({ ...inputs, publicMetadata: { plan: "pro" } })).toEqual([
      { kind: "replaceMetadata", params: { publicMetadata: { plan: "pro" } } },
    ]);
  });

  it("private metadata always carries the marker", () => {
    expect(plan({ ...inputs, privateMetadata: {} })).toEqual([
      { kind: "replaceMetadata", params: { privateMetadata: { ...marker } } },
    ]);
    expect(plan({ ...inputs, managedBy: { ...managedBy, name: "renamed" } })).toEqual([
      {
        kind: "replaceMetadata",
        params: { privateMetadata: { stripe: "cus_1", pulumiClerk: { v: 1, ...managedBy, name: "renamed" } } },
      },
    ]);
  });

  it("a marker Clerk holds is kept when the inputs carry no managedBy", () => {
    const { managedBy: _m, ...noManagedBy } = inputs;
    void _m;
    expect(plan({ ...noManagedBy, privateMetadata: { stripe: "cus_2" } })).toEqual([
      { kind: "replaceMetadata", params: { privateMetadata: { stripe: "cus_2", ...marker } } },
    ]);
  });

  it("email change: add the new primary first, delete the old one last", () => {
    expect(plan({ ...inputs, emailAddresses: ["new@example.com", "a2@example.com"] })).toEqual([
      { kind: "addEmail", emailAddress: "new@example.com", primary: true },
      { kind: "deleteEmail", emailAddressId: "idn_email0", emailAddress: "ada@example.com" },
    ]);
  });

  it("promoting an existing email to primary", () => {
    expect(plan({ ...inputs, emailAddresses: ["a2@example.com", "ada@example.com", "a3@example.com"] })).toEqual([
      { kind: "addEmail", emailAddress: "a3@example.com", primary: false },
      { kind: "setPrimaryEmail", emailAddressId: "idn_email1" },
    ]);
  });

  it("phone change: add the new primary, delete the old", () => {
    expect(plan({ ...inputs, phoneNumbers: ["+15555550199"] })).toEqual([
      { kind: "addPhone", phoneNumber: "+15555550199", primary: true },
      { kind: "deletePhone", phoneNumberId: "idn_phone0", phoneNumber: "+15555550100" },
    ]);
    expect(plan({ ...inputs, phoneNumbers: [] })).toEqual([
      { kind: "deletePhone", phoneNumberId: "idn_phone0", phoneNumber: "+15555550100" },
    ]);
  });

  it("username removal: sent as null", () => {
    const { username, ...noUsername } = inputs;
    void username;
    expect(plan(noUsername)).toEqual([{ kind: "updateUser", params: { username: null } }]);
  });

  it("ban and unban; lock and unlock", () => {
    expect(plan({ ...inputs, banned: true })).toEqual([{ kind: "ban" }]);
    expect(plan(inputs, { ...inputs, banned: true })).toEqual([{ kind: "unban" }]);
    expect(plan({ ...inputs, locked: true })).toEqual([{ kind: "lock" }]);
    expect(plan({ ...inputs, banned: false }, { ...inputs, locked: true })).toEqual([]);
    expect(plan({ ...inputs, locked: false }, { ...inputs, locked: true })).toEqual([{ kind: "unlock" }]);
  });

  it("password change: the password, with its flags", () => {
    expect(plan({ ...inputs, password: "another long pw" })).toEqual([
      { kind: "updateUser", params: { password: "another long pw" } },
    ]);
    expect(
      plan({ ...inputs, password: "another long pw", skipPasswordChecks: true, signOutOfOtherSessions: true }),
    ).toEqual([
      {
        kind: "updateUser",
        params: { password: "another long pw", skipPasswordChecks: true, signOutOfOtherSessions: true },
      },
    ]);
    // Flags alone send nothing: they only apply to a password being set.
    expect(plan({ ...inputs, signOutOfOtherSessions: true })).toEqual([]);
  });

  it("keeps the generated password: generatePassword without password sends no password", () => {
    const x: UserInputs = { ...inputs, generatePassword: true };
    delete x.password;
    expect(planUpdate(live(x), state(x, { generatedPassword: "gen-1" }), { ...x, firstName: "B" })).toEqual([
      { kind: "updateUser", params: { firstName: "B" } },
    ]);
    // Dropping a declared password sends nothing either (Clerk keeps the one it has).
    const { password, ...noPassword } = inputs;
    void password;
    expect(plan(noPassword)).toEqual([]);
  });

  it("digest, TOTP, backup codes, dates and settings: only what changed", () => {
    const news: UserInputs = {
      ...inputs,
      password: inputs.password!,
      totpSecret: "JBSWY3DPEHPK3PXP",
      backupCodes: ["c1", "c2"],
      createdAt: "2020-01-01T00:00:00Z",
      legalAcceptedAt: "2024-01-01T00:00:00Z",
      skipLegalChecks: true,
      deleteSelfEnabled: true, // Clerk's value already
      createOrganizationEnabled: false,
      createOrganizationsLimit: 0, // Clerk holds null: the same
      bypassClientTrust: true,
      locale: "fr-FR",
      externalId: "e1",
    };
    expect(plan(news)).toEqual([
      {
        kind: "updateUser",
        params: {
          externalId: "e1",
          locale: "fr-FR",
          totpSecret: "JBSWY3DPEHPK3PXP",
          backupCodes: ["c1", "c2"],
          createdAt: "2020-01-01T00:00:00Z",
          legalAcceptedAt: "2024-01-01T00:00:00Z",
          skipLegalChecks: true,
          createOrganizationEnabled: false,
          bypassClientTrust: true,
        },
      },
    ]);
    const { password: _p, ...rest } = inputs;
    void _p;
    const digest = { ...rest, passwordDigest: "$2a$10$x", passwordHasher: "bcrypt" as const };
    expect(plan({ ...digest, passwordHasher: "argon2id" }, digest)).toEqual([
      { kind: "updateUser", params: { passwordDigest: "$2a$10$x", passwordHasher: "argon2id" } },
    ]);
  });

  it("orders every kind of step: adds, primaries, updateUser, metadata, deletes, ban, lock", () => {
    const news: UserInputs = {
      ...inputs,
      emailAddresses: ["a2@example.com", "n@example.com"],
      phoneNumbers: ["+15555550199"],
      firstName: "B",
      publicMetadata: {},
      banned: true,
      locked: true,
    };
    expect(plan(news).map((s) => s.kind)).toEqual([
      "addEmail",
      "addPhone",
      "setPrimaryEmail",
      "updateUser",
      "replaceMetadata",
      "deleteEmail",
      "deletePhone",
      "ban",
      "lock",
    ]);
  });

  it("adoption (empty previous state) sends the write-only inputs too", () => {
    expect(planUpdate(live(), {} as UserOutputs, inputs)).toEqual([
      { kind: "updateUser", params: { password: "long enough pw" } },
    ]);
  });

  it("property: planning the declared state from the user Clerk holds after create is empty", () => {
    fc.assert(
      fc.property(validInputsArb, fc.boolean(), (x, shuffle) => {
        const user = userFromInputs(x, {
          lowercaseEmails: shuffle,
          reverseNonPrimary: shuffle,
          reverseMetadataKeys: shuffle,
        });
        expect(planUpdate(user, toOutputs(user, x, {}), x)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it("property: after applying a plan's identifier steps, the user holds exactly the declared identifiers", () => {
    fc.assert(
      fc.property(validInputsArb, validInputsArb, (before, after) => {
        const user = userFromInputs(before);
        const steps = planUpdate(user, toOutputs(user, before, {}), after);
        const emails = new Map(user.email_addresses.map((e) => [e.email_address.toLowerCase(), e.id]));
        let primary = user.email_addresses
          .find((e) => e.id === user.primary_email_address_id)
          ?.email_address.toLowerCase();
        for (const s of steps) {
          if (s.kind === "addEmail") {
            emails.set(s.emailAddress.toLowerCase(), `new_${s.emailAddress}`);
            if (s.primary) primary = s.emailAddress.toLowerCase();
          }
          if (s.kind === "setPrimaryEmail") primary = [...emails].find(([, id]) => id === s.emailAddressId)?.[0];
          if (s.kind === "deleteEmail") emails.delete(s.emailAddress.toLowerCase());
        }
        const want = (after.emailAddresses ?? []).map((e) => e.toLowerCase());
        expect([...emails.keys()].sort()).toEqual([...want].sort());
        if (want.length > 0) expect(primary).toBe(want[0]);
        // Adds always come before deletes.
        const kinds = steps.map((s) => s.kind);
        const lastAdd = Math.max(kinds.lastIndexOf("addEmail"), kinds.lastIndexOf("addPhone"));
        const firstDelete = kinds.findIndex((k) => k === "deleteEmail" || k === "deletePhone");
        if (lastAdd >= 0 && firstDelete >= 0) expect(lastAdd).toBeLessThan(firstDelete);
      }),
    );
  });
});
