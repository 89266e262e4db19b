import fc from "fast-check";
import { diffUser } from "../../../src/logic/diffUser";
import { toOutputs } from "../../../src/logic/toOutputs";
import { UNKNOWN } from "../../../src/logic/unknown";
import { USER_INPUT_KEYS, type UserInputs } from "../../../src/model/UserInputs";
import type { UserOutputs } from "../../../src/model/UserOutputs";
import { userFromInputs, validInputsArb } from "./fixtures";

const managedBy = { project: "proj", stack: "dev", name: "ada" };
const inputs: UserInputs = {
  emailAddresses: ["ada@example.com", "a2@example.com", "a3@example.com"],
  phoneNumbers: ["+15555550100", "+15555550101"],
  firstName: "Ada",
  publicMetadata: { plan: "pro", limits: { seats: 3, tags: ["a", "b"] } },
  privateMetadata: { stripe: "cus_1" },
  password: "long enough pw",
  managedBy,
};
/** The state after creating `inputs`. */
const olds = (x: UserInputs = inputs, extras = {}): UserOutputs => toOutputs(userFromInputs(x), x, extras);
const noChange = { changes: false, replaces: [], deleteBeforeReplace: false, detailedChanges: [] };
const changed = (...detailedChanges: string[]) => ({
  changes: true,
  replaces: [],
  deleteBeforeReplace: false,
  detailedChanges,
});

describe("diffUser", () => {
  it("identical inputs: no changes", () => {
    expect(diffUser(olds(), inputs)).toEqual(noChange);
  });

  it("ignores __provider and computed outputs", () => {
    const o = { ...olds(), userId: "user_other", passwordEnabled: false, generatedPassword: "x", __provider: "a" };
    expect(diffUser(o, { ...inputs, __provider: "b" } as UserInputs)).toEqual(noChange);
  });

  it("metadata: deep and key-order-insensitive", () => {
    const reordered = { ...inputs, publicMetadata: { limits: { tags: ["a", "b"], seats: 3 }, plan: "pro" } };
    expect(diffUser(olds(), reordered)).toEqual(noChange);
    const deep = { ...inputs, publicMetadata: { plan: "pro", limits: { seats: 4, tags: ["a", "b"] } } };
    expect(diffUser(olds(), deep)).toEqual(changed("publicMetadata"));
    const arrayOrder = { ...inputs, publicMetadata: { plan: "pro", limits: { seats: 3, tags: ["b", "a"] } } };
    expect(diffUser(olds(), arrayOrder)).toEqual(changed("publicMetadata"));
  });

  it("emails: primary exact, the rest a case-insensitive set", () => {
    expect(
      diffUser(olds(), { ...inputs, emailAddresses: ["ada@example.com", "A3@EXAMPLE.com", "a2@example.com"] }),
    ).toEqual(noChange);
    expect(
      diffUser(olds(), { ...inputs, emailAddresses: ["Ada@example.com", "a2@example.com", "a3@example.com"] }),
    ).toEqual(changed("emailAddresses"));
    expect(
      diffUser(olds(), { ...inputs, emailAddresses: ["a2@example.com", "ada@example.com", "a3@example.com"] }),
    ).toEqual(changed("emailAddresses"));
    expect(diffUser(olds(), { ...inputs, emailAddresses: ["ada@example.com", "a2@example.com"] })).toEqual(
      changed("emailAddresses"),
    );
  });

  it("emails and phones change in place (no replace)", () => {
    const d = diffUser(olds(), { ...inputs, emailAddresses: ["new@example.com"], phoneNumbers: ["+15555550199"] });
    expect(d).toEqual(changed("emailAddresses", "phoneNumbers"));
  });

  it("phones: primary plus set", () => {
    expect(diffUser(olds(), { ...inputs, phoneNumbers: ["+15555550100", "+15555550101"].reverse() })).toEqual(
      changed("phoneNumbers"),
    );
  });

  it("web3 wallets replace, deleting first; case-insensitive", () => {
    const w = "0x52908400098527886E0F7030069857D2E4169EE7";
    const x = { ...inputs, web3Wallets: [w] };
    expect(diffUser(olds(x), { ...x, web3Wallets: [w.toLowerCase()] })).toEqual(noChange);
    expect(diffUser(olds(x), { ...x, web3Wallets: ["0x" + "1".repeat(40)] })).toEqual({
      changes: true,
      replaces: ["web3Wallets"],
      deleteBeforeReplace: true,
      detailedChanges: ["web3Wallets"],
    });
  });

  it("removing a name, username, externalId, locale or metadata from the program clears it", () => {
    const x = {
      ...inputs,
      username: "ada",
      lastName: "L",
      externalId: "e1",
      locale: "fr-FR",
      unsafeMetadata: { a: 1 },
    };
    const { username, lastName, externalId, locale, unsafeMetadata, publicMetadata, ...rest } = x;
    void [username, lastName, externalId, locale, unsafeMetadata, publicMetadata];
    expect(diffUser(olds(x), rest)).toEqual(
      // unsafeMetadata is managed only when declared (the frontend writes it too): dropping it leaves it alone.
      changed("externalId", "lastName", "locale", "publicMetadata", "username"),
    );
  });

  it('absent, null and "" strings are the same; absent metadata equals {}', () => {
    expect(diffUser(olds({ ...inputs, lastName: "" }), inputs)).toEqual(noChange);
    expect(diffUser(olds(), { ...inputs, lastName: "" })).toEqual(noChange);
    expect(diffUser(olds(), { ...inputs, unsafeMetadata: {} })).toEqual(noChange);
  });

  it("privateMetadata compares without the marker", () => {
    const o = { ...olds(), privateMetadata: { stripe: "cus_1", pulumiClerk: { v: 1 } } } as UserOutputs;
    expect(diffUser(o, inputs)).toEqual(noChange);
    expect(diffUser(olds(), { ...inputs, privateMetadata: { stripe: "cus_2" } })).toEqual(changed("privateMetadata"));
  });

  it("write-only fields compare with their previous values", () => {
    expect(diffUser(olds(), { ...inputs, password: "another long pw" })).toEqual(changed("password"));
    const { password, ...noPassword } = inputs;
    void password;
    expect(diffUser(olds(), noPassword)).toEqual(changed("password"));
    expect(diffUser(olds(noPassword), noPassword)).toEqual(noChange);
    expect(diffUser(olds(), { ...inputs, totpSecret: "JBSWY3DPEHPK3PXP" })).toEqual(changed("totpSecret"));
    const codes = { ...inputs, backupCodes: ["a", "b"] };
    expect(diffUser(olds(codes), { ...codes, backupCodes: ["b", "a"] })).toEqual(noChange);
    expect(diffUser(olds(codes), { ...codes, backupCodes: ["b", "c"] })).toEqual(changed("backupCodes"));
    expect(diffUser(olds(), { ...inputs, skipPasswordChecks: true })).toEqual(changed("skipPasswordChecks"));
    expect(diffUser(olds(), { ...inputs, skipPasswordChecks: false })).toEqual(noChange);
  });

  it("generatePassword flipping on is a change; the generated password itself is never compared", () => {
    const x = { ...inputs, generatePassword: true };
    delete x.password;
    expect(diffUser(olds(), x)).toEqual(changed("generatePassword", "password"));
    expect(diffUser(olds(x, { generatedPassword: "gen" }), x)).toEqual(noChange);
  });

  it("banned absent means false; locked is managed only when declared", () => {
    expect(diffUser(olds(), { ...inputs, banned: false, locked: false })).toEqual(noChange);
    expect(diffUser(olds(), { ...inputs, banned: true })).toEqual(changed("banned"));
    // Clerk's own lockout after failed sign-ins must not be undone by a program that never mentions it.
    expect(diffUser(olds({ ...inputs, locked: true }), inputs)).toEqual(noChange);
    expect(diffUser(olds({ ...inputs, locked: true }), { ...inputs, locked: false })).toEqual(changed("locked"));
  });

  it("createdAt only when set, as instants", () => {
    const x = { ...inputs, createdAt: "2020-01-01T00:00:00Z" };
    const o = olds(x);
    expect(o.createdAt).toBe("2020-01-01T00:00:00.000Z");
    expect(diffUser(o, x)).toEqual(noChange);
    expect(diffUser(o, { ...x, createdAt: "2020-01-01T01:00:00+01:00" })).toEqual(noChange);
    expect(diffUser(o, inputs)).toEqual(noChange);
    expect(diffUser(o, { ...x, createdAt: "2020-01-01T00:00:01Z" })).toEqual(changed("createdAt"));
  });

  it("instance-defaulted settings are compared only when set", () => {
    const o = olds(); // Clerk's defaults: deleteSelfEnabled true, createOrganizationEnabled true
    expect(o.deleteSelfEnabled).toBe(true);
    expect(diffUser(o, { ...inputs, deleteSelfEnabled: true })).toEqual(noChange);
    expect(diffUser(o, { ...inputs, deleteSelfEnabled: false })).toEqual(changed("deleteSelfEnabled"));
    expect(diffUser(o, { ...inputs, createOrganizationsLimit: 0 })).toEqual(noChange);
    expect(diffUser(o, { ...inputs, createOrganizationsLimit: 2 })).toEqual(changed("createOrganizationsLimit"));
  });

  it("managedBy changes are an update, not a replace", () => {
    expect(diffUser(olds(), { ...inputs, managedBy: { ...managedBy, name: "renamed" } })).toEqual(changed("managedBy"));
  });

  it("an unknown value counts as changed; an unknown wallet may replace", () => {
    expect(diffUser(olds(), { ...inputs, firstName: UNKNOWN })).toEqual(changed("firstName"));
    expect(diffUser(olds(), { ...inputs, emailAddresses: ["ada@example.com", UNKNOWN] } as UserInputs)).toEqual(
      changed("emailAddresses"),
    );
    expect(diffUser(olds(), { ...inputs, publicMetadata: { plan: UNKNOWN } })).toEqual(changed("publicMetadata"));
    expect(diffUser(olds(), { ...inputs, web3Wallets: UNKNOWN } as unknown as UserInputs)).toEqual({
      changes: true,
      replaces: ["web3Wallets"],
      deleteBeforeReplace: true,
      detailedChanges: ["web3Wallets"],
    });
  });

  it("property: diff(toOutputs(create(x)), x) reports no changes", () => {
    fc.assert(
      fc.property(validInputsArb, fc.boolean(), fc.boolean(), (x, lowercase, reverse) => {
        const user = userFromInputs(x, {
          lowercaseEmails: lowercase,
          reverseNonPrimary: reverse,
          reverseMetadataKeys: reverse,
        });
        expect(diffUser(toOutputs(user, x, {}), x)).toEqual(noChange);
      }),
      { numRuns: 300 },
    );
  });

  it("property: never throws on arbitrary (even malformed) news", () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.oneof(fc.constantFrom(...USER_INPUT_KEYS), fc.string()),
          fc.anything({ values: [fc.constant(UNKNOWN), fc.string(), fc.integer(), fc.constant(null)] }),
        ),
        (news) => {
          expect(() => diffUser(olds(), news as UserInputs)).not.toThrow();
          expect(() => diffUser(news as unknown as UserOutputs, inputs)).not.toThrow();
        },
      ),
      { numRuns: 500 },
    );
  });
});
