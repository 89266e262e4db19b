import { toCreateParams } from "../../../src/logic/toCreateParams";
import type { UserInputs } from "../../../src/model/UserInputs";

const full: UserInputs = {
  emailAddresses: ["ada@example.com", "a2@example.com"],
  phoneNumbers: ["+15555550100"],
  web3Wallets: ["0x52908400098527886E0F7030069857D2E4169EE7"],
  username: "ada",
  firstName: "Ada",
  lastName: "Lovelace",
  externalId: "ext-1",
  locale: "en-GB",
  password: "correct horse battery",
  skipPasswordChecks: true,
  skipPasswordRequirement: false,
  signOutOfOtherSessions: true,
  totpSecret: "JBSWY3DPEHPK3PXP",
  backupCodes: ["aaaa1111", "bbbb2222"],
  publicMetadata: { plan: "pro", nested: { someKey: 1 } },
  privateMetadata: { stripe: "cus_1" },
  unsafeMetadata: { theme: "dark" },
  createdAt: "2012-10-20T07:15:20.902Z",
  legalAcceptedAt: "2024-02-29T23:59:59+05:30",
  skipLegalChecks: true,
  banned: false,
  locked: true,
  deleteSelfEnabled: false,
  createOrganizationEnabled: true,
  createOrganizationsLimit: 0,
  bypassClientTrust: false,
  adopt: true,
  generatePassword: false,
  managedBy: { project: "proj", stack: "dev", name: "ada" },
};

describe("toCreateParams", () => {
  it("maps a full input to the exact createUser params", () => {
    expect(toCreateParams(full, {})).toStrictEqual({
      emailAddress: ["ada@example.com", "a2@example.com"],
      phoneNumber: ["+15555550100"],
      web3Wallet: ["0x52908400098527886E0F7030069857D2E4169EE7"],
      username: "ada",
      password: "correct horse battery",
      firstName: "Ada",
      lastName: "Lovelace",
      externalId: "ext-1",
      locale: "en-GB",
      skipPasswordChecks: true,
      skipPasswordRequirement: false,
      skipLegalChecks: true,
      legalAcceptedAt: "2024-02-29T23:59:59+05:30",
      totpSecret: "JBSWY3DPEHPK3PXP",
      backupCodes: ["aaaa1111", "bbbb2222"],
      createdAt: "2012-10-20T07:15:20.902Z",
      banned: false,
      locked: true,
      deleteSelfEnabled: false,
      createOrganizationEnabled: true,
      createOrganizationsLimit: 0,
      bypassClientTrust: false,
      publicMetadata: { plan: "pro", nested: { someKey: 1 } },
      privateMetadata: { stripe: "cus_1", pulumiClerk: { v: 1, project: "proj", stack: "dev", name: "ada" } },
      unsafeMetadata: { theme: "dark" },
    });
  });

  it("omits absent fields entirely and sends the marker even without declared private metadata", () => {
    const params = toCreateParams(
      { emailAddresses: ["a@b.io"], managedBy: { project: "p", stack: "s", name: "n" } },
      {},
    );
    expect(params).toStrictEqual({
      emailAddress: ["a@b.io"],
      privateMetadata: { pulumiClerk: { v: 1, project: "p", stack: "s", name: "n" } },
    });
    expect(Object.values(params)).not.toContain(undefined);
  });

  it("sends nothing private when there is neither metadata nor managedBy", () => {
    expect(toCreateParams({ username: "ada" }, {})).toStrictEqual({ username: "ada" });
  });

  it("sends the generated password as password, never generatePassword", () => {
    expect(toCreateParams({ username: "ada", generatePassword: true }, { generatedPassword: "gen-123" })).toStrictEqual(
      {
        username: "ada",
        password: "gen-123",
      },
    );
  });

  it("passes metadata contents verbatim and copies lists (no aliasing of the inputs)", () => {
    const params = toCreateParams(full, {});
    expect(params["emailAddress"]).not.toBe(full.emailAddresses);
    expect((params["publicMetadata"] as Record<string, unknown>)["nested"]).toEqual({ someKey: 1 });
  });
});

describe("a field added through the table alone: skipUserRequirement (spec POST /users skip_user_requirement)", () => {
  it("is sent on create under its own name, only when set", () => {
    const base: UserInputs = { emailAddresses: ["ada@example.com"] };
    expect(toCreateParams({ ...base, skipUserRequirement: true })).toEqual({
      emailAddress: ["ada@example.com"],
      skipUserRequirement: true,
    });
    expect(toCreateParams(base)).toEqual({ emailAddress: ["ada@example.com"] });
  });
});
