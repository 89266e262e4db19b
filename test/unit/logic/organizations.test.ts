/**
 * The organization and membership machinery driven by their field tables: check, diff, create params, the update
 * plan, outputs and read-back. Pure: proves the mapping, not what Clerk does with it (see test/integration/12-*).
 */
import fc from "fast-check";
import {
  checkMembership,
  checkOrganization,
  defaultSlug,
  diffMembership,
  diffOrganization,
  membershipCreateParams,
  membershipOutputs,
  membershipReadInputs,
  organizationCreateParams,
  organizationOutputs,
  organizationReadInputs,
  planMembershipUpdate,
  planOrganizationUpdate,
} from "../../../src/logic/organizations";
import { MARKER_KEY, withMarker } from "../../../src/marker/managedByMarker";
import type { MembershipInputs, OrganizationInputs } from "../../../src/model/organization";
import { deepMerge } from "../../local-clerk/handlers/metadata";
import {
  managedBy,
  membershipFromInputs,
  membershipInputsArb,
  mergeableObjectArb,
  organizationFromInputs,
  organizationInputsArb,
  ownership,
} from "./organizationFixtures";

const noChange = { changes: false, replaces: [], deleteBeforeReplace: false, detailedChanges: [] };
const reasons = (r: { findings: { property: string; reason: string; rule: string }[] }) =>
  r.findings.map((f) => [f.property, f.rule]);
const SLUG = /^[a-z0-9-]+$/;

describe("check", () => {
  it("an organization needs a name; names, slugs and ids are checked against Clerk's rules", () => {
    expect(reasons(checkOrganization({ managedBy }))).toEqual([["name", "required"]]);
    expect(reasons(checkOrganization({ name: "Acme", slug: "Acme Corp", managedBy }))).toEqual([["slug", "format"]]);
    expect(reasons(checkOrganization({ name: " Acme", managedBy }))).toEqual([["name", "format"]]);
    expect(reasons(checkOrganization({ name: "see https://x.io", managedBy }))).toEqual([["name", "format"]]);
    expect(reasons(checkOrganization({ name: "   ", managedBy }))).toEqual([["name", "format"]]);
    expect(reasons(checkOrganization({ name: "A", createdBy: "org_1", managedBy }))).toEqual([["createdBy", "format"]]);
    expect(reasons(checkOrganization({ name: "A", maxAllowedMemberships: -1, managedBy }))).toEqual([
      ["maxAllowedMemberships", "format"],
    ]);
    expect(reasons(checkOrganization({ name: "x".repeat(257), managedBy }))).toEqual([["name", "too_long"]]);
  });

  it("unknown inputs name the kind and suggest the input meant; adopt needs a slug", () => {
    const r = checkOrganization({ name: "A", maxAllowedMembership: 1, adopt: true, managedBy });
    expect(r.findings).toEqual([
      {
        property: "maxAllowedMembership",
        reason: '"maxAllowedMembership" is not a ClerkOrganization input; did you mean "maxAllowedMemberships"?',
        rule: "unknown_field",
      },
      { property: "adopt", reason: "needs slug: an organization is adopted by its slug", rule: "conflict" },
    ]);
    expect(reasons(checkOrganization({ name: "A", slug: "a", adopt: true, managedBy }))).toEqual([]);
  });

  it("a membership needs an organization, a user and a role, each in Clerk's format", () => {
    expect(reasons(checkMembership({ managedBy }))).toEqual([
      ["organizationId", "required"],
      ["userId", "required"],
      ["role", "required"],
    ]);
    expect(reasons(checkMembership({ organizationId: "user_1", userId: "org_1", role: "admin", managedBy }))).toEqual([
      ["organizationId", "format"],
      ["userId", "format"],
      ["role", "format"],
    ]);
    expect(
      reasons(checkMembership({ organizationId: "org_1", userId: "user_1", role: "org:admin", managedBy })),
    ).toEqual([]);
  });

  it("membership metadata: a null member is refused (Clerk's merge would delete it); null in a list is fine", () => {
    const r = checkMembership({
      organizationId: "org_1",
      userId: "user_1",
      role: "org:member",
      publicMetadata: { a: { b: null }, list: [null] },
      privateMetadata: { [MARKER_KEY]: 1 },
      managedBy,
    });
    expect(reasons(r)).toEqual([
      ["publicMetadata.a.b", "format"],
      ["privateMetadata.pulumiClerk", "reserved"],
    ]);
  });

  it("failures never quote a value, secret or not", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z]{12,20}$/), (secret) => {
        const org = checkOrganization({
          name: `${secret} http://`,
          slug: secret,
          privateMetadata: { k: null, s: secret },
          managedBy,
        });
        const member = checkMembership({
          organizationId: secret,
          userId: secret,
          role: secret,
          privateMetadata: { s: { t: null } },
          managedBy,
        });
        for (const f of [...org.findings, ...member.findings]) expect(f.reason).not.toContain(secret);
        expect(org.findings.length + member.findings.length).toBeGreaterThanOrEqual(5);
      }),
    );
  });
});

describe("diff", () => {
  it("the state after create compares equal to the inputs that made it", () => {
    fc.assert(
      fc.property(organizationInputsArb, (x) => {
        const olds = organizationOutputs(organizationFromInputs(x), x, ownership);
        expect(diffOrganization(olds, x as Record<string, unknown>)).toEqual(noChange);
      }),
    );
    fc.assert(
      fc.property(membershipInputsArb, (x) => {
        const olds = membershipOutputs(membershipFromInputs(x), x, ownership);
        expect(diffMembership(olds, x as Record<string, unknown>)).toEqual(noChange);
      }),
    );
  });

  it("organization: name, slug and metadata change in place; a default slug or createdBy never differ", () => {
    const x: OrganizationInputs = { name: "Tenant A", createdBy: "user_1", managedBy };
    const olds = organizationOutputs(organizationFromInputs(x, "tenant-a-abcdefgh"), x, ownership);
    expect(olds["slug"]).toBe("tenant-a-abcdefgh");
    expect(diffOrganization(olds, { ...x, createdBy: "user_2" })).toEqual(noChange);
    expect(diffOrganization(olds, { ...x, name: "B", slug: "b", publicMetadata: { p: 1 } })).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
      detailedChanges: ["name", "publicMetadata", "slug"],
    });
    expect(diffOrganization({ ...olds, syncRequired: true }, x).detailedChanges).toEqual(["syncRequired"]);
  });

  it("membership: the role changes in place; another organization or user replaces, creating first", () => {
    const x: MembershipInputs = { organizationId: "org_1", userId: "user_1", role: "org:member", managedBy };
    const olds = membershipOutputs(membershipFromInputs(x), x, ownership);
    expect(diffMembership(olds, { ...x, role: "org:admin" })).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
      detailedChanges: ["role"],
    });
    expect(diffMembership(olds, { ...x, userId: "user_2" })).toEqual({
      changes: true,
      replaces: ["userId"],
      deleteBeforeReplace: false,
      detailedChanges: ["userId"],
    });
  });
});

describe("create params", () => {
  it("organization: the declared fields, the slug, private metadata with the v2 marker; never adopt or managedBy", () => {
    const x: OrganizationInputs = {
      name: "Tenant A",
      maxAllowedMemberships: 10,
      createdBy: "user_1",
      createdAt: "2020-01-02T03:04:05.678Z",
      roleSetKey: "role_set:default",
      publicMetadata: { plan: "pro" },
      adopt: false,
      handOverFrom: "own_x",
      managedBy,
    };
    expect(organizationCreateParams(x, "tenant-a-x", ownership)).toEqual({
      name: "Tenant A",
      maxAllowedMemberships: 10,
      createdBy: "user_1",
      createdAt: "2020-01-02T03:04:05.678Z",
      roleSetKey: "role_set:default",
      publicMetadata: { plan: "pro" },
      slug: "tenant-a-x",
      privateMetadata: { [MARKER_KEY]: { v: 2, ...managedBy, ...ownership } },
    });
  });

  it("membership: organization, user, role, metadata and the marker", () => {
    const x: MembershipInputs = {
      organizationId: "org_1",
      userId: "user_1",
      role: "org:admin",
      privateMetadata: { k: 1 },
      managedBy,
    };
    expect(membershipCreateParams(x, ownership)).toEqual({
      organizationId: "org_1",
      userId: "user_1",
      role: "org:admin",
      privateMetadata: { k: 1, [MARKER_KEY]: { v: 2, ...managedBy, ...ownership } },
    });
  });

  it("the default slug is in Clerk's alphabet, names the resource and 8 characters of the ownership id", () => {
    expect(defaultSlug("Tenant_A (QA)", "own_abcdefgh234567abcdefgh23")).toBe("tenant-a-qa-abcdefgh");
    expect(defaultSlug("__", "own_abcdefgh234567abcdefgh23")).toBe("organization-abcdefgh");
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (name) => {
        const slug = defaultSlug(name, ownership.ownerId);
        expect(slug).toMatch(SLUG);
        expect(slug.endsWith(`-${ownership.ownerId.slice(4, 12)}`)).toBe(true);
        expect(slug.length).toBeLessThanOrEqual(64 + 9);
        expect(checkOrganization({ name: "A", slug, managedBy }).findings).toEqual([]);
      }),
    );
  });
});

describe("update plan", () => {
  const base: OrganizationInputs = { name: "Tenant A", slug: "tenant-a", publicMetadata: { plan: "pro" }, managedBy };
  const held = organizationFromInputs(base);
  const olds = organizationOutputs(held, base, ownership);

  it("organization: one PATCH with what differs, one PUT with the metadata objects that differ; nothing else", () => {
    expect(planOrganizationUpdate(held, olds, base, { ownership })).toEqual([]);
    expect(
      planOrganizationUpdate(held, olds, { ...base, name: "B", slug: "b", maxAllowedMemberships: 3 }, { ownership }),
    ).toEqual([{ kind: "updateOrganization", params: { name: "B", slug: "b", maxAllowedMemberships: 3 } }]);
    expect(planOrganizationUpdate(held, olds, { ...base, privateMetadata: { k: 1 } }, { ownership })).toEqual([
      {
        kind: "replaceMetadata",
        params: { privateMetadata: { k: 1, [MARKER_KEY]: { v: 2, ...managedBy, ...ownership } } },
      },
    ]);
    // Silence clears public metadata, leaves a declared-only slug, never writes createdBy.
    expect(
      planOrganizationUpdate(held, olds, { name: "Tenant A", createdBy: "user_9", managedBy }, { ownership }),
    ).toEqual([{ kind: "replaceMetadata", params: { publicMetadata: {} } }]);
  });

  it("organization: applying the plan converges (planning again finds nothing)", () => {
    fc.assert(
      fc.property(organizationInputsArb, organizationInputsArb, (before, after) => {
        const current = organizationFromInputs(before);
        const steps = planOrganizationUpdate(current, {}, after, { ownership });
        const next = { ...current };
        for (const s of steps) {
          if (s.kind === "replaceMetadata") {
            if (s.params["publicMetadata"]) next.public_metadata = s.params["publicMetadata"] as never;
            if (s.params["privateMetadata"]) next.private_metadata = s.params["privateMetadata"] as never;
          } else {
            const p = s.params;
            if (p["name"] !== undefined) next.name = p["name"] as string;
            if (p["slug"] !== undefined) next.slug = p["slug"] as string;
            if (p["maxAllowedMemberships"] !== undefined)
              next.max_allowed_memberships = p["maxAllowedMemberships"] as number;
            if (p["roleSetKey"] !== undefined) next.role_set_key = p["roleSetKey"] as string;
            if (p["createdAt"] !== undefined) next.created_at = Date.parse(p["createdAt"] as string);
            expect(Object.keys(p)).not.toContain("createdBy");
          }
        }
        expect(planOrganizationUpdate(next, {}, after, { ownership })).toEqual([]);
      }),
    );
  });

  it("membership: the role, then a merge patch that makes Clerk's deep merge hold exactly the declared metadata", () => {
    fc.assert(
      fc.property(membershipInputsArb, mergeableObjectArb, mergeableObjectArb, (x, pub, priv) => {
        const current = membershipFromInputs(x);
        const want: MembershipInputs = { ...x, role: "org:admin", publicMetadata: pub, privateMetadata: priv };
        const steps = planMembershipUpdate(current, want, { ownership });
        const merge = steps.find((s) => s.kind === "mergeMetadata");
        const params = merge?.kind === "mergeMetadata" ? merge.params : {};
        const publicAfter = deepMerge(current.public_metadata, (params["publicMetadata"] ?? {}) as never);
        const privateAfter = deepMerge(current.private_metadata ?? {}, (params["privateMetadata"] ?? {}) as never);
        expect(publicAfter).toEqual(pub);
        expect(privateAfter).toEqual(withMarker(priv, managedBy, ownership));
        expect(steps[0]?.kind === "updateRole").toBe(x.role !== "org:admin");
        expect(
          planMembershipUpdate(
            { ...current, role: "org:admin", public_metadata: publicAfter, private_metadata: privateAfter },
            want,
            { ownership },
          ),
        ).toEqual([]);
      }),
    );
  });

  it("membership: a removed key is sent as null, the marker untouched", () => {
    const x: MembershipInputs = {
      organizationId: "org_1",
      userId: "user_1",
      role: "org:member",
      publicMetadata: { a: 1, b: { c: 2, d: 3 } },
      privateMetadata: { s: 1 },
      managedBy,
    };
    const current = membershipFromInputs(x);
    expect(
      planMembershipUpdate(current, { ...x, publicMetadata: { b: { c: 2 } }, privateMetadata: {} }, { ownership }),
    ).toEqual([
      { kind: "mergeMetadata", params: { publicMetadata: { a: null, b: { d: null } }, privateMetadata: { s: null } } },
    ]);
  });
});

describe("outputs and read-back", () => {
  it("a refresh without out-of-band change reproduces the previous inputs exactly", () => {
    fc.assert(
      fc.property(organizationInputsArb, (x) => {
        expect(organizationReadInputs(organizationFromInputs(x), x, false)).toEqual(x);
      }),
    );
    fc.assert(
      fc.property(membershipInputsArb, (x) => {
        expect(membershipReadInputs(membershipFromInputs(x), x)).toEqual(x);
      }),
    );
  });

  it("drift shows: a role changed out of band, a renamed organization, a metadata key added", () => {
    const m: MembershipInputs = { organizationId: "org_1", userId: "user_1", role: "org:admin", managedBy };
    expect(membershipReadInputs({ ...membershipFromInputs(m), role: "org:member" }, m)).toEqual({
      ...m,
      role: "org:member",
    });
    const o: OrganizationInputs = { name: "A", managedBy };
    const held = { ...organizationFromInputs(o), name: "B", public_metadata: { x: 1 } };
    expect(organizationReadInputs(held, o, false)).toEqual({ ...o, name: "B", publicMetadata: { x: 1 } });
  });

  it("outputs: private metadata without the marker, the ids, the claim; nothing undefined", () => {
    const x: OrganizationInputs = { name: "A", privateMetadata: { k: "v" }, managedBy };
    const outs = organizationOutputs(organizationFromInputs(x), x, ownership);
    expect(outs).toEqual({
      name: "A",
      slug: "tenant-a",
      maxAllowedMemberships: 0,
      createdAt: "2026-01-02T03:04:05.678Z",
      privateMetadata: { k: "v" },
      managedBy,
      ...ownership,
      organizationId: "org_2xhFjEI5X2qWRvtV13BzSj8H6Dk",
    });
    const m: MembershipInputs = { organizationId: "org_1", userId: "user_1", role: "org:admin", managedBy };
    expect(membershipOutputs(membershipFromInputs(m), m, ownership)).toEqual({
      ...m,
      ...ownership,
      membershipId: "orgmem_2xhFjEI5X2qWRvtV13BzSj8H6Dk",
    });
  });
});
