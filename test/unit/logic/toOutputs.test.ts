import fc from "fast-check";
import { toOutputs, toReadInputs } from "../../../src/logic/toOutputs";
import type { UserInputs } from "../../../src/model/UserInputs";
import { clerkUser, emailJSON, phoneJSON, T0, userFromInputs, validInputsArb } from "./fixtures";

const managedBy = { project: "proj", stack: "dev", name: "ada" };

/** Drops keys whose value is undefined, to compare with mapping results (which never hold undefined). */
function defined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

function hasUndefinedDeep(v: unknown): boolean {
  if (v === undefined) return true;
  if (typeof v !== "object" || v === null) return false;
  return Object.values(v).some(hasUndefinedDeep);
}

describe("toOutputs", () => {
  it("maps a user: identifiers primary first, marker stripped, ISO dates, computed fields, write-only copied", () => {
    const user = clerkUser({
      id: "user_1",
      email_addresses: [emailJSON("idn_b", "b@example.com"), emailJSON("idn_a", "a@example.com")],
      primary_email_address_id: "idn_a",
      phone_numbers: [phoneJSON("idn_p", "+15555550100")],
      primary_phone_number_id: "idn_p",
      first_name: "Ada",
      last_name: null,
      private_metadata: { stripe: "cus_1", pulumiClerk: { v: 1, ...managedBy } },
      public_metadata: {},
      legal_accepted_at: Date.UTC(2024, 1, 29),
      password_enabled: true,
    });
    const inputs: UserInputs = {
      emailAddresses: ["a@example.com", "b@example.com"],
      phoneNumbers: ["+15555550100"],
      firstName: "Ada",
      privateMetadata: { stripe: "cus_1" },
      password: "long enough pw",
      skipPasswordChecks: true,
      managedBy,
    };
    expect(toOutputs(user, inputs, { generatedPassword: "gen" })).toStrictEqual({
      emailAddresses: ["a@example.com", "b@example.com"],
      phoneNumbers: ["+15555550100"],
      firstName: "Ada",
      privateMetadata: { stripe: "cus_1" },
      deleteSelfEnabled: true,
      createOrganizationEnabled: true,
      bypassClientTrust: false,
      legalAcceptedAt: "2024-02-29T00:00:00.000Z",
      password: "long enough pw",
      skipPasswordChecks: true,
      managedBy,
      generatedPassword: "gen",
      userId: "user_1",
      primaryEmailAddressId: "idn_a",
      primaryPhoneNumberId: "idn_p",
      primaryWeb3WalletId: null,
      createdAt: new Date(T0).toISOString(),
      passwordEnabled: true,
      totpEnabled: false,
      backupCodeEnabled: false,
      twoFactorEnabled: false,
      banned: false,
      locked: false,
    });
  });

  describe("null handling", () => {
    it('declared "" stays "" when Clerk holds null; not declared and null is omitted', () => {
      const out = toOutputs(clerkUser(), { username: "ada", lastName: "" }, {}) as unknown as Record<string, unknown>;
      expect(out["lastName"]).toBe("");
      expect("firstName" in out).toBe(false);
      expect("username" in out).toBe(false); // declared but Clerk holds none: drift, shown as absent
    });

    it("a field missing from Clerk's payload carries the declared value", () => {
      const user = clerkUser();
      delete user.locale;
      delete user.unsafe_metadata;
      delete user.create_organizations_limit;
      const out = toOutputs(
        user,
        { username: "a", locale: "fr-FR", unsafeMetadata: { a: 1 }, createOrganizationsLimit: 3 },
        {},
      );
      expect([out.locale, out.unsafeMetadata, out.createOrganizationsLimit]).toEqual(["fr-FR", { a: 1 }, 3]);
    });

    it("createOrganizationsLimit null reads as a declared 0, else is omitted", () => {
      expect(toOutputs(clerkUser(), { username: "a", createOrganizationsLimit: 0 }, {}).createOrganizationsLimit).toBe(
        0,
      );
      expect("createOrganizationsLimit" in toOutputs(clerkUser(), { username: "a" }, {})).toBe(false);
    });

    it("empty metadata is omitted unless declared", () => {
      const out = toOutputs(clerkUser(), { username: "a", unsafeMetadata: {} }, {});
      expect(out.unsafeMetadata).toEqual({});
      expect("publicMetadata" in out).toBe(false);
      expect("privateMetadata" in out).toBe(false);
    });
  });

  it("property: never holds undefined, anywhere", () => {
    fc.assert(
      fc.property(validInputsArb, (x) => {
        expect(hasUndefinedDeep(toOutputs(userFromInputs(x), x, {}))).toBe(false);
        expect(hasUndefinedDeep(toReadInputs(userFromInputs(x), x))).toBe(false);
      }),
    );
  });

  it("property: stable under Clerk's order of non-primary identifiers, metadata key order and email case", () => {
    fc.assert(
      fc.property(validInputsArb, (x) => {
        const plain = toOutputs(userFromInputs(x), x, {});
        const shuffled = toOutputs(
          userFromInputs(x, { reverseNonPrimary: true, reverseMetadataKeys: true, lowercaseEmails: true }),
          x,
          {},
        );
        expect(shuffled).toStrictEqual(plain);
        expect(JSON.stringify(shuffled)).toBe(JSON.stringify(plain));
      }),
    );
  });
});

describe("toReadInputs", () => {
  const previous: UserInputs = {
    emailAddresses: ["Ada@Example.com", "a2@example.com", "a3@example.com"],
    firstName: "Ada",
    publicMetadata: { plan: "pro", seats: 3 },
    createdAt: "2020-01-01T01:00:00+01:00",
    deleteSelfEnabled: false,
    password: "long enough pw",
    managedBy,
  };

  it("with no out-of-band change, reproduces the previous inputs exactly", () => {
    const user = userFromInputs(previous, {
      lowercaseEmails: true,
      reverseNonPrimary: true,
      reverseMetadataKeys: true,
    });
    expect(toReadInputs(user, previous)).toStrictEqual(previous);
  });

  it("shows drift: a name changed, a metadata key added, an email removed, a ban", () => {
    const user = userFromInputs(previous);
    user.first_name = "Augusta";
    user.public_metadata = { plan: "pro", seats: 3, extra: true };
    user.email_addresses = user.email_addresses.filter((e) => e.email_address !== "a3@example.com");
    user.banned = true;
    expect(toReadInputs(user, previous)).toStrictEqual({
      ...previous,
      firstName: "Augusta",
      publicMetadata: { plan: "pro", seats: 3, extra: true },
      emailAddresses: ["Ada@Example.com", "a2@example.com"],
      banned: true,
    });
  });

  it("shows values set out of band on fields the program did not declare", () => {
    const user = userFromInputs(previous);
    user.last_name = "Lovelace";
    user.unsafe_metadata = { theme: "dark" };
    user.phone_numbers = [phoneJSON("idn_p", "+15555550100")];
    user.primary_phone_number_id = "idn_p";
    user.create_organization_enabled = false; // managed only when declared: not shown
    const read = toReadInputs(user, previous);
    expect(read.lastName).toBe("Lovelace");
    // unsafeMetadata is the frontend's unless declared: not drift.
    expect(read.unsafeMetadata).toBeUndefined();
    expect(read.phoneNumbers).toEqual(["+15555550100"]);
    expect("createOrganizationEnabled" in read).toBe(false);
  });

  it("a cleared name disappears; a changed primary comes first", () => {
    const user = userFromInputs(previous);
    user.first_name = null;
    user.primary_email_address_id = "idn_email2";
    const read = toReadInputs(user, previous);
    expect("firstName" in read).toBe(false);
    expect(read.emailAddresses).toEqual(["a3@example.com", "Ada@Example.com", "a2@example.com"]);
  });

  it("timestamps keep the previous spelling for the same instant, else Clerk's ISO", () => {
    const user = userFromInputs(previous);
    expect(toReadInputs(user, previous).createdAt).toBe("2020-01-01T01:00:00+01:00");
    user.created_at = Date.UTC(2019, 0, 1);
    expect(toReadInputs(user, previous).createdAt).toBe("2019-01-01T00:00:00.000Z");
  });

  it("property: read of the user Clerk holds after create(x) gives back x", () => {
    fc.assert(
      fc.property(validInputsArb, fc.boolean(), (x, shuffle) => {
        const user = userFromInputs(x, {
          reverseNonPrimary: shuffle,
          reverseMetadataKeys: shuffle,
          lowercaseEmails: shuffle,
        });
        expect(toReadInputs(user, x)).toStrictEqual(defined(x as Record<string, unknown>));
      }),
      { numRuns: 300 },
    );
  });

  it("property: outputs → inputs → read is a fixed point (refresh after refresh shows nothing)", () => {
    fc.assert(
      fc.property(validInputsArb, (x) => {
        const user = userFromInputs(x);
        const once = toReadInputs(user, x);
        const outs = toOutputs(user, once, {});
        expect(toReadInputs(user, once)).toStrictEqual(once);
        expect(toOutputs(user, toReadInputs(user, once), {})).toStrictEqual(outs);
      }),
    );
  });
});
