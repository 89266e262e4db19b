import { parseDuration } from "../../src/sweep/parseDuration";
import { SweepUsageError } from "../../src/sweep/SweepUsageError";

describe("parseDuration", () => {
  it.each([
    ["24h", 86_400_000],
    ["7d", 604_800_000],
    ["90m", 5_400_000],
    ["1.5h", 5_400_000],
    ["2 weeks", 1_209_600_000],
    ["30s", 30_000],
    [" 3h ", 10_800_000],
  ])("%j → %d ms", (text, expected) => {
    expect(parseDuration(text)).toBe(expected);
  });

  it.each([
    ["", '--older-than: empty duration; expected a positive duration with a unit, e.g. 24h, 7d, 90m or "2 weeks"'],
    ["24", '--older-than: "24" has no unit; expected a positive duration with a unit, e.g. 24h, 7d, 90m or "2 weeks"'],
    [
      "abc",
      '--older-than: "abc" is not a duration; expected a positive duration with a unit, e.g. 24h, 7d, 90m or "2 weeks"',
    ],
    [
      "1 fortnight",
      '--older-than: "1 fortnight" is not a duration; expected a positive duration with a unit, e.g. 24h, 7d, 90m or "2 weeks"',
    ],
    [
      "-1h",
      '--older-than: "-1h" must be greater than zero; expected a positive duration with a unit, e.g. 24h, 7d, 90m or "2 weeks"',
    ],
    [
      "0s",
      '--older-than: "0s" must be greater than zero; expected a positive duration with a unit, e.g. 24h, 7d, 90m or "2 weeks"',
    ],
  ])("rejects %j with a clear message", (text, message) => {
    let caught: unknown;
    try {
      parseDuration(text);
    } catch (e) {
      caught = e;
    }
    expect(SweepUsageError.isInstance(caught)).toBe(true);
    expect((caught as Error).message).toBe(message);
  });

  it("rejects text longer than ms accepts without leaking its exception", () => {
    expect(() => parseDuration("1".repeat(120) + "h")).toThrow(/is not a duration/);
  });

  it("names the flag it parses", () => {
    expect(() => parseDuration("x", "--max-age")).toThrow(/^--max-age: "x" is not a duration/);
  });
});
