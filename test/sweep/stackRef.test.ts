import { formatStackRef, parseStackList, parseStackRef, stackRefMatches } from "../../src/sweep/stackRef";

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
