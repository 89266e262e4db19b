import type { DeleteReport } from "../../src/sweep/DeleteReport";
import { formatAge } from "../../src/sweep/formatAge";
import { formatSummary } from "../../src/sweep/formatSummary";
import { formatTable } from "../../src/sweep/formatTable";
import { selectUsers } from "../../src/sweep/selectUsers";
import { toSweepRow } from "../../src/sweep/sweepRow";
import { DAY, HOUR, NOW, makeUser, marker } from "./fixtures";

const selected = selectUsers(
  [
    makeUser({ id: "user_1", createdAt: NOW - 3 * DAY, privateMetadata: marker("app", "ci-1", "alice") }),
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

describe("toSweepRow", () => {
  it("is the JSON shape of list --json", () => {
    expect(selected.map(toSweepRow)).toEqual([
      {
        id: "user_1",
        primaryEmail: "user_1@example.com",
        project: "app",
        stack: "ci-1",
        name: "alice",
        createdAt: new Date(NOW - 3 * DAY).toISOString(),
        ageMs: 3 * DAY,
      },
      {
        id: "user_22",
        primaryEmail: null,
        project: "billing",
        stack: "pr-1234",
        name: "b",
        createdAt: new Date(NOW - 5 * HOUR).toISOString(),
        ageMs: 5 * HOUR,
      },
    ]);
  });

  it("falls back to the first email when the primary id points nowhere", () => {
    const u = makeUser({ id: "user_x", email: "x@example.com", privateMetadata: marker("p", "s", "n") });
    u.primary_email_address_id = "idn_gone";
    expect(toSweepRow(selectUsers([u], {}, NOW)[0]!).primaryEmail).toBe("x@example.com");
  });
});

describe("formatTable", () => {
  it("pads columns and prints the age short", () => {
    expect(formatTable(selected.map(toSweepRow))).toEqual([
      "ID       PRIMARY EMAIL       PROJECT  STACK    NAME   AGE",
      "user_1   user_1@example.com  app      ci-1     alice  3d",
      "user_22  -                   billing  pr-1234  b      5h",
    ]);
  });

  it("prints only the header for no rows", () => {
    expect(formatTable([])).toEqual(["ID  PRIMARY EMAIL  PROJECT  STACK  NAME  AGE"]);
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
      failed: [{ user: b!, reason: "Clerk 500 internal_clerk_error: boom", status: 500 }],
    };
    expect(formatSummary(report)).toEqual([
      "deleted 1, already gone 0, failed 1",
      "failed user_22 (billing/pr-1234/b): Clerk 500 internal_clerk_error: boom",
    ]);
  });

  it("prints zeros for an empty report", () => {
    expect(formatSummary({ deleted: [], alreadyGone: [], failed: [] })).toEqual([
      "deleted 0, already gone 0, failed 0",
    ]);
  });
});
