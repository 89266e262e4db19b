import fc from "fast-check";
import { escapeText } from "../../src/sweep/escapeText";

/** What every printed cell goes through. Pure; property-tested. */

const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

/** The inverse, for the injectivity property only. */
function unescape(text: string): string {
  return text.replace(/\\(\\|n|r|t|e|x[0-9a-f]{2}|u[0-9a-f]{4})/g, (_m, esc: string) => {
    if (esc === "\\") return "\\";
    if (esc === "n") return "\n";
    if (esc === "r") return "\r";
    if (esc === "t") return "\t";
    if (esc === "e") return "\u001b";
    return String.fromCharCode(parseInt(esc.slice(1), 16));
  });
}

describe("escapeText", () => {
  it.each([
    ["plain", "plain"],
    ["a\nb", "a\\nb"],
    ["\r\t", "\\r\\t"],
    ["\u001b[31mred\u001b[0m", "\\e[31mred\\e[0m"],
    ["bell\u0007", "bell\\x07"],
    ["del\u007f", "del\\x7f"],
    ["csi\u009b2J", "csi\\x9b2J"],
    ["rtl\u202eevil", "rtl\\u202eevil"],
    ["line\u2028sep", "line\\u2028sep"],
    ["back\\slash", "back\\\\slash"],
    ["üñí©ødé 名前", "üñí©ødé 名前"],
  ])("%j → %j", (input, expected) => {
    expect(escapeText(input)).toBe(expected);
  });

  it("leaves no unsafe character, whatever the input", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (s) => {
        expect(escapeText(s)).not.toMatch(UNSAFE);
      }),
    );
  });

  it("is reversible, so two different values never print alike", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), fc.string({ unit: "binary" }), (a, b) => {
        expect(unescape(escapeText(a))).toBe(a);
        if (a !== b) expect(escapeText(a)).not.toBe(escapeText(b));
      }),
    );
  });

  it("is the identity on printable text without backslashes", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (s) => {
        fc.pre(!UNSAFE.test(s) && !s.includes("\\"));
        expect(escapeText(s)).toBe(s);
      }),
    );
  });
});
