/**
 * Issue 12, host conformance: per-field check failures of ClerkOrganization and ClerkOrganizationMembership. One
 * table of bad inputs, each declared as a resource in one program and run through the real dynamic-provider host by
 * the engine-shaped driver (program → constructor → Pulumi serialization → host `check`). For every case:
 * - check fails with exactly the listed per-field failures (property path and reason, in order);
 * - Clerk receives 0 requests during the whole run, and state stays empty;
 * - no private metadata value (each valid case carries one beside its bad input) nor the Clerk secret key appears in
 *   any failure, engine log line or event, the host's stdout or stderr, or the state.
 */
import { ClerkOrganization, ClerkOrganizationMembership } from "../../src";
import { CheckFailedError, type EngineEvent } from "../harness";
import { formatLeaks, scanForSecrets } from "../support/secretScan";
import { MEMBERSHIP_TYPE, ORG_TYPE, PROJECT, STACK, startStack, type Stack } from "./12-support";

interface Case {
  /** Resource name: `org-…` for ClerkOrganization, `member-…` for ClerkOrganizationMembership. */
  name: string;
  args: () => Record<string, unknown>;
  /** Exactly the failures check reports for this resource, in order: [property, reason]. */
  failures: Array<[string, string]>;
}

const token = (name: string): string => `s12-check-${name}-Zq9`;
const ORG_ID = "org_2xK9cSdv3Q1yTz8mWb7Nf0aLpEr";
const USER_ID = "user_2xK9cSdv3Q1yTz8mWb7Nf0aLpEr";

/** A valid organization, holding its private token: a case adds its one bad input. */
const org = (name: string): Record<string, unknown> => ({
  name: "Tenant",
  slug: name,
  privateMetadata: { apiToken: token(name) },
});
/** A valid membership, holding its private token. */
const member = (name: string): Record<string, unknown> => ({
  organizationId: ORG_ID,
  userId: USER_ID,
  role: "org:member",
  privateMetadata: { seat: token(name) },
});
const without = (args: Record<string, unknown>, key: string): Record<string, unknown> => {
  const { [key]: _dropped, ...rest } = args;
  return rest;
};

const NOT_INPUT = (kind: string, key: string, suggestion?: string): string =>
  `"${key}" is not a ${kind} input${suggestion ? `; did you mean "${suggestion}"?` : ""}`;
const NON_NEGATIVE = (got: string): string => `must be a non-negative integer (0 means unlimited), got ${got}`;
const SLUG = 'must contain only lowercase letters, digits and "-"';
const ROLE = 'must be a role key such as "org:admin" or "org:member"';
const CLERK_ID = (prefix: string): string => `must be a Clerk id starting with "${prefix}"`;
const REQUIRED = "is required";

const CASES: Case[] = [
  // ---- ClerkOrganization ----
  {
    name: "org-name-number",
    args: () => ({ ...org("org-name-number"), name: 42 }),
    failures: [["name", "must be a string, got a number"]],
  },
  { name: "org-name-missing", args: () => without(org("org-name-missing"), "name"), failures: [["name", REQUIRED]] },
  {
    name: "org-name-url",
    args: () => ({ ...org("org-name-url"), name: "Tenant https://evil.example" }),
    failures: [["name", "must not contain a URL or HTML (Clerk refuses them)"]],
  },
  {
    name: "org-name-too-long",
    args: () => ({ ...org("org-name-too-long"), name: "n".repeat(257) }),
    failures: [["name", "must be at most 256 characters (got 257)"]],
  },
  {
    name: "org-slug-spaces",
    args: () => ({ ...org("org-slug-spaces"), slug: "Tenant A" }),
    failures: [["slug", SLUG]],
  },
  {
    name: "org-slug-underscore",
    args: () => ({ ...org("org-slug-underscore"), slug: "tenant_a" }),
    failures: [["slug", SLUG]],
  },
  {
    name: "org-slug-empty",
    args: () => ({ ...org("org-slug-empty"), slug: "" }),
    failures: [["slug", "must not be empty; omit it to have the default slug"]],
  },
  {
    name: "org-slug-number",
    args: () => ({ ...org("org-slug-number"), slug: 7 }),
    failures: [["slug", "must be a string, got a number"]],
  },
  {
    name: "org-max-negative",
    args: () => ({ ...org("org-max-negative"), maxAllowedMemberships: -1 }),
    failures: [["maxAllowedMemberships", NON_NEGATIVE("a negative number")]],
  },
  {
    name: "org-max-fraction",
    args: () => ({ ...org("org-max-fraction"), maxAllowedMemberships: 2.5 }),
    failures: [["maxAllowedMemberships", NON_NEGATIVE("a fraction")]],
  },
  {
    name: "org-max-string",
    args: () => ({ ...org("org-max-string"), maxAllowedMemberships: "10" }),
    failures: [["maxAllowedMemberships", NON_NEGATIVE("a string")]],
  },
  {
    name: "org-typo-slug",
    args: () => ({ ...without(org("org-typo-slug"), "slug"), slugs: "tenant" }),
    failures: [["slugs", NOT_INPUT("ClerkOrganization", "slugs", "slug")]],
  },
  {
    name: "org-typo-max",
    args: () => ({ ...org("org-typo-max"), maxAllowedMembers: 5 }),
    failures: [["maxAllowedMembers", NOT_INPUT("ClerkOrganization", "maxAllowedMembers", "maxAllowedMemberships")]],
  },
  {
    name: "org-typo-private",
    args: () => ({
      ...without(org("org-typo-private"), "privateMetadata"),
      privateMetdata: { apiToken: token("org-typo-private") },
    }),
    failures: [["privateMetdata", NOT_INPUT("ClerkOrganization", "privateMetdata", "privateMetadata")]],
  },
  {
    name: "org-public-list",
    args: () => ({ ...org("org-public-list"), publicMetadata: ["pro"] }),
    failures: [["publicMetadata", "must be a JSON object ({...}), got a list"]],
  },
  {
    name: "org-private-date",
    args: () => ({
      ...org("org-private-date"),
      privateMetadata: { apiToken: token("org-private-date"), at: new Date(0) },
    }),
    failures: [["privateMetadata.at", "is a Date, not a JSON value"]],
  },
  {
    name: "org-created-by",
    args: () => ({ ...org("org-created-by"), createdBy: "ada@example.com" }),
    failures: [["createdBy", CLERK_ID("user_")]],
  },
  {
    name: "org-created-at",
    args: () => ({ ...org("org-created-at"), createdAt: "yesterday" }),
    failures: [["createdAt", "must be an RFC 3339 timestamp such as 2012-10-20T07:15:20.902Z"]],
  },
  {
    name: "org-adopt-string",
    args: () => ({ ...org("org-adopt-string"), adopt: "yes" }),
    failures: [["adopt", "must be a boolean, got a string"]],
  },

  // ---- ClerkOrganizationMembership ----
  {
    name: "member-role-missing",
    args: () => without(member("member-role-missing"), "role"),
    failures: [["role", REQUIRED]],
  },
  {
    name: "member-org-missing",
    args: () => without(member("member-org-missing"), "organizationId"),
    failures: [["organizationId", REQUIRED]],
  },
  {
    name: "member-user-missing",
    args: () => without(member("member-user-missing"), "userId"),
    failures: [["userId", REQUIRED]],
  },
  {
    name: "member-role-bare",
    args: () => ({ ...member("member-role-bare"), role: "admin" }),
    failures: [["role", ROLE]],
  },
  {
    name: "member-role-number",
    args: () => ({ ...member("member-role-number"), role: 1 }),
    failures: [["role", "must be a string, got a number"]],
  },
  {
    name: "member-user-number",
    args: () => ({ ...member("member-user-number"), userId: 7 }),
    failures: [["userId", "must be a string, got a number"]],
  },
  {
    name: "member-user-is-org",
    args: () => ({ ...member("member-user-is-org"), userId: ORG_ID }),
    failures: [["userId", CLERK_ID("user_")]],
  },
  {
    name: "member-org-is-slug",
    args: () => ({ ...member("member-org-is-slug"), organizationId: "tenant-a" }),
    failures: [["organizationId", CLERK_ID("org_")]],
  },
  {
    name: "member-typo-role",
    args: () => ({ ...without(member("member-typo-role"), "role"), rol: "org:admin" }),
    failures: [
      ["rol", NOT_INPUT("ClerkOrganizationMembership", "rol", "role")],
      ["role", REQUIRED],
    ],
  },
  {
    name: "member-typo-user",
    args: () => ({ ...member("member-typo-user"), userID: USER_ID }),
    failures: [["userID", NOT_INPUT("ClerkOrganizationMembership", "userID", "userId")]],
  },
  {
    name: "member-public-null",
    args: () => ({ ...member("member-public-null"), publicMetadata: { team: null } }),
    failures: [["publicMetadata.team", "is null, which Clerk's metadata merge treats as delete: omit the key instead"]],
  },
  {
    name: "member-many-problems",
    args: () => ({ ...without(member("member-many-problems"), "organizationId"), userId: 7, role: "owner", extra: 1 }),
    failures: [
      ["extra", NOT_INPUT("ClerkOrganizationMembership", "extra")],
      ["organizationId", REQUIRED],
      ["userId", "must be a string, got a number"],
      ["role", ROLE],
    ],
  },
];

let s: Stack | undefined;
afterEach(async () => {
  await s?.[Symbol.asyncDispose]();
  s = undefined;
});

it(`${CASES.length} bad inputs through the provider host: exact per-field failures, 0 Clerk requests, no secret anywhere`, async () => {
  expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  const logs: string[] = [];
  const events: EngineEvent[] = [];
  s = await startStack({ engine: { log: (m) => logs.push(m), onEvent: (e) => events.push(e) } });

  const error = await s.engine
    .up(() => {
      for (const c of CASES) {
        if (c.name.startsWith("org-")) new ClerkOrganization(c.name, c.args() as never);
        else new ClerkOrganizationMembership(c.name, c.args() as never);
      }
    })
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(error).toBeInstanceOf(CheckFailedError);
  const failures = (error as CheckFailedError).failures;
  const byName: Record<string, Array<[string, string]>> = {};
  for (const f of failures) (byName[f.name] ??= []).push([f.property, f.reason]);
  expect(byName).toEqual(Object.fromEntries(CASES.map((c) => [c.name, c.failures])));
  for (const f of failures) {
    const type = f.name.startsWith("org-") ? ORG_TYPE : MEMBERSHIP_TYPE;
    expect(f.urn).toBe(`urn:pulumi:${STACK}::${PROJECT}::${type}::${f.name}`);
  }

  expect(s.clerk.control.requests()).toEqual([]);
  expect(s.clerk.control.organizations()).toEqual([]);
  expect(s.engine.state()).toEqual([]);
  const leaks = scanForSecrets(
    { tokens: CASES.map((c) => token(c.name)), clerkSecretKey: [s.clerk.secretKey] },
    {
      failures,
      errorMessage: (error as Error).message,
      engineLog: logs,
      engineEvents: events,
      hostStdout: s.host.stdout(),
      hostStderr: s.host.stderr(),
      state: s.engine.toJSON(),
    },
  );
  if (leaks.length > 0) throw new Error(formatLeaks(leaks));
});

it("values only known at update time are checked then: a membership of an organization created in the same up", async () => {
  s = await startStack();
  // Preview sees an unknown organizationId and passes; the update checks the real one (valid) and creates.
  const up = await s.engine.up(() => {
    const o = new ClerkOrganization("org-ok", { name: "Tenant", slug: "org-ok" });
    new ClerkOrganizationMembership("member-bad-role", {
      organizationId: o.organizationId,
      userId: USER_ID,
      role: o.organizationId.apply((id) => `admin of ${id}`),
    });
  });
  expect(up.created).toBe(1);
  expect(up.failures.map((f) => [f.name, f.op])).toEqual([["member-bad-role", "check"]]);
  expect((up.failures[0]!.error as CheckFailedError).failures).toEqual([
    {
      urn: `urn:pulumi:${STACK}::${PROJECT}::${MEMBERSHIP_TYPE}::member-bad-role`,
      name: "member-bad-role",
      property: "role",
      reason: ROLE,
    },
  ]);
  expect(s.clerk.control.memberships()).toEqual([]);
  expect((await s.engine.destroy()).failures).toEqual([]);
  expect(s.clerk.control.organizations()).toEqual([]);
});

it("a swapped-letter typo of a short input name gets a did-you-mean too", async () => {
  s = await startStack();
  const error = await s.engine
    .up(() => {
      new ClerkOrganization("org-swapped", { naem: "Tenant", slgu: "tenant" } as never);
      new ClerkOrganizationMembership("member-swapped", {
        organizationId: ORG_ID,
        userId: USER_ID,
        rloe: "org:admin",
      } as never);
    })
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(error).toBeInstanceOf(CheckFailedError);
  const byName: Record<string, Array<[string, string]>> = {};
  for (const f of (error as CheckFailedError).failures) (byName[f.name] ??= []).push([f.property, f.reason]);
  expect(byName).toEqual({
    "org-swapped": [
      ["naem", NOT_INPUT("ClerkOrganization", "naem", "name")],
      ["slgu", NOT_INPUT("ClerkOrganization", "slgu", "slug")],
      ["name", REQUIRED],
    ],
    "member-swapped": [
      ["rloe", NOT_INPUT("ClerkOrganizationMembership", "rloe", "role")],
      ["role", REQUIRED],
    ],
  });
  expect(s.clerk.control.requests()).toEqual([]);
});
