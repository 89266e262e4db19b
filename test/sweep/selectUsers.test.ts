import fc from "fast-check";
import { selectUsers, type SweepFilters } from "../../src/sweep/selectUsers";
import { DAY, HOUR, MALFORMED_MARKERS, NOW, makeUser, marker } from "./fixtures";

const users = [
  makeUser({ id: "user_a1", createdAt: NOW - 3 * DAY, privateMetadata: marker("app", "ci-1", "alice") }),
  makeUser({ id: "user_a2", createdAt: NOW - 2 * HOUR, privateMetadata: marker("app", "ci-2", "bob") }),
  makeUser({ id: "user_b1", createdAt: NOW - 5 * DAY, privateMetadata: marker("billing", "ci-1", "carol") }),
  makeUser({ id: "user_b2", createdAt: NOW - 25 * HOUR, privateMetadata: marker("billing", "prod", "dave") }),
  makeUser({ id: "user_plain", createdAt: NOW - 9 * DAY, privateMetadata: {} }),
  makeUser({ id: "user_null", createdAt: NOW - 9 * DAY, privateMetadata: null }),
  ...MALFORMED_MARKERS.map((pm, i) => makeUser({ id: `user_bad${i}`, createdAt: NOW - 9 * DAY, privateMetadata: pm })),
];
const ids = (f: SweepFilters): string[] => selectUsers(users, f, NOW).map((s) => s.user.id);

describe("selectUsers", () => {
  it("selects every marked user, oldest first, and no unmarked or malformed one", () => {
    expect(ids({})).toEqual(["user_b1", "user_a1", "user_b2", "user_a2"]);
  });

  it("returns the marker and the age", () => {
    const [first] = selectUsers(users, { project: "billing", stack: "ci-1" }, NOW);
    expect(first).toEqual({
      user: users[2],
      marker: { v: 1, project: "billing", stack: "ci-1", name: "carol" },
      ageMs: 5 * DAY,
    });
  });

  it("filters by project and stack exactly", () => {
    expect(ids({ project: "app" })).toEqual(["user_a1", "user_a2"]);
    expect(ids({ stack: "ci-1" })).toEqual(["user_b1", "user_a1"]);
    expect(ids({ project: "app", stack: "ci-1" })).toEqual(["user_a1"]);
    expect(ids({ project: "ap" })).toEqual([]);
  });

  it("--older-than is strict: exactly as old is not older", () => {
    expect(ids({ olderThanMs: DAY })).toEqual(["user_b1", "user_a1", "user_b2"]);
    expect(ids({ olderThanMs: 3 * DAY })).toEqual(["user_b1"]);
    expect(ids({ olderThanMs: 3 * DAY - 1 })).toEqual(["user_b1", "user_a1"]);
  });

  it("--keep-stacks protects a stack name in every project, or one project's stack", () => {
    expect(ids({ keepStacks: [{ stack: "ci-1" }] })).toEqual(["user_b2", "user_a2"]);
    expect(ids({ keepStacks: [{ project: "app", stack: "ci-1" }] })).toEqual(["user_b1", "user_b2", "user_a2"]);
    expect(ids({ keepStacks: [{ stack: "prod" }, { stack: "ci-2" }] })).toEqual(["user_b1", "user_a1"]);
  });

  it("live stacks select only users whose stack is gone; an empty live list means every stack is gone", () => {
    expect(ids({ liveStacks: [{ stack: "prod" }, { project: "app", stack: "ci-1" }] })).toEqual(["user_b1", "user_a2"]);
    expect(ids({ liveStacks: [] })).toEqual(["user_b1", "user_a1", "user_b2", "user_a2"]);
  });

  it("every filter must match", () => {
    expect(ids({ project: "billing", olderThanMs: DAY, keepStacks: [{ stack: "prod" }] })).toEqual(["user_b1"]);
  });

  it("a user created in the future (clock skew) has age 0 and is never older than anything", () => {
    const skewed = makeUser({ id: "user_f", createdAt: NOW + HOUR, privateMetadata: marker("p", "s", "n") });
    expect(selectUsers([skewed], {}, NOW)[0]?.ageMs).toBe(0);
    expect(selectUsers([skewed], { olderThanMs: 1 }, NOW)).toEqual([]);
  });

  describe("properties", () => {
    const metadata = fc.oneof(
      fc.constantFrom(...MALFORMED_MARKERS, {}, null),
      fc
        .record({
          project: fc.constantFrom("app", "billing"),
          stack: fc.constantFrom("ci-1", "ci-2", "prod"),
          name: fc.constantFrom("a", "b"),
        })
        .map((m) => marker(m.project, m.stack, m.name)),
    );
    const userList = fc
      .array(fc.tuple(metadata, fc.integer({ min: 0, max: 10 * DAY })), { maxLength: 40 })
      .map((xs) => xs.map(([pm, age], i) => makeUser({ id: `user_${i}`, createdAt: NOW - age, privateMetadata: pm })));
    const filters: fc.Arbitrary<SweepFilters> = fc.record(
      {
        project: fc.constantFrom("app", "billing"),
        stack: fc.constantFrom("ci-1", "prod"),
        olderThanMs: fc.integer({ min: 1, max: 10 * DAY }),
        keepStacks: fc.array(fc.record({ stack: fc.constantFrom("ci-1", "ci-2", "prod") }), { maxLength: 2 }),
        liveStacks: fc.array(fc.record({ stack: fc.constantFrom("ci-1", "ci-2", "prod") }), { maxLength: 2 }),
      },
      { requiredKeys: [] },
    );

    it("never selects a user without a valid marker, whatever the filters", () => {
      fc.assert(
        fc.property(userList, filters, (us, f) => {
          for (const s of selectUsers(us, f, NOW)) {
            const m = (s.user.private_metadata as { pulumiClerk?: { v?: unknown } }).pulumiClerk;
            expect(m?.v).toBe(1);
            expect(s.marker).toEqual(m);
          }
        }),
      );
    });

    it("adding a filter never selects more, and the result does not depend on input order", () => {
      fc.assert(
        fc.property(userList, filters, (us, f) => {
          const all = new Set(selectUsers(us, {}, NOW).map((s) => s.user.id));
          const some = selectUsers(us, f, NOW).map((s) => s.user.id);
          for (const id of some) expect(all.has(id)).toBe(true);
          expect(selectUsers([...us].reverse(), f, NOW).map((s) => s.user.id)).toEqual(some);
        }),
      );
    });
  });
});
