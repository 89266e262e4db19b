import { SweepUsageError } from "../../src/sweep/SweepUsageError";
import { KIND_NAMES, kindsNamed, parseKindFlag, SWEEP_KINDS } from "../../src/sweep/sweepKinds";

describe("the kinds clerk-sweep handles", () => {
  it("are organizations then users: the order delete deletes them in", () => {
    expect(SWEEP_KINDS.map((k) => k.name)).toEqual(["organizations", "users"]);
    expect(KIND_NAMES).toEqual(["organizations", "users"]);
    expect(kindsNamed(["users", "organizations"]).map((k) => k.name)).toEqual(["organizations", "users"]);
    expect(kindsNamed(["users"]).map((k) => k.name)).toEqual(["users"]);
  });

  it("--include-v1-markers applies to users only: no release wrote a v1 marker on an organization", () => {
    expect(SWEEP_KINDS.map((k) => [k.name, k.v1MarkersDeletable])).toEqual([
      ["organizations", false],
      ["users", true],
    ]);
  });

  it("only organizations can be unavailable, and only for Clerk's 403 organization_not_enabled_in_instance", () => {
    const [organizations, users] = SWEEP_KINDS;
    const disabled = {
      clerkError: true,
      status: 403,
      errors: [{ code: "organization_not_enabled_in_instance", message: "not enabled" }],
    };
    const forbidden = { clerkError: true, status: 403, errors: [{ code: "not_allowed", message: "no" }] };
    expect(organizations!.unavailable(disabled)).toBe(
      "organizations are not enabled in this Clerk instance (organization_not_enabled_in_instance): none to sweep",
    );
    expect(organizations!.unavailable(forbidden)).toBeUndefined();
    expect(organizations!.unavailable(new Error("fetch failed"))).toBeUndefined();
    expect(users!.unavailable(disabled)).toBeUndefined();
  });
});

describe("parseKindFlag", () => {
  it.each([
    ["users", ["users"]],
    ["organizations", ["organizations"]],
    ["users,organizations", ["users", "organizations"]],
    [" organizations , users ", ["organizations", "users"]],
  ])("%j → %j", (text, kinds) => {
    expect(parseKindFlag(text)).toEqual(kinds);
  });

  it.each([
    ["", "--kind: empty value (an unset variable?); name organizations, users, or both as organizations,users"],
    ["  ", "--kind: empty value (an unset variable?)"],
    ["users,", "--kind: empty item in the list (an unset variable?); remove it or name the kind"],
    ["user", '--kind: unknown kind "user"; expected organizations, users, or both as organizations,users'],
    ["users,orgs,Users", '--kind: unknown kind "orgs", "Users"; expected organizations, users'],
    ["all", '--kind: unknown kind "all"'],
    ["users\u001b[2J", '--kind: unknown kind "users\\e[2J"'],
  ])("%j is a usage error", (text, message) => {
    let thrown: unknown;
    try {
      parseKindFlag(text);
    } catch (e) {
      thrown = e;
    }
    expect(SweepUsageError.isInstance(thrown)).toBe(true);
    expect((thrown as Error).message).toContain(message);
  });
});
