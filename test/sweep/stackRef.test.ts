import {
  formatStackRef,
  parseStackFlag,
  parseStackList,
  parseStackRef,
  stackRefMatches,
} from "../../src/sweep/stackRef";

const m = (project: string, stack: string) => ({ v: 1 as const, project, stack, name: "n" });

describe("stack refs", () => {
  it("parses stack, project/stack and org/project/stack", () => {
    expect(parseStackRef("dev")).toEqual({ stack: "dev" });
    expect(parseStackRef(" app/dev ")).toEqual({ project: "app", stack: "dev" });
    expect(parseStackRef("acme/app/dev")).toEqual({ project: "app", stack: "dev" });
    expect(parseStackRef("")).toBeUndefined();
    expect(parseStackRef("app/")).toBeUndefined();
  });

  it("parses comma lists, skipping empty items and reporting malformed ones", () => {
    expect(parseStackList("a, app/b,,")).toEqual({
      refs: [{ stack: "a" }, { project: "app", stack: "b" }],
      invalid: [],
    });
    expect(parseStackList("")).toEqual({ refs: [], invalid: [] });
    expect(parseStackList("a,/b")).toEqual({ refs: [{ stack: "a" }], invalid: ["/b"] });
  });

  it("flag values are strict: an empty value or item (an unset variable) and malformed names are usage errors", () => {
    expect(parseStackFlag("--keep-stacks", "a, app/b")).toEqual([{ stack: "a" }, { project: "app", stack: "b" }]);
    expect(() => parseStackFlag("--keep-stacks", "")).toThrow(
      "--keep-stacks: empty value (an unset variable?); name at least one stack, e.g. --keep-stacks prod",
    );
    expect(() => parseStackFlag("--keep-stacks", "  ")).toThrow("--keep-stacks: empty value");
    for (const v of ["a,,b", "a,", ",a", "a, ,b"]) {
      expect(() => parseStackFlag("--live-stacks", v)).toThrow(
        "--live-stacks: empty item in the list (an unset variable?); remove it or name the stack",
      );
    }
    expect(() => parseStackFlag("--keep-stacks", "a,/b,c/\u001b[2J")).toThrow(
      '--keep-stacks: invalid stack name(s) "/b", "c/\\e[2J"',
    );
  });

  it("an unqualified ref matches that stack in every project; a qualified one only its project", () => {
    expect(stackRefMatches({ stack: "dev" }, m("app", "dev"))).toBe(true);
    expect(stackRefMatches({ stack: "dev" }, m("other", "dev"))).toBe(true);
    expect(stackRefMatches({ project: "app", stack: "dev" }, m("other", "dev"))).toBe(false);
    expect(stackRefMatches({ project: "app", stack: "dev" }, m("app", "dev2"))).toBe(false);
  });

  it("formats refs back", () => {
    expect(formatStackRef({ stack: "dev" })).toBe("dev");
    expect(formatStackRef({ project: "app", stack: "dev" })).toBe("app/dev");
  });
});
