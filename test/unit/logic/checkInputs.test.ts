import fc from "fast-check";
import { checkInputs } from "../../../src/logic/checkInputs";
import { UNKNOWN } from "../../../src/logic/unknown";
import { USER_INPUT_KEYS } from "../../../src/model/UserInputs";
import { validInputsArb } from "./fixtures";

const base = { emailAddresses: ["ada@example.com"] };
const check = (news: Record<string, unknown>) => checkInputs({}, news);
/** Failures as "property: reason" strings, for exact assertions. */
const failuresOf = (news: Record<string, unknown>) => check(news).failures;

describe("checkInputs: valid inputs", () => {
  it("accepts a full valid input with no failures and returns it unchanged", () => {
    const news = {
      __provider: "exports.handler = ...",
      emailAddresses: ["Ada@Example.com", "ada2@example.com"],
      phoneNumbers: ["+15555550100"],
      web3Wallets: ["0x52908400098527886E0F7030069857D2E4169EE7"],
      username: "ada_l",
      firstName: " Ada ",
      lastName: "Lovelace",
      externalId: "ext-1",
      locale: "en-GB",
      password: "correct horse battery",
      skipPasswordChecks: false,
      signOutOfOtherSessions: true,
      totpSecret: "JBSWY3DPEHPK3PXP",
      backupCodes: ["aaaa1111", "bbbb2222"],
      publicMetadata: { plan: "pro", nested: { list: [1, 2.5, null, true, "x"] } },
      privateMetadata: { stripeId: "cus_1" },
      unsafeMetadata: {},
      createdAt: "2012-10-20T07:15:20.902Z",
      legalAcceptedAt: "2024-02-29T23:59:59+05:30",
      skipLegalChecks: true,
      banned: false,
      locked: false,
      deleteSelfEnabled: true,
      createOrganizationEnabled: false,
      createOrganizationsLimit: 0,
      bypassClientTrust: false,
      adopt: true,
      managedBy: { project: "p", stack: "dev", name: "ada" },
    };
    const result = check(news);
    expect(result.failures).toEqual([]);
    expect(result.inputs).toEqual(news);
    expect(result.inputs["__provider"]).toBe(news.__provider);
    expect(result.inputs["emailAddresses"]).toEqual(["Ada@Example.com", "ada2@example.com"]);
  });

  it("drops undefined and null scalars (the host cannot encode undefined; null means unset)", () => {
    const result = check({ ...base, firstName: undefined, lastName: null, banned: null });
    expect(result.failures).toEqual([]);
    expect(result.inputs).toEqual(base);
    expect(Object.keys(result.inputs)).toEqual(["emailAddresses"]);
  });

  it("accepts a password digest with its hasher, and a short password with skipPasswordChecks", () => {
    expect(failuresOf({ ...base, passwordDigest: "$2a$10$abc", passwordHasher: "bcrypt" })).toEqual([]);
    expect(failuresOf({ ...base, password: "short", skipPasswordChecks: true })).toEqual([]);
    expect(failuresOf({ ...base, generatePassword: true })).toEqual([]);
  });

  it("accepts any identifier kind alone", () => {
    expect(failuresOf({ phoneNumbers: ["+4915112345678"] })).toEqual([]);
    expect(failuresOf({ web3Wallets: ["0x" + "a".repeat(40)] })).toEqual([]);
    expect(failuresOf({ username: "ada" })).toEqual([]);
  });

  it("property: arbitrary valid inputs pass with no failures", () => {
    fc.assert(
      fc.property(validInputsArb, (x) => {
        expect(check(x as Record<string, unknown>).failures).toEqual([]);
      }),
    );
  });
});

describe("checkInputs: failures (exact property and reason)", () => {
  const cases: [string, Record<string, unknown>, { property: string; reason: string }[]][] = [
    [
      "unknown property with a close name",
      { ...base, emailAdresses: ["x@y.io"] },
      [
        {
          property: "emailAdresses",
          reason: '"emailAdresses" is not a ClerkUser input; did you mean "emailAddresses"?',
        },
      ],
    ],
    [
      "snake_case property",
      { ...base, first_name: "Ada" },
      [{ property: "first_name", reason: '"first_name" is not a ClerkUser input; did you mean "firstName"?' }],
    ],
    [
      "singular prefix",
      { phone: ["+15555550100"], ...base },
      [{ property: "phone", reason: '"phone" is not a ClerkUser input; did you mean "phoneNumbers"?' }],
    ],
    [
      "unknown property with no close name",
      { ...base, zzz: 1 },
      [{ property: "zzz", reason: '"zzz" is not a ClerkUser input' }],
    ],
    [
      "list of the wrong type",
      { emailAddresses: "ada@example.com", username: "ada" },
      [{ property: "emailAddresses", reason: "must be a list of strings, got a string" }],
    ],
    [
      "list element of the wrong type",
      { emailAddresses: ["ada@example.com", 42] },
      [{ property: "emailAddresses[1]", reason: "must be a string, got a number" }],
    ],
    [
      "string of the wrong type",
      { ...base, firstName: 7 },
      [{ property: "firstName", reason: "must be a string, got a number" }],
    ],
    [
      "boolean of the wrong type",
      { ...base, banned: "yes" },
      [{ property: "banned", reason: "must be a boolean, got a string" }],
    ],
    [
      "malformed email",
      { emailAddresses: ["ada@example.com", "not-an-email"] },
      [{ property: "emailAddresses[1]", reason: "is not a valid email address" }],
    ],
    [
      "email without a dotted domain",
      { emailAddresses: ["ada@localhost"] },
      [{ property: "emailAddresses[0]", reason: "is not a valid email address" }],
    ],
    [
      "phone not in E.164",
      { ...base, phoneNumbers: ["555-0100"] },
      [
        {
          property: "phoneNumbers[0]",
          reason: "is not an E.164 phone number (+ then up to 15 digits, e.g. +15555550100)",
        },
      ],
    ],
    [
      "phone starting +0",
      { ...base, phoneNumbers: ["+0123456"] },
      [{ property: "phoneNumbers[0]", reason: expect.stringContaining("is not an E.164 phone number") }],
    ],
    [
      "phone too long",
      { ...base, phoneNumbers: ["+1234567890123456"] },
      [{ property: "phoneNumbers[0]", reason: expect.stringContaining("is not an E.164 phone number") }],
    ],
    [
      "malformed web3 wallet",
      { ...base, web3Wallets: ["0x123"] },
      [{ property: "web3Wallets[0]", reason: "is not a web3 wallet address (0x then 40 hex digits)" }],
    ],
    [
      "duplicate email, case-insensitively",
      { emailAddresses: ["ada@example.com", "b@example.com", "ADA@example.com"] },
      [
        {
          property: "emailAddresses[2]",
          reason: "duplicates emailAddresses[0] (compared case-insensitively)",
        },
      ],
    ],
    [
      "duplicate phone",
      { ...base, phoneNumbers: ["+15555550100", "+15555550100"] },
      [{ property: "phoneNumbers[1]", reason: "duplicates phoneNumbers[0]" }],
    ],
    [
      "duplicate wallet in another case",
      { ...base, web3Wallets: ["0x" + "a".repeat(40), "0x" + "A".repeat(40)] },
      [{ property: "web3Wallets[1]", reason: expect.stringContaining("duplicates web3Wallets[0]") }],
    ],
    [
      "no identifier at all",
      { firstName: "Ada" },
      [
        {
          property: "emailAddresses",
          reason: "a user needs at least one identifier: set emailAddresses, phoneNumbers, web3Wallets or username",
        },
      ],
    ],
    [
      "only empty identifier lists",
      { emailAddresses: [], phoneNumbers: [] },
      [{ property: "emailAddresses", reason: expect.stringContaining("at least one identifier") }],
    ],
    [
      "metadata that is an array",
      { ...base, publicMetadata: [1, 2] },
      [{ property: "publicMetadata", reason: "must be a JSON object ({...}), got a list" }],
    ],
    [
      "metadata that is null",
      { ...base, unsafeMetadata: null },
      [{ property: "unsafeMetadata", reason: "must be a JSON object ({...}), got null" }],
    ],
    [
      "metadata that is a string",
      { ...base, publicMetadata: "{}" },
      [{ property: "publicMetadata", reason: "must be a JSON object ({...}), got a string" }],
    ],
    [
      "metadata holding a non-finite number",
      { ...base, publicMetadata: { score: { max: Infinity }, list: [NaN] } },
      [
        { property: "publicMetadata.score.max", reason: "must be a finite number: JSON has no NaN or Infinity" },
        { property: "publicMetadata.list[0]", reason: "must be a finite number: JSON has no NaN or Infinity" },
      ],
    ],
    [
      "metadata holding undefined, a Date and a function",
      { ...base, publicMetadata: { "a b": undefined, when: new Date(0), f: () => 1 } },
      [
        { property: 'publicMetadata["a b"]', reason: "is undefined, which JSON cannot hold: omit the key or use null" },
        { property: "publicMetadata.when", reason: "is a Date, not a JSON value" },
        { property: "publicMetadata.f", reason: "is a function, not a JSON value" },
      ],
    ],
    [
      "privateMetadata using the reserved marker key",
      { ...base, privateMetadata: { pulumiClerk: { v: 1 } } },
      [
        {
          property: "privateMetadata.pulumiClerk",
          reason: '"pulumiClerk" is reserved: the provider stores its managed-by marker under it',
        },
      ],
    ],
    [
      "passwordDigest without passwordHasher",
      { ...base, passwordDigest: "$2a$10$abc" },
      [
        {
          property: "passwordHasher",
          reason: "is required when passwordDigest is set: it names the algorithm of the digest",
        },
      ],
    ],
    [
      "passwordHasher without passwordDigest",
      { ...base, passwordHasher: "bcrypt" },
      [
        {
          property: "passwordHasher",
          reason: "is only meaningful with passwordDigest; set passwordDigest or remove passwordHasher",
        },
      ],
    ],
    [
      "unsupported passwordHasher",
      { ...base, passwordDigest: "x", passwordHasher: "rot13" },
      [
        {
          property: "passwordHasher",
          reason: expect.stringMatching(/^is not a hasher Clerk supports \(one of: argon2i, /),
        },
      ],
    ],
    [
      "password together with passwordDigest",
      { ...base, password: "long enough pw", passwordDigest: "x", passwordHasher: "bcrypt" },
      [
        {
          property: "passwordDigest",
          reason: "conflicts with password: set either a plaintext password or a digest, not both",
        },
      ],
    ],
    [
      "generatePassword together with password",
      { ...base, generatePassword: true, password: "long enough pw" },
      [{ property: "generatePassword", reason: "conflicts with password: generate one or set one, not both" }],
    ],
    [
      "generatePassword together with passwordDigest",
      { ...base, generatePassword: true, passwordDigest: "x", passwordHasher: "bcrypt" },
      [
        {
          property: "generatePassword",
          reason: "conflicts with passwordDigest: generate a password or import a digest, not both",
        },
      ],
    ],
    [
      "password shorter than 8",
      { ...base, password: "seven77" },
      [
        {
          property: "password",
          reason: "must be at least 8 characters (Clerk's minimum) unless skipPasswordChecks is true",
        },
      ],
    ],
    [
      "createdAt not RFC 3339",
      { ...base, createdAt: "2012-10-20" },
      [
        {
          property: "createdAt",
          reason: "must be an RFC 3339 timestamp such as 2012-10-20T07:15:20.902Z",
        },
      ],
    ],
    [
      "legalAcceptedAt on an impossible date",
      { ...base, legalAcceptedAt: "2023-02-29T00:00:00Z" },
      [{ property: "legalAcceptedAt", reason: expect.stringContaining("must be an RFC 3339 timestamp") }],
    ],
    [
      "createOrganizationsLimit negative",
      { ...base, createOrganizationsLimit: -1 },
      [
        {
          property: "createOrganizationsLimit",
          reason: "must be a non-negative integer (0 means unlimited), got a negative number",
        },
      ],
    ],
    [
      "createOrganizationsLimit fractional",
      { ...base, createOrganizationsLimit: 1.5 },
      [
        {
          property: "createOrganizationsLimit",
          reason: "must be a non-negative integer (0 means unlimited), got a fraction",
        },
      ],
    ],
    [
      "createOrganizationsLimit a string",
      { ...base, createOrganizationsLimit: "3" },
      [
        {
          property: "createOrganizationsLimit",
          reason: "must be a non-negative integer (0 means unlimited), got a string",
        },
      ],
    ],
    [
      "empty username (and then no identifier)",
      { username: "" },
      [
        { property: "username", reason: "must not be empty; omit it to have no username" },
        { property: "emailAddresses", reason: expect.stringContaining("at least one identifier") },
      ],
    ],
    [
      "username with whitespace",
      { username: "ada lovelace" },
      [{ property: "username", reason: "must not contain whitespace" }],
    ],
    [
      "backupCodes not a list",
      { ...base, backupCodes: "abc" },
      [{ property: "backupCodes", reason: "must be a list of strings, got a string" }],
    ],
    [
      "backupCodes with a non-string",
      { ...base, backupCodes: ["abc", 1] },
      [{ property: "backupCodes[1]", reason: "must be a string, got a number" }],
    ],
    [
      "managedBy not an object",
      { ...base, managedBy: "me" },
      [{ property: "managedBy", reason: "must be an object {project, stack, name}, got a string" }],
    ],
    [
      "managedBy with an empty field and an extra key",
      { ...base, managedBy: { project: "p", stack: "", name: "n", extra: 1 } },
      [
        { property: "managedBy.stack", reason: "must be a non-empty string" },
        { property: "managedBy.extra", reason: "is not a managedBy field" },
      ],
    ],
  ];

  it.each(cases)("%s", (_name, news, expected) => {
    expect(failuresOf(news)).toEqual(expected);
  });

  it("reports every problem at once", () => {
    const failures = failuresOf({ emailAddresses: ["bad"], firstName: 1, banned: "no", zzz: true });
    expect(failures.map((f) => f.property)).toEqual(["zzz", "emailAddresses[0]", "firstName", "banned"]);
  });

  it("metadata size counts UTF-8 bytes: 8192 passes, 8193 fails", () => {
    // {"s":"..."} is 8 bytes of framing
    expect(failuresOf({ ...base, publicMetadata: { s: "a".repeat(8184) } })).toEqual([]);
    expect(failuresOf({ ...base, publicMetadata: { s: "a".repeat(8185) } })).toEqual([
      {
        property: "publicMetadata",
        reason: "is 8193 bytes as JSON; Clerk allows at most 8192 bytes per metadata field",
      },
    ]);
    expect(failuresOf({ ...base, publicMetadata: { s: "é".repeat(4093) } })[0]?.reason).toBe(
      "is 8194 bytes as JSON; Clerk allows at most 8192 bytes per metadata field",
    );
  });

  it("never echoes secret values", () => {
    const secret = "s3cr3t-VALUE";
    const failures = failuresOf({
      ...base,
      password: secret.slice(0, 5),
      passwordDigest: secret,
      passwordHasher: "bcrypt",
      totpSecret: 12345,
      backupCodes: [secret, 99],
      privateMetadata: { token: secret, bad: NaN, pulumiClerk: secret },
    });
    expect(failures.length).toBeGreaterThan(0);
    const text = JSON.stringify(failures);
    expect(text).not.toContain(secret);
    expect(text).not.toContain(secret.slice(0, 5));
    expect(text).not.toContain("12345");
  });

  it("never throws on inputs that are not objects at all", () => {
    expect(() => checkInputs({}, null as unknown as Record<string, unknown>)).not.toThrow();
    expect(checkInputs({}, [] as unknown as Record<string, unknown>).failures[0]?.property).toBe("emailAddresses");
  });

  it("reports a circular metadata value instead of overflowing", () => {
    const loop: Record<string, unknown> = { a: 1 };
    loop["self"] = loop;
    expect(failuresOf({ ...base, publicMetadata: loop })).toEqual([
      { property: "publicMetadata.self", reason: "is circular, which JSON cannot hold" },
    ]);
  });
});

describe("checkInputs: Pulumi's unknown sentinel (preview)", () => {
  it("skips checks needing an unknown value, wherever it is", () => {
    expect(failuresOf({ emailAddresses: UNKNOWN })).toEqual([]);
    expect(failuresOf({ emailAddresses: [UNKNOWN, "ada@example.com"] })).toEqual([]);
    expect(failuresOf({ emailAddresses: [UNKNOWN, UNKNOWN] })).toEqual([]);
    expect(failuresOf({ username: UNKNOWN })).toEqual([]);
    expect(failuresOf({ ...base, publicMetadata: UNKNOWN, privateMetadata: { a: { b: [UNKNOWN] } } })).toEqual([]);
    expect(failuresOf({ ...base, password: UNKNOWN, passwordDigest: UNKNOWN, passwordHasher: UNKNOWN })).toEqual([]);
    expect(failuresOf({ ...base, passwordDigest: UNKNOWN })).toEqual([]);
    expect(failuresOf({ ...base, generatePassword: true, password: UNKNOWN })).toEqual([]);
    expect(failuresOf({ ...base, password: "short", skipPasswordChecks: UNKNOWN })).toEqual([]);
    expect(failuresOf({ ...base, createdAt: UNKNOWN, createOrganizationsLimit: UNKNOWN, banned: UNKNOWN })).toEqual([]);
    expect(failuresOf({ ...base, managedBy: { project: UNKNOWN, stack: "s", name: "n" } })).toEqual([]);
    expect(failuresOf({ ...base, backupCodes: [UNKNOWN, "x"] })).toEqual([]);
  });

  it("still reports what is known beside an unknown", () => {
    expect(failuresOf({ emailAddresses: [UNKNOWN, "bad"] })).toEqual([
      { property: "emailAddresses[1]", reason: "is not a valid email address" },
    ]);
  });

  it("keeps the sentinel in the returned inputs", () => {
    const news = { emailAddresses: [UNKNOWN], publicMetadata: { a: UNKNOWN }, __provider: UNKNOWN };
    expect(check(news).inputs).toEqual(news);
  });

  it("property: random objects with the sentinel sprinkled anywhere never throw", () => {
    const value = fc.anything({
      values: [fc.constant(UNKNOWN), fc.string(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined)],
      withDate: true,
      withMap: true,
      withNullPrototype: true,
      withBigInt: true,
      withSparseArray: true,
      withBoxedValues: true,
      maxDepth: 3,
    });
    const key = fc.oneof(fc.constantFrom(...USER_INPUT_KEYS, "__provider"), fc.string({ maxLength: 12 }));
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 12 }), (news) => {
        const result = checkInputs({}, news);
        expect(Array.isArray(result.failures)).toBe(true);
        for (const v of Object.values(result.inputs)) expect(v).not.toBeUndefined();
        for (const f of result.failures) {
          expect(typeof f.property).toBe("string");
          expect(typeof f.reason).toBe("string");
        }
      }),
      { numRuns: 500 },
    );
  });

  it("property: replacing any fields of valid inputs with the sentinel yields no failures", () => {
    fc.assert(
      fc.property(validInputsArb, fc.array(fc.constantFrom(...USER_INPUT_KEYS)), (x, keys) => {
        const news: Record<string, unknown> = { ...x };
        for (const k of keys) news[k] = UNKNOWN;
        expect(checkInputs({}, news).failures).toEqual([]);
      }),
    );
  });
});

describe("private metadata size includes the managed-by marker Clerk stores beside it", () => {
  const managedBy = { project: "proj", stack: "dev", name: "user-1" };
  // 8150 bytes of declared JSON: under the limit alone, over it once the ownership marker (~190 bytes at its
  // longest: names, ownerId, instanceId, adopted) is added.
  const big = { blob: "x".repeat(8150 - '{"blob":""}'.length) };
  it("public metadata of that size passes", () => {
    const r = checkInputs({}, { emailAddresses: ["a@example.com"], managedBy, publicMetadata: big });
    expect(r.failures).toEqual([]);
  });
  it("private metadata of that size fails, saying why", () => {
    const r = checkInputs({}, { emailAddresses: ["a@example.com"], managedBy, privateMetadata: big });
    expect(r.failures).toHaveLength(1);
    expect(r.failures[0]!.property).toBe("privateMetadata");
    expect(r.failures[0]!.reason).toMatch(
      /^is 83\d\d bytes as JSON \(with the provider's "pulumiClerk" marker\); Clerk allows at most 8192 bytes/,
    );
  });
});
