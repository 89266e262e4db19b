import fc from "fast-check";
import type { DeleteReport } from "../../src/sweep/DeleteReport";
import { formatAge } from "../../src/sweep/formatAge";
import { formatSummary } from "../../src/sweep/formatSummary";
import { formatTable } from "../../src/sweep/formatTable";
import { selectMarked } from "../../src/sweep/selectMarked";
import { countOf, SWEEP_KINDS, type SweepKind } from "../../src/sweep/sweepKinds";
import { organizationRow, userRow } from "../../src/sweep/sweepRow";
import { DAY, HOUR, NOW, makeOrganization, makeUser, marker, markerV2 } from "./fixtures";

const [ORGANIZATIONS, USERS] = SWEEP_KINDS as [SweepKind, SweepKind];

const selected = selectMarked(
  [
    makeUser({ id: "user_1", createdAt: NOW - 3 * DAY, privateMetadata: markerV2("app", "ci-1", "alice") }),
    makeUser({
      id: "user_22",
      createdAt: NOW - 5 * HOUR,
      privateMetadata: marker("billing", "pr-1234", "b"),
      email: null,
    }),
  ],
  {},
  NOW,
);

describe("userRow", () => {
  it("is the JSON shape of list --json for a user", () => {
    expect(selected.map(userRow)).toEqual([
      {
        kind: "user",
        id: "user_1",
        primaryEmail: "user_1@example.com",
        project: "app",
        stack: "ci-1",
        name: "alice",
        origin: "created",
        createdAt: new Date(NOW - 3 * DAY).toISOString(),
        ageMs: 3 * DAY,
      },
      {
        kind: "user",
        id: "user_22",
        primaryEmail: null,
        project: "billing",
        stack: "pr-1234",
        name: "b",
        origin: "unknown",
        createdAt: new Date(NOW - 5 * HOUR).toISOString(),
        ageMs: 5 * HOUR,
      },
    ]);
  });

  it("falls back to the first email when the primary id points nowhere", () => {
    const u = makeUser({ id: "user_x", email: "x@example.com", privateMetadata: marker("p", "s", "n") });
    u.primary_email_address_id = "idn_gone";
    expect(userRow(selectMarked([u], {}, NOW)[0]!).primaryEmail).toBe("x@example.com");
  });
});

describe("formatTable", () => {
  it("pads columns and prints the age short", () => {
    expect(formatTable("user", selected.map(userRow))).toEqual([
      "USER ID  PRIMARY EMAIL       PROJECT  STACK    NAME   ORIGIN   AGE",
      "user_1   user_1@example.com  app      ci-1     alice  created  3d",
      "user_22  -                   billing  pr-1234  b      unknown  5h",
    ]);
  });

  it("prints only the header for no rows", () => {
    expect(formatTable("user", [])).toEqual(["USER ID  PRIMARY EMAIL  PROJECT  STACK  NAME  ORIGIN  AGE"]);
    expect(formatTable("organization", [])).toEqual(["ORGANIZATION ID  SLUG  PROJECT  STACK  NAME  ORIGIN  AGE"]);
  });

  it("escapes every cell: a newline in a marker's name cannot forge a row, ANSI escapes do not reach the terminal", () => {
    const forged = selectMarked(
      [
        makeUser({
          id: "user_evil",
          createdAt: NOW - HOUR,
          email: "e\u001b[2Jvil@example.com",
          privateMetadata: markerV2("app\u001b[31m", "ci-1", "x\nuser_FAKE  -  app  prod  admin  created  9d"),
        }),
      ],
      {},
      NOW,
    );
    expect(formatTable("user", forged.map(userRow))).toEqual([
      "USER ID    PRIMARY EMAIL          PROJECT    STACK  NAME                                            ORIGIN   AGE",
      "user_evil  e\\e[2Jvil@example.com  app\\e[31m  ci-1   x\\nuser_FAKE  -  app  prod  admin  created  9d  created  1h",
    ]);
  });

  it("property: one line per row plus the header, and no control character in any line", () => {
    const text = fc.string({ unit: "binary", maxLength: 12 });
    fc.assert(
      fc.property(fc.array(fc.record({ p: text, s: text, n: text, e: text }), { maxLength: 5 }), (specs) => {
        const rows = specs.map((x, i) => ({
          kind: "user" as const,
          id: `user_${i}`,
          primaryEmail: x.e,
          project: x.p,
          stack: x.s,
          name: x.n,
          origin: "created" as const,
          createdAt: new Date(NOW).toISOString(),
          ageMs: HOUR,
        }));
        const lines = formatTable("user", rows);
        expect(lines).toHaveLength(rows.length + 1);
        for (const line of lines) expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]/u);
      }),
    );
  });

  it("formats ages", () => {
    expect([formatAge(0), formatAge(999), formatAge(40_000), formatAge(12 * 60_000), formatAge(36 * HOUR)]).toEqual([
      "0s",
      "0s",
      "40s",
      "12m",
      "2d",
    ]);
  });
});

describe("formatSummary", () => {
  it("prints the counts, then one line per failure with its reason", () => {
    const [a, b] = selected;
    const report: DeleteReport = {
      deleted: [a!],
      alreadyGone: [],
      failed: [{ selected: b!, reason: "Clerk 500 internal_clerk_error: boom", status: 500 }],
    };
    expect(formatSummary(USERS, report)).toEqual([
      "users: deleted 1, already gone 0, failed 1",
      "failed user user_22 (billing/pr-1234/b): Clerk 500 internal_clerk_error: boom",
    ]);
  });

  it("escapes the marker fields and the reason of a failure line", () => {
    const [a] = selectMarked(
      [makeUser({ id: "user_n", privateMetadata: markerV2("p", "s\nfailed user_x (p/s/n): forged", "n") })],
      {},
      NOW,
    );
    expect(
      formatSummary(USERS, {
        deleted: [],
        alreadyGone: [],
        failed: [{ selected: a!, reason: "Clerk 500: a\u001b[0mb" }],
      }),
    ).toEqual([
      "users: deleted 0, already gone 0, failed 1",
      "failed user user_n (p/s\\nfailed user_x (p/s/n): forged/n): Clerk 500: a\\e[0mb",
    ]);
  });

  it("prints zeros for an empty report", () => {
    expect(formatSummary(USERS, { deleted: [], alreadyGone: [], failed: [] })).toEqual([
      "users: deleted 0, already gone 0, failed 0",
    ]);
    expect(formatSummary(ORGANIZATIONS, { deleted: [], alreadyGone: [], failed: [] })).toEqual([
      "organizations: deleted 0, already gone 0, failed 0",
    ]);
  });
});

describe("organizations", () => {
  const orgs = selectMarked(
    [
      makeOrganization({
        id: "org_1",
        slug: "tenant-a",
        createdAt: NOW - 2 * DAY,
        privateMetadata: markerV2("app", "pr-7", "tenant-a"),
      }),
      makeOrganization({
        id: "org_22",
        slug: "shared",
        createdAt: NOW - 3 * HOUR,
        privateMetadata: markerV2("app", "prod", "shared", true),
      }),
    ],
    {},
    NOW,
  );

  it("organizationRow is the JSON shape of list --json for an organization", () => {
    expect(orgs.map(organizationRow)).toEqual([
      {
        kind: "organization",
        id: "org_1",
        slug: "tenant-a",
        project: "app",
        stack: "pr-7",
        name: "tenant-a",
        origin: "created",
        createdAt: new Date(NOW - 2 * DAY).toISOString(),
        ageMs: 2 * DAY,
      },
      {
        kind: "organization",
        id: "org_22",
        slug: "shared",
        project: "app",
        stack: "prod",
        name: "shared",
        origin: "adopted",
        createdAt: new Date(NOW - 3 * HOUR).toISOString(),
        ageMs: 3 * HOUR,
      },
    ]);
  });

  it("their table names the kind and shows the slug", () => {
    expect(formatTable("organization", orgs.map(organizationRow))).toEqual([
      "ORGANIZATION ID  SLUG      PROJECT  STACK  NAME      ORIGIN   AGE",
      "org_1            tenant-a  app      pr-7   tenant-a  created  2d",
      "org_22           shared    app      prod   shared    adopted  3h",
    ]);
  });

  it("their summary and failure lines name the kind", () => {
    expect(
      formatSummary(ORGANIZATIONS, {
        deleted: [],
        alreadyGone: [orgs[1]!],
        failed: [{ selected: orgs[0]!, reason: "Clerk 403 not_allowed: no", status: 403 }],
      }),
    ).toEqual([
      "organizations: deleted 0, already gone 1, failed 1",
      "failed organization org_1 (app/pr-7/tenant-a): Clerk 403 not_allowed: no",
    ]);
  });

  it("counts name the kind, singular or plural", () => {
    expect([countOf(1, ORGANIZATIONS), countOf(2, ORGANIZATIONS), countOf(1, USERS), countOf(0, USERS)]).toEqual([
      "1 organization",
      "2 organizations",
      "1 user",
      "0 users",
    ]);
  });
});
