import fc from "fast-check";
import {
  countMarked,
  needsInstanceId,
  planDeletion,
  selectMarked,
  type DeletionPlan,
  type SweepFilters,
} from "../../src/sweep/selectMarked";
import {
  DAY,
  HOUR,
  INSTANCE_ID,
  MALFORMED_MARKERS,
  NOW,
  OWNER_ID,
  makeOrganization,
  makeUser,
  marker,
  markerV2,
} from "./fixtures";

const users = [
  makeUser({ id: "user_a1", createdAt: NOW - 3 * DAY, privateMetadata: markerV2("app", "ci-1", "alice") }),
  makeUser({ id: "user_a2", createdAt: NOW - 2 * HOUR, privateMetadata: marker("app", "ci-2", "bob") }),
  makeUser({ id: "user_b1", createdAt: NOW - 5 * DAY, privateMetadata: markerV2("billing", "ci-1", "carol") }),
  makeUser({ id: "user_b2", createdAt: NOW - 25 * HOUR, privateMetadata: markerV2("billing", "prod", "dave", true) }),
  makeUser({ id: "user_plain", createdAt: NOW - 9 * DAY, privateMetadata: {} }),
  makeUser({ id: "user_null", createdAt: NOW - 9 * DAY, privateMetadata: null }),
  ...MALFORMED_MARKERS.map((pm, i) => makeUser({ id: `user_bad${i}`, createdAt: NOW - 9 * DAY, privateMetadata: pm })),
];
const ids = (f: SweepFilters): string[] => selectMarked(users, f, NOW).map((s) => s.item.id);

describe("selectMarked", () => {
  it("selects every marked user, oldest first, and no unmarked or malformed one", () => {
    expect(ids({})).toEqual(["user_b1", "user_a1", "user_b2", "user_a2"]);
  });

  it("returns the marker, its provenance and the age", () => {
    expect(selectMarked(users, { projects: ["billing"], stacks: ["ci-1"] }, NOW)).toEqual([
      {
        item: users[2],
        marker: {
          v: 2,
          project: "billing",
          stack: "ci-1",
          name: "carol",
          ownerId: OWNER_ID,
          instanceId: INSTANCE_ID,
          adopted: false,
        },
        provenance: "created",
        ageMs: 5 * DAY,
      },
    ]);
    expect(selectMarked(users, { projects: ["app"], stacks: ["ci-2"] }, NOW)).toEqual([
      {
        item: users[1],
        marker: { v: 1, project: "app", stack: "ci-2", name: "bob" },
        provenance: "unknown",
        ageMs: 2 * HOUR,
      },
    ]);
    expect(selectMarked(users, { stacks: ["prod"] }, NOW).map((s) => s.provenance)).toEqual(["adopted"]);
  });

  it("filters by project and stack exactly; repeated values are a union", () => {
    expect(ids({ projects: ["app"] })).toEqual(["user_a1", "user_a2"]);
    expect(ids({ stacks: ["ci-1"] })).toEqual(["user_b1", "user_a1"]);
    expect(ids({ projects: ["app"], stacks: ["ci-1"] })).toEqual(["user_a1"]);
    expect(ids({ projects: ["ap"] })).toEqual([]);
    expect(ids({ stacks: ["ci-2", "prod"] })).toEqual(["user_b2", "user_a2"]);
    expect(ids({ projects: ["app", "billing"], stacks: ["ci-1", "prod"] })).toEqual(["user_b1", "user_a1", "user_b2"]);
    expect(ids({ projects: [] })).toEqual([]);
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
    expect(ids({ projects: ["billing"], olderThanMs: DAY, keepStacks: [{ stack: "prod" }] })).toEqual(["user_b1"]);
  });

  it("planDeletion: created users are deletable; adopted are kept; v1 only with includeV1Markers", () => {
    const selected = selectMarked(users, {}, NOW);
    const plan = planDeletion(selected, { includeV1Markers: false, instanceId: INSTANCE_ID });
    expect(plan.deletable.map((s) => s.item.id)).toEqual(["user_b1", "user_a1"]);
    expect(plan.keptAdopted.map((s) => s.item.id)).toEqual(["user_b2"]);
    expect(plan.keptV1.map((s) => s.item.id)).toEqual(["user_a2"]);
    const withV1 = planDeletion(selected, { includeV1Markers: true, instanceId: INSTANCE_ID });
    expect(withV1.deletable.map((s) => s.item.id)).toEqual(["user_b1", "user_a1", "user_a2"]);
    expect(withV1.keptAdopted.map((s) => s.item.id)).toEqual(["user_b2"]);
    expect(withV1.keptV1).toEqual([]);
  });

  it("planDeletion keeps a v2 marker of another instance, whatever else it says; v1 markers have no instance", () => {
    const mixed = [
      makeUser({ id: "user_here", createdAt: NOW - 4 * DAY, privateMetadata: markerV2("app", "ci-1", "h") }),
      makeUser({
        id: "user_copied",
        createdAt: NOW - 3 * DAY,
        privateMetadata: markerV2("app", "ci-1", "c", false, "ins_elsewhere"),
      }),
      makeUser({
        id: "user_copiedAdopted",
        createdAt: NOW - 2 * DAY,
        privateMetadata: markerV2("app", "ci-1", "a", true, "ins_elsewhere"),
      }),
      makeUser({ id: "user_v1", createdAt: NOW - DAY, privateMetadata: marker("app", "ci-1", "v") }),
    ];
    const selected = selectMarked(mixed, {}, NOW);
    expect(needsInstanceId(selected)).toBe(true);
    const names = (plan: DeletionPlan) =>
      Object.fromEntries(
        Object.entries(plan).map(([k, v]) => [k, (v as DeletionPlan["deletable"]).map((s) => s.item.id)]),
      );
    expect(names(planDeletion(selected, { includeV1Markers: true, instanceId: INSTANCE_ID }))).toEqual({
      deletable: ["user_here", "user_v1"],
      keptAdopted: ["user_copiedAdopted"],
      keptV1: [],
      keptOtherInstance: ["user_copied"],
    });
    // Without the instance id every v2 marker is kept: only a match proves it was written here.
    expect(names(planDeletion(selected, { includeV1Markers: false, instanceId: undefined }))).toEqual({
      deletable: [],
      keptAdopted: ["user_copiedAdopted"],
      keptV1: ["user_v1"],
      keptOtherInstance: ["user_here", "user_copied"],
    });
  });

  it("needsInstanceId only when a created (v2, not adopted) marker is selected", () => {
    const only = (pm: ReturnType<typeof marker>) =>
      selectMarked([makeUser({ id: "user_x", privateMetadata: pm })], {}, NOW);
    expect(needsInstanceId(only(marker("p", "s", "n")))).toBe(false);
    expect(needsInstanceId(only(markerV2("p", "s", "n", true)))).toBe(false);
    expect(needsInstanceId(only(markerV2("p", "s", "n")))).toBe(true);
    expect(needsInstanceId([])).toBe(false);
  });

  it("selects organizations by the same marker and filters (the marker in the organization's private metadata)", () => {
    const orgs = [
      makeOrganization({ id: "org_a", createdAt: NOW - 2 * DAY, privateMetadata: markerV2("app", "pr-7", "tenant") }),
      makeOrganization({ id: "org_plain", createdAt: NOW - 9 * DAY }),
      makeOrganization({ id: "org_b", createdAt: NOW - 3 * DAY, privateMetadata: markerV2("app", "prod", "t", true) }),
      ...MALFORMED_MARKERS.map((pm, i) => makeOrganization({ id: `org_bad${i}`, privateMetadata: pm })),
    ];
    expect(selectMarked(orgs, {}, NOW).map((s) => [s.item.id, s.provenance, s.ageMs])).toEqual([
      ["org_b", "adopted", 3 * DAY],
      ["org_a", "created", 2 * DAY],
    ]);
    expect(
      selectMarked(orgs, { keepStacks: [{ stack: "prod" }], olderThanMs: DAY }, NOW).map((s) => s.item.id),
    ).toEqual(["org_a"]);
    expect(countMarked(orgs)).toBe(2);
  });

  it("a user created in the future (clock skew) has age 0 and is never older than anything", () => {
    const skewed = makeUser({ id: "user_f", createdAt: NOW + HOUR, privateMetadata: marker("p", "s", "n") });
    expect(selectMarked([skewed], {}, NOW)[0]?.ageMs).toBe(0);
    expect(selectMarked([skewed], { olderThanMs: 1 }, NOW)).toEqual([]);
  });

  describe("properties", () => {
    const metadata = fc.oneof(
      fc.constantFrom(...MALFORMED_MARKERS, {}, null),
      fc
        .record({
          project: fc.constantFrom("app", "billing"),
          stack: fc.constantFrom("ci-1", "ci-2", "prod"),
          name: fc.constantFrom("a", "b"),
          kind: fc.constantFrom("v1", "created", "adopted"),
          instanceId: fc.constantFrom(INSTANCE_ID, "ins_other"),
        })
        .map((m) =>
          m.kind === "v1"
            ? marker(m.project, m.stack, m.name)
            : markerV2(m.project, m.stack, m.name, m.kind === "adopted", m.instanceId),
        ),
    );
    const userList = fc
      .array(fc.tuple(metadata, fc.integer({ min: 0, max: 10 * DAY })), { maxLength: 40 })
      .map((xs) => xs.map(([pm, age], i) => makeUser({ id: `user_${i}`, createdAt: NOW - age, privateMetadata: pm })));
    const filters: fc.Arbitrary<SweepFilters> = fc.record(
      {
        projects: fc.array(fc.constantFrom("app", "billing"), { maxLength: 2 }),
        stacks: fc.array(fc.constantFrom("ci-1", "prod"), { maxLength: 2 }),
        olderThanMs: fc.integer({ min: 1, max: 10 * DAY }),
        keepStacks: fc.array(fc.record({ stack: fc.constantFrom("ci-1", "ci-2", "prod") }), { maxLength: 2 }),
        liveStacks: fc.array(fc.record({ stack: fc.constantFrom("ci-1", "ci-2", "prod") }), { maxLength: 2 }),
      },
      { requiredKeys: [] },
    );

    it("never selects a user without a valid marker, whatever the filters", () => {
      fc.assert(
        fc.property(userList, filters, (us, f) => {
          for (const s of selectMarked(us, f, NOW)) {
            const m = (s.item.private_metadata as { pulumiClerk?: { v?: unknown } }).pulumiClerk;
            expect([1, 2]).toContain(m?.v);
            expect(s.marker).toEqual(m);
          }
        }),
      );
    });

    it("adding a filter never selects more, and the result does not depend on input order", () => {
      fc.assert(
        fc.property(userList, filters, (us, f) => {
          const all = new Set(selectMarked(us, {}, NOW).map((s) => s.item.id));
          const some = selectMarked(us, f, NOW).map((s) => s.item.id);
          for (const id of some) expect(all.has(id)).toBe(true);
          expect(selectMarked([...us].reverse(), f, NOW).map((s) => s.item.id)).toEqual(some);
        }),
      );
    });

    it("planDeletion never makes an adopted user or another instance's deletable, and keeps v1 markers unless asked", () => {
      fc.assert(
        fc.property(
          userList,
          filters,
          fc.boolean(),
          fc.constantFrom(INSTANCE_ID, "ins_other", undefined),
          (us, f, includeV1Markers, instanceId) => {
            const selected = selectMarked(us, f, NOW);
            const plan = planDeletion(selected, { includeV1Markers, instanceId });
            for (const s of plan.deletable) {
              if (s.marker.v === 2) expect(s.marker.instanceId).toBe(instanceId);
            }
            expect(plan.keptOtherInstance.every((s) => s.marker.v === 2 && s.marker.instanceId !== instanceId)).toBe(
              true,
            );
            expect(plan.deletable.every((s) => s.provenance !== "adopted")).toBe(true);
            expect(plan.keptAdopted.every((s) => s.provenance === "adopted")).toBe(true);
            if (includeV1Markers) expect(plan.keptV1).toEqual([]);
            else expect(plan.deletable.some((s) => s.provenance === "unknown")).toBe(false);
            // every selected user lands in exactly one list, order kept
            const back = [...plan.deletable, ...plan.keptAdopted, ...plan.keptV1, ...plan.keptOtherInstance]
              .map((s) => s.item.id)
              .sort();
            expect(back).toEqual(selected.map((s) => s.item.id).sort());
            expect(plan.deletable).toEqual(selected.filter((s) => plan.deletable.includes(s)));
          },
        ),
      );
    });
  });
});
