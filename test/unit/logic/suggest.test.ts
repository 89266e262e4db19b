import fc from "fast-check";
import { suggestName } from "../../../src/logic/suggest";

const KNOWN = ["name", "slug", "role", "userId", "organizationId", "publicMetadata", "privateMetadata", "firstName"];

describe("suggestName", () => {
  it.each([
    ["slgu", "slug"],
    ["naem", "name"],
    ["rloe", "role"],
    ["first_name", "firstName"],
    ["FIRSTNAME", "firstName"],
    ["organisationId", "organizationId"],
    ["publicMetdata", "publicMetadata"],
  ])("%s → %s", (typo, expected) => {
    expect(suggestName(typo, KNOWN)).toBe(expected);
  });

  it.each(["zzzz", "colour", ""])("%j has no suggestion", (typo) => {
    expect(suggestName(typo, KNOWN)).toBeUndefined();
  });

  it("one swap of two adjacent different letters of a known name suggests that name", () => {
    fc.assert(
      fc.property(fc.constantFrom(...KNOWN), fc.nat(), (known, at) => {
        const i = at % (known.length - 1);
        if (known[i] === known[i + 1]) return;
        const typo = known.slice(0, i) + known[i + 1] + known[i] + known.slice(i + 2);
        expect(suggestName(typo, KNOWN)).toBe(known);
      }),
    );
  });
});
