import fc from "fast-check";
import type {
  ClerkEmailAddressJSON,
  ClerkPhoneNumberJSON,
  ClerkUserJSON,
  ClerkWeb3WalletJSON,
} from "../../../src/model/wire";
import { MARKER_KEY, withMarker } from "../../../src/marker/managedByMarker";
import type { JsonObject } from "../../../src/model/json";
import { PASSWORD_HASHERS, type UserInputs } from "../../../src/model/UserInputs";
import { parseRfc3339 } from "../../../src/logic/rfc3339";

/** Spec-shaped Clerk objects (wire.ts, spec 2026-05-12), with fixed timestamps so tests are deterministic. */
export const T0 = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
const verified = { status: "verified", strategy: "admin" };

export function emailJSON(id: string, emailAddress: string): ClerkEmailAddressJSON {
  return {
    id,
    object: "email_address",
    email_address: emailAddress,
    reserved: false,
    verification: verified,
    linked_to: [],
    created_at: T0,
    updated_at: T0,
  };
}

export function phoneJSON(id: string, phoneNumber: string): ClerkPhoneNumberJSON {
  return {
    id,
    object: "phone_number",
    phone_number: phoneNumber,
    reserved: false,
    reserved_for_second_factor: false,
    default_second_factor: false,
    verification: verified,
    linked_to: [],
    created_at: T0,
    updated_at: T0,
  };
}

export function walletJSON(id: string, web3Wallet: string): ClerkWeb3WalletJSON {
  return { id, object: "web3_wallet", web3_wallet: web3Wallet, verification: verified, created_at: T0, updated_at: T0 };
}

/** A user as Clerk returns it with nothing set but the defaults; override any field. */
export function clerkUser(overrides: Partial<ClerkUserJSON> = {}): ClerkUserJSON {
  return {
    id: "user_2xhFjEI5X2qWRvtV13BzSj8H6Dk",
    object: "user",
    external_id: null,
    primary_email_address_id: null,
    primary_phone_number_id: null,
    primary_web3_wallet_id: null,
    username: null,
    first_name: null,
    last_name: null,
    locale: null,
    public_metadata: {},
    private_metadata: {},
    unsafe_metadata: {},
    email_addresses: [],
    phone_numbers: [],
    web3_wallets: [],
    password_enabled: false,
    two_factor_enabled: false,
    totp_enabled: false,
    backup_code_enabled: false,
    banned: false,
    locked: false,
    created_at: T0,
    updated_at: T0,
    last_sign_in_at: null,
    legal_accepted_at: null,
    delete_self_enabled: true,
    create_organization_enabled: true,
    create_organizations_limit: null,
    bypass_client_trust: false,
    ...overrides,
  };
}

export interface SynthOptions {
  /** Clerk stores emails lower-cased (simulated). */
  lowercaseEmails?: boolean;
  /** Reverse the order Clerk lists non-primary identifiers in. */
  reverseNonPrimary?: boolean;
  /** Reverse the key order of every metadata object. */
  reverseMetadataKeys?: boolean;
}

/** The user Clerk would hold after creating `inputs`: how a create's response looks for those inputs. */
export function userFromInputs(inputs: UserInputs, opts: SynthOptions = {}): ClerkUserJSON {
  const order = <T>(items: T[]): T[] =>
    opts.reverseNonPrimary && items.length > 1 ? [items[0] as T, ...items.slice(1).reverse()] : items;
  const meta = (m: JsonObject): JsonObject => (opts.reverseMetadataKeys ? reverseKeys(m) : m);
  const emails = (inputs.emailAddresses ?? []).map((e, i) =>
    emailJSON(`idn_email${i}`, opts.lowercaseEmails ? e.toLowerCase() : e),
  );
  const phones = (inputs.phoneNumbers ?? []).map((p, i) => phoneJSON(`idn_phone${i}`, p));
  const wallets = (inputs.web3Wallets ?? []).map((w, i) => walletJSON(`idn_wallet${i}`, w.toLowerCase()));
  const blank = (s: string | undefined): string | null => (s === undefined || s === "" ? null : s);
  const ms = (s: string | undefined): number | undefined => (s === undefined ? undefined : parseRfc3339(s));
  return clerkUser({
    external_id: blank(inputs.externalId),
    primary_email_address_id: emails[0]?.id ?? null,
    primary_phone_number_id: phones[0]?.id ?? null,
    primary_web3_wallet_id: wallets[0]?.id ?? null,
    username: blank(inputs.username),
    first_name: blank(inputs.firstName),
    last_name: blank(inputs.lastName),
    locale: blank(inputs.locale),
    public_metadata: meta(inputs.publicMetadata ?? {}),
    private_metadata: meta(withMarker(inputs.privateMetadata, inputs.managedBy)),
    unsafe_metadata: meta(inputs.unsafeMetadata ?? {}),
    email_addresses: order(emails),
    phone_numbers: order(phones),
    web3_wallets: order(wallets),
    password_enabled: inputs.password !== undefined || inputs.passwordDigest !== undefined,
    totp_enabled: inputs.totpSecret !== undefined,
    backup_code_enabled: inputs.backupCodes !== undefined,
    two_factor_enabled: inputs.totpSecret !== undefined || inputs.backupCodes !== undefined,
    banned: inputs.banned ?? false,
    locked: inputs.locked ?? false,
    created_at: ms(inputs.createdAt) ?? T0,
    legal_accepted_at: ms(inputs.legalAcceptedAt) ?? null,
    delete_self_enabled: inputs.deleteSelfEnabled ?? true,
    create_organization_enabled: inputs.createOrganizationEnabled ?? true,
    create_organizations_limit: inputs.createOrganizationsLimit ?? null,
    bypass_client_trust: inputs.bypassClientTrust ?? false,
  });
}

function reverseKeys(m: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const k of Object.keys(m).reverse()) {
    const v = m[k] as JsonObject[string];
    out[k] = typeof v === "object" && v !== null && !Array.isArray(v) ? reverseKeys(v) : v;
  }
  return out;
}

// ---- fast-check arbitraries for valid inputs ----

const lowerKey = (s: string): string => s.toLowerCase();

export const emailArb = fc
  .tuple(
    fc.stringMatching(/^[A-Za-z0-9._+-]{1,12}$/),
    fc.stringMatching(/^[A-Za-z0-9-]{1,10}$/),
    fc.constantFrom("com", "io", "dev"),
  )
  .map(([local, domain, tld]) => `${local}@${domain}.${tld}`);
export const phoneArb = fc.stringMatching(/^\+[1-9]\d{6,13}$/);
export const walletArb = fc.stringMatching(/^0x[0-9a-fA-F]{40}$/);

/** JSON objects without `__proto__` (a key JS object literals cannot hold as data) and without the marker. */
export const jsonObjectArb: fc.Arbitrary<JsonObject> = fc
  .dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 })
  .filter((o) => !JSON.stringify(o).includes("__proto__") && !(MARKER_KEY in o))
  .map((o) => JSON.parse(JSON.stringify(o)) as JsonObject);

const rfc3339Arb = fc
  .tuple(
    fc.date({ min: new Date("1990-01-01T00:00:00Z"), max: new Date("2099-12-31T00:00:00Z"), noInvalidDate: true }),
    fc.constantFrom("Z", "+02:00", "-05:30"),
    fc.boolean(),
  )
  .map(([d, zone, micro]) => {
    const iso = d.toISOString(); // 2026-01-02T03:04:05.678Z
    const base = micro ? iso.replace("Z", "123Z") : iso; // sub-millisecond digits are truncated by Clerk
    if (zone === "Z") return base;
    const sign = zone.startsWith("-") ? -1 : 1;
    const minutes = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
    const local = new Date(d.getTime() + minutes * 60_000).toISOString().slice(0, -1);
    return `${micro ? `${local}123` : local}${zone}`;
  });

const opt = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(a, { nil: undefined });

/** Arbitrary valid ClerkUser inputs (each has at least one identifier). */
export const validInputsArb: fc.Arbitrary<UserInputs> = fc
  .record(
    {
      emailAddresses: opt(fc.uniqueArray(emailArb, { maxLength: 4, selector: lowerKey })),
      phoneNumbers: opt(fc.uniqueArray(phoneArb, { maxLength: 3 })),
      web3Wallets: opt(fc.uniqueArray(walletArb, { maxLength: 2, selector: lowerKey })),
      username: opt(fc.stringMatching(/^[a-z0-9_]{4,12}$/)),
      firstName: opt(fc.string({ maxLength: 10 })),
      lastName: opt(fc.string({ maxLength: 10 })),
      externalId: opt(fc.string({ maxLength: 10 })),
      locale: opt(fc.constantFrom("en-US", "fr-FR", "")),
      password: opt(fc.string({ minLength: 8, maxLength: 20 })),
      totpSecret: opt(fc.stringMatching(/^[A-Z2-7]{16}$/)),
      backupCodes: opt(fc.array(fc.stringMatching(/^[a-z0-9]{8}$/), { maxLength: 3 })),
      skipPasswordChecks: opt(fc.boolean()),
      skipLegalChecks: opt(fc.boolean()),
      publicMetadata: opt(jsonObjectArb),
      privateMetadata: opt(jsonObjectArb),
      unsafeMetadata: opt(jsonObjectArb),
      createdAt: opt(rfc3339Arb),
      legalAcceptedAt: opt(rfc3339Arb),
      banned: opt(fc.boolean()),
      locked: opt(fc.boolean()),
      deleteSelfEnabled: opt(fc.boolean()),
      createOrganizationEnabled: opt(fc.boolean()),
      createOrganizationsLimit: opt(fc.nat(50)),
      bypassClientTrust: opt(fc.boolean()),
      managedBy: opt(
        fc.record(
          {
            project: fc.stringMatching(/^[a-z]{1,8}$/),
            stack: fc.stringMatching(/^[a-z]{1,8}$/),
            name: fc.stringMatching(/^[a-z]{1,8}$/),
          },
          { noNullPrototype: true },
        ),
      ),
      digest: opt(fc.tuple(fc.string({ minLength: 1, maxLength: 20 }), fc.constantFrom(...PASSWORD_HASHERS))),
    },
    { requiredKeys: [] },
  )
  .map(({ digest, ...rest }) => {
    const inputs: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(rest)) if (v !== undefined) inputs[k] = v;
    if (digest && inputs["password"] === undefined) {
      inputs["passwordDigest"] = digest[0];
      inputs["passwordHasher"] = digest[1];
    }
    return inputs as UserInputs;
  })
  .filter(
    (x) =>
      (x.emailAddresses?.length ?? 0) + (x.phoneNumbers?.length ?? 0) + (x.web3Wallets?.length ?? 0) > 0 ||
      x.username !== undefined,
  );
