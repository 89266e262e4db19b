import fc from "fast-check";
import {
  INSTANCE_ID_PATTERN,
  MARKER_KEY,
  OWNER_ID_PATTERN,
  isAdopted,
  markerFor,
  markerMatches,
  mintOwnerId,
  ownedBy,
  parseMarker,
  provenanceOf,
  readMarker,
  sameMarker,
  stripMarker,
  upgradeMarker,
  withMarker,
  writeMarker,
  type ManagedByMarker,
  type MarkerV2,
  type Ownership,
} from "../../../src/marker/managedByMarker";
import type { JsonObject } from "../../../src/model/json";

/**
 * The marker as pure data: v1/v2/malformed reading, writing, ownership matching. Does not prove that the
 * provider writes it (host tests) or that the sweeper respects it (test/sweep).
 */

const OWNER = "own_abcdefghijklmnopqrstuvwxya";
const OTHER_OWNER = `own_${"z".repeat(25)}a`;
const INSTANCE = "ins_2abcDEF123";
const names = { project: "proj", stack: "dev", name: "ada" };
const ownership: Ownership = { ownerId: OWNER, instanceId: INSTANCE, adopted: false };

const nonBlank = fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim() !== "");
const blank = fc.stringMatching(/^[ \t\n\r\u00a0\u2003]*$/, { maxLength: 5 });
const ownerIdArb = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => mintOwnerId(() => b));
const instanceIdArb = fc.stringMatching(/^ins_[A-Za-z0-9]{1,30}$/);
const ownershipArb = fc.record({ ownerId: ownerIdArb, instanceId: instanceIdArb, adopted: fc.boolean() });
const managedByArb = fc.record({ project: nonBlank, stack: nonBlank, name: nonBlank });
const otherMetadata = fc
  .dictionary(
    fc.string().filter((k) => k !== MARKER_KEY && k !== "__proto__"),
    fc.jsonValue(),
  )
  .map((d) => d as JsonObject);

describe("mintOwnerId", () => {
  it("is own_ + 128 bits of lowercase base32, and injective in its random bytes", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        (a, b) => {
          const x = mintOwnerId(() => a);
          expect(x).toMatch(OWNER_ID_PATTERN);
          expect(x).toHaveLength(4 + 26);
          expect(mintOwnerId(() => b) === x).toBe(Buffer.from(a).equals(Buffer.from(b)));
        },
      ),
    );
  });

  it("encodes known bytes exactly (RFC 4648 base32, lowercase, unpadded)", () => {
    expect(mintOwnerId(() => new Uint8Array(16))).toBe(`own_${"a".repeat(26)}`);
    expect(mintOwnerId(() => new Uint8Array(16).fill(255))).toBe(`own_${"7".repeat(25)}4`);
    // "foobar" in RFC 4648 base32 is MZXW6YTBOI; padded with zero bytes to 16
    expect(mintOwnerId(() => Uint8Array.from([...Buffer.from("foobar"), ...new Array<number>(10).fill(0)]))).toBe(
      "own_mzxw6ytboiaaaaaaaaaaaaaaaa",
    );
  });

  it("uses crypto randomness by default: 200 ids, all distinct", () => {
    const ids = new Set(Array.from({ length: 200 }, () => mintOwnerId()));
    expect(ids.size).toBe(200);
  });

  it("refuses a random source that returns the wrong number of bytes", () => {
    expect(() => mintOwnerId(() => new Uint8Array(8))).toThrow(RangeError);
  });
});

describe("parseMarker / readMarker", () => {
  it("write → read is the identity for every valid v2 marker, next to any other metadata", () => {
    fc.assert(
      fc.property(otherMetadata, managedByArb, ownershipArb, (pm, mb, own) => {
        const written = withMarker(pm, mb, own);
        expect(parseMarker(written)).toEqual({ kind: "v2", marker: writeMarker(mb, own) });
        expect(readMarker(written)).toEqual({ v: 2, ...mb, ...own });
        expect(stripMarker(written)).toEqual(pm);
      }),
    );
  });

  it("v1 markers stay readable, without ownership", () => {
    fc.assert(
      fc.property(managedByArb, (mb) => {
        const pm = { [MARKER_KEY]: { v: 1, ...mb } };
        expect(parseMarker(pm)).toEqual({ kind: "v1", marker: { v: 1, ...mb } });
        expect(readMarker(pm)).toEqual({ v: 1, ...mb });
      }),
    );
  });

  it("keeps only the known keys", () => {
    expect(readMarker({ [MARKER_KEY]: { v: 1, ...names, extra: "x" } })).toEqual({ v: 1, ...names });
    expect(readMarker({ [MARKER_KEY]: { v: 2, ...names, ...ownership, extra: "x" } })).toEqual({
      v: 2,
      ...names,
      ...ownership,
    });
  });

  it("a blank or whitespace-only project, stack or name makes any version malformed", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("project", "stack", "name"),
        blank,
        fc.constantFrom(1, 2),
        ownershipArb,
        (field, value, v, own) => {
          const pm = { [MARKER_KEY]: { v, ...names, ...own, [field]: value } };
          expect(parseMarker(pm)).toEqual({ kind: "malformed", reason: `${field} is not a non-blank string` });
          expect(readMarker(pm)).toBeUndefined();
        },
      ),
    );
  });

  it.each<[string, unknown, string]>([
    ["a string", "proj/dev/ada", "not an object"],
    ["null", null, "not an object"],
    ["an array", [], "not an object"],
    ["version 3", { v: 3, ...names, ...ownership }, "unknown version"],
    ["version as a string", { v: "2", ...names, ...ownership }, "unknown version"],
    ["a missing name", { v: 1, project: "p", stack: "s" }, "name is not a non-blank string"],
    ["a numeric stack", { v: 1, project: "p", stack: 7, name: "n" }, "stack is not a non-blank string"],
    ["v2 without ownerId", { v: 2, ...names, instanceId: INSTANCE, adopted: false }, "ownerId is not an ownership id"],
    ["v2 with a made-up ownerId", { v: 2, ...names, ...ownership, ownerId: "mine" }, "ownerId is not an ownership id"],
    [
      "v2 without instanceId",
      { v: 2, ...names, ownerId: OWNER, adopted: false },
      "instanceId is not a Clerk instance id",
    ],
    [
      "v2 with a blank instanceId",
      { v: 2, ...names, ...ownership, instanceId: " " },
      "instanceId is not a Clerk instance id",
    ],
    ["v2 without adopted", { v: 2, ...names, ownerId: OWNER, instanceId: INSTANCE }, "adopted is not a boolean"],
    ["v2 with adopted as a string", { v: 2, ...names, ...ownership, adopted: "true" }, "adopted is not a boolean"],
  ])("%s is malformed", (_label, raw, reason) => {
    const pm = { [MARKER_KEY]: raw } as JsonObject;
    expect(parseMarker(pm)).toEqual({ kind: "malformed", reason });
    expect(readMarker(pm)).toBeUndefined();
  });

  it("no marker key (or no metadata) is absent, not malformed", () => {
    expect(parseMarker(undefined)).toEqual({ kind: "absent" });
    expect(parseMarker(null)).toEqual({ kind: "absent" });
    expect(parseMarker({ pulumiclerk: { v: 1, ...names } })).toEqual({ kind: "absent" });
  });

  it("never throws, whatever the metadata holds, and a reason never quotes it", () => {
    fc.assert(
      fc.property(fc.jsonValue(), otherMetadata, (raw, pm) => {
        const reading = parseMarker({ ...pm, [MARKER_KEY]: raw } as JsonObject);
        if (reading.kind === "malformed") {
          expect(reading.reason).toMatch(/^(not an object|unknown version|\w+ is not a [\w -]+)$/);
        }
      }),
    );
  });
});

describe("writeMarker / markerFor / withMarker", () => {
  it("writes exactly the v2 shape", () => {
    expect(writeMarker(names, { ...ownership, adopted: true })).toEqual({
      v: 2,
      project: "proj",
      stack: "dev",
      name: "ada",
      ownerId: OWNER,
      instanceId: INSTANCE,
      adopted: true,
    });
    expect(withMarker({ stripe: "cus_1" }, names, ownership)).toEqual({
      stripe: "cus_1",
      [MARKER_KEY]: { v: 2, ...names, ...ownership },
    });
  });

  it("refuses blank names and malformed ids, naming the field but never the value", () => {
    fc.assert(
      fc.property(fc.constantFrom("project", "stack", "name"), blank, (field, value) => {
        expect(() => writeMarker({ ...names, [field]: value }, ownership)).toThrow(
          new RangeError(`marker: managedBy.${field} must be a non-blank string`),
        );
      }),
    );
    expect(() => writeMarker(names, { ...ownership, ownerId: "sk_test_secret" })).toThrow(
      new RangeError("marker: ownerId is not an ownership id (mintOwnerId)"),
    );
    expect(() => writeMarker(names, { ...ownership, instanceId: "" })).toThrow(
      new RangeError("marker: instanceId is not a Clerk instance id"),
    );
  });

  it("without ownership, markerFor/withMarker still write the v1 marker (call sites not yet migrated)", () => {
    expect(markerFor(names)).toEqual({ v: 1, ...names });
    expect(withMarker({ a: 1, [MARKER_KEY]: "junk" }, names)).toEqual({ a: 1, [MARKER_KEY]: { v: 1, ...names } });
    expect(withMarker({ a: 1, [MARKER_KEY]: "junk" }, undefined)).toEqual({ a: 1 });
  });

  it("upgradeMarker keeps the names of a v1 marker and adds the ownership; sameMarker then holds", () => {
    fc.assert(
      fc.property(managedByArb, ownershipArb, (mb, own) => {
        const v1 = readMarker({ [MARKER_KEY]: { v: 1, ...mb } })!;
        const upgraded = upgradeMarker(v1, own);
        expect(upgraded).toEqual({ v: 2, ...mb, ...own });
        expect(sameMarker(v1, upgraded)).toBe(false);
        expect(sameMarker(upgraded, writeMarker(mb, own))).toBe(true);
        expect(readMarker(withMarker({}, upgraded, own))).toEqual(upgraded);
      }),
    );
  });
});

describe("ownedBy / isAdopted / provenanceOf / sameMarker", () => {
  const v1: ManagedByMarker = { v: 1, ...names };
  const v2 = (o: Partial<Ownership> = {}): MarkerV2 => writeMarker(names, { ...ownership, ...o });

  it("ownedBy holds exactly for a v2 marker with that ownership id", () => {
    fc.assert(
      fc.property(ownershipArb, ownerIdArb, managedByArb, (own, probe, mb) => {
        const m = writeMarker(mb, own);
        expect(ownedBy(m, probe)).toBe(probe === own.ownerId);
        expect(ownedBy(m, own.ownerId)).toBe(true);
        expect(ownedBy({ v: 1, ...mb }, own.ownerId)).toBe(false);
        expect(ownedBy(undefined, own.ownerId)).toBe(false);
      }),
    );
    expect(ownedBy(v2(), OTHER_OWNER)).toBe(false);
    // equal names from another state backend prove nothing
    expect(markerMatches(v2({ ownerId: OTHER_OWNER }), names)).toBe(true);
    expect(ownedBy(v2({ ownerId: OTHER_OWNER }), OWNER)).toBe(false);
  });

  it("an empty or malformed probe id never matches", () => {
    expect(ownedBy(v2(), "")).toBe(false);
    expect(ownedBy({ ...v2(), ownerId: "x" }, "x")).toBe(false);
  });

  it("isAdopted and provenanceOf: only a v2 marker can say; v1 is unknown", () => {
    expect(isAdopted(v2({ adopted: true }))).toBe(true);
    expect(isAdopted(v2({ adopted: false }))).toBe(false);
    expect(isAdopted(v1)).toBe(false);
    expect(isAdopted(undefined)).toBe(false);
    expect(provenanceOf(v2({ adopted: true }))).toBe("adopted");
    expect(provenanceOf(v2({ adopted: false }))).toBe("created");
    expect(provenanceOf(v1)).toBe("unknown");
  });

  it("sameMarker: any differing field means a write is needed", () => {
    expect(sameMarker(v2(), v2())).toBe(true);
    expect(sameMarker(undefined, v2())).toBe(false);
    expect(sameMarker(v1, v2())).toBe(false);
    expect(sameMarker(v2({ adopted: true }), v2())).toBe(false);
    expect(sameMarker(v2({ instanceId: "ins_other" }), v2())).toBe(false);
    expect(sameMarker(v2({ ownerId: OTHER_OWNER }), v2())).toBe(false);
    expect(sameMarker({ ...v2(), stack: "prod" }, v2())).toBe(false);
  });

  it("instance ids follow Clerk's shape", () => {
    expect(INSTANCE_ID_PATTERN.test(INSTANCE)).toBe(true);
    expect(INSTANCE_ID_PATTERN.test("ins_")).toBe(false);
    expect(INSTANCE_ID_PATTERN.test("user_123")).toBe(false);
  });
});
