import fc from "fast-check";
import { createRedactor, MIN_SUBSTRING_SECRET_LENGTH, REDACTED } from "../../../src/logic/redact";
import { secretStringsOf } from "../../../src/logic/secretStrings";

const R = REDACTED;
const redactWith = (secrets: string[], text: string): string => createRedactor(secrets).redact(text);
const inner = (s: string): string => JSON.stringify(s).slice(1, -1);

describe("redact: forms of one secret", () => {
  const secret = 'Pw-"quoted"\\back/é-secret';
  const cases: Array<[string, string]> = [
    ["raw", secret],
    ["upper case", secret.toUpperCase()],
    ["lower case", secret.toLowerCase()],
    ["JSON-escaped", inner(secret)],
    ["JSON-escaped twice", inner(inner(secret))],
    ["JSON-escaped three times", inner(inner(inner(secret)))],
    ["ASCII-only JSON (\\u00e9, upper-case hex)", inner(secret).replace("é", "\\u00E9")],
    ["Go-style \\u0022 for quotes", secret.replace(/"/g, "\\u0022").replace(/\\(?!u0022)/g, "\\\\")],
    ["URL-encoded", encodeURIComponent(secret)],
    ["URL-encoded, lower-case hex", encodeURIComponent(secret).toLowerCase()],
    ["URL-encoded twice", encodeURIComponent(encodeURIComponent(secret))],
    ["JSON-escaped inside a URL", encodeURIComponent(inner(secret))],
    ["HTML entities", secret.replace(/"/g, "&quot;").replace(/é/g, "&#xE9;")],
    ["NFD", secret.normalize("NFD")],
  ];
  it.each(cases)("%s", (_name, form) => {
    expect(redactWith([secret], `before ${form} after`)).toBe(`before ${R} after`);
  });

  it("form encoding: + for space, %2B for +", () => {
    const s = "a b+c d";
    expect(redactWith([s], "p=a+b%2Bc+d&q=1")).toBe(`p=${R}&q=1`);
  });

  it("every occurrence, and a secret found in a JSON error body keeps the JSON around it", () => {
    const s = "hunter22";
    const body = JSON.stringify({ message: `password ${s} is weak`, meta: { values: [s, `x${s}x`] } });
    expect(redactWith([s], body)).toBe(
      JSON.stringify({ message: `password ${R} is weak`, meta: { values: [R, `x${R}x`] } }),
    );
  });

  it("the secret with its surrounding whitespace trimmed", () => {
    expect(redactWith(["  padded-secret \n"], 'value "padded-secret" rejected')).toBe(`value "${R}" rejected`);
  });
});

describe("redact: several secrets", () => {
  it("overlapping and nested secrets leave no fragment, in any order", () => {
    for (const secrets of [
      ["abcdef", "defghi"],
      ["defghi", "abcdef"],
      ["abcdefghi", "cdef"],
      ["cdef", "abcdefghi"],
    ]) {
      expect(redactWith(secrets, "<abcdefghi>")).toBe(`<${R}>`);
    }
  });

  it("adjacent occurrences become one marker; separate ones stay separate", () => {
    expect(redactWith(["abcd", "wxyz"], "abcdwxyz abcd")).toBe(`${R} ${R}`);
  });

  it("duplicates and the empty string are ignored", () => {
    const r = createRedactor(["", "secret-1", "secret-1"]);
    expect(r.size).toBe(1);
    expect(r.redact("a secret-1 b")).toBe(`a ${R} b`);
    expect(createRedactor([""]).redact("anything")).toBe("anything");
  });

  it("extend adds secrets", () => {
    const r = createRedactor(["first-secret"]).extend(["second-secret"]);
    expect(r.size).toBe(2);
    expect(r.redact("first-secret second-secret")).toBe(`${R} ${R}`);
  });
});

describe(`redact: secrets shorter than ${MIN_SUBSTRING_SECRET_LENGTH} code points are removed only as whole tokens`, () => {
  it.each([
    ['"ab"', `"${R}"`],
    ["ab", R],
    ["x ab, y", `x ${R}, y`],
    ["abc", "abc"],
    ["cab", "cab"],
    ["a_ab", "a_ab"],
    ["12ab", "12ab"],
    // the decoded view decides: the n of an escaped newline is not a neighbour
    ["line\\nab", `line\\n${R}`],
    ["%22ab%22", `%22${R}%22`],
  ])("%s", (text, expected) => {
    expect(redactWith(["ab"], text)).toBe(expected);
  });

  it("a four-code-point secret is removed inside words; length counts code points, not UTF-16 units", () => {
    expect(redactWith(["abcd"], "xabcdx")).toBe(`x${R}x`);
    expect(redactWith(["😀😀"], "x😀😀x")).toBe("x😀😀x"); // 2 code points (4 UTF-16 units): token only
    expect(redactWith(["😀😀"], "x 😀😀 x")).toBe(`x ${R} x`);
  });
});

describe("redact: the marker", () => {
  it("is never redacted itself; a secret inside the marker's text is removed everywhere else", () => {
    expect(redactWith(["dact"], `dact ${R} redacted`)).toBe(`${R} ${R} re${R}ed`);
  });

  it("a secret spanning a marker's edge takes the whole marker", () => {
    // "ab[re" only appears once "[redacted]" follows "ab": the fixpoint removes it too
    expect(redactWith(["ab[re", "zzzz"], "abzzzz")).toBe(R);
    expect(redactWith(["acted]x"], `${R}x`)).toBe(R);
  });

  it("leaks() says whether redact would change anything", () => {
    const r = createRedactor(["hunter22"]);
    expect([r.leaks("a HUNTER22"), r.leaks("a hunter2"), r.leaks(R)]).toEqual([true, false, false]);
  });
});

describe("redactDeep", () => {
  const r = createRedactor(["Pw-secret-1", "1234567"]);

  it("redacts keys, values, Map and Set entries, numbers holding a secret; keeps everything else", () => {
    const input = {
      message: "password Pw-secret-1 is weak",
      meta: { param_name: "password", values: ["Pw-secret-1", "fine"], pin: 1234567, n: 5, ok: true, none: null },
      "Pw-secret-1": "as a key",
      map: new Map([["k", "Pw-secret-1"]]),
      set: new Set(["Pw-secret-1"]),
      big: 1234567n,
      when: new Date(0),
    };
    expect(r.redactDeep(input)).toEqual({
      message: `password ${R} is weak`,
      meta: { param_name: "password", values: [R, "fine"], pin: R, n: 5, ok: true, none: null },
      [R]: "as a key",
      map: new Map([["k", R]]),
      set: new Set([R]),
      big: R,
      when: new Date(0),
    });
  });

  it("keeps an Error an Error, with message, stack and cause redacted; keeps cycles", () => {
    const cause = new Error("inner Pw-secret-1");
    const err = new TypeError("outer Pw-secret-1", { cause }) as TypeError & { self?: unknown };
    err.self = err;
    const out = r.redactDeep(err) as TypeError & { self?: unknown; cause: Error };
    expect(out).toBeInstanceOf(TypeError);
    expect(out.message).toBe(`outer ${R}`);
    expect(out.stack).not.toContain("Pw-secret-1");
    expect(out.stack).toContain(`outer ${R}`);
    expect(out.cause.message).toBe(`inner ${R}`);
    expect(out.self).toBe(out);
    expect(Object.keys(out)).toEqual(["self"]); // enumerability kept
    expect(err.message).toBe("outer Pw-secret-1"); // the input is not touched
  });

  it("two keys that redact to the same text keep both values", () => {
    expect(r.redactDeep({ "a-Pw-secret-1": 1, "a-1234567": 2 })).toEqual({ [`a-${R}`]: 1, [`a-${R}#2`]: 2 });
  });

  it("with no secrets, returns the value itself", () => {
    const v = { a: 1 };
    expect(createRedactor([]).redactDeep(v)).toBe(v);
  });
});

describe("secretStringsOf", () => {
  it("collects string and number leaves and the JSON of every object and array", () => {
    const value = { plan: "pro", nested: { codes: ["aaaa1111", "bbbb2222"], pin: 4321, on: true, off: null } };
    expect(secretStringsOf(value).sort()).toEqual(
      [
        JSON.stringify(value),
        JSON.stringify(value.nested),
        JSON.stringify(value.nested.codes),
        "pro",
        "aaaa1111",
        "bbbb2222",
        "4321",
      ].sort(),
    );
    expect(secretStringsOf("Pw-1")).toEqual(["Pw-1"]);
    expect(secretStringsOf(["", "x"])).toEqual(['["","x"]', "x"]);
    expect(secretStringsOf({ a: {}, b: [] })).toEqual(['{"a":{},"b":[]}']);
    expect(secretStringsOf(undefined)).toEqual([]);
  });

  it("never throws: cycles, BigInt, Dates, Maps, Sets, boxed strings", () => {
    const cyclic: Record<string, unknown> = { token: "tok-123" };
    cyclic["self"] = cyclic;
    expect(secretStringsOf(cyclic)).toEqual(["tok-123"]);
    expect(secretStringsOf({ n: 12n, d: new Date(0), m: new Map([["k", "mv"]]), s: new Set(["sv"]) })).toEqual([
      "12",
      "1970-01-01T00:00:00.000Z",
      "mv",
      "sv",
    ]);
    expect(secretStringsOf(new String("boxed"))).toEqual(["boxed"]);
  });

  it("feeds createRedactor: a private metadata echo is removed whole and leaf by leaf", () => {
    const privateMetadata = { stripe: { customer: "cus_9s8d7f6g" }, note: 'say "hi"' };
    const r = createRedactor(secretStringsOf(privateMetadata));
    expect(r.redact(`meta ${JSON.stringify(privateMetadata)} end`)).toBe(`meta ${R} end`);
    expect(r.redact(`meta {"note":"say \\"hi\\"", "stripe":{"customer":"cus_9s8d7f6g"}}`)).toBe(
      `meta {"note":"${R}", "stripe":${R}}`, // {"customer":...} is the JSON of a nested object: removed whole
    );
  });
});

// ---- properties ----

/** Code units that stress encodings and case folding, mixed with arbitrary graphemes. */
const unitArb = fc.oneof(
  fc.constantFrom(
    '"',
    "\\",
    "/",
    "%",
    "+",
    "&",
    ";",
    "#",
    " ",
    "[",
    "]",
    "\n",
    "\t",
    "é",
    "ß",
    "Σ",
    "İ",
    "😀",
    "\u0301",
  ),
  fc.constantFrom(..."aAzZ09xX_-."),
  fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 }),
);
const secretArb = fc.string({ unit: unitArb, minLength: 1, maxLength: 10 });
const fillerArb = fc.string({ unit: unitArb, maxLength: 12 });

const asciiJson = (s: string): string =>
  inner(s).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`);
const html = (s: string): string =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

/** The encodings a hostile server or our own logging could apply; every one must be removed. */
const ENCODINGS: ReadonlyArray<[string, (s: string) => string]> = [
  ["raw", (s) => s],
  ["upper", (s) => s.toUpperCase()],
  ["lower", (s) => s.toLowerCase()],
  ["json", inner],
  ["json²", (s) => inner(inner(s))],
  ["json³", (s) => inner(inner(inner(s)))],
  ["ascii json", asciiJson],
  ["uri", encodeURIComponent],
  ["uri²", (s) => encodeURIComponent(encodeURIComponent(s))],
  ["form", (s) => encodeURIComponent(s).replace(/%20/g, "+")],
  ["uri(json)", (s) => encodeURIComponent(JSON.stringify(s))],
  ["json(uri)", (s) => inner(encodeURIComponent(s))],
  ["html", html],
  ["html(json)", (s) => html(JSON.stringify(s))],
];

const markerSpans = (text: string): Array<[number, number]> => {
  const spans: Array<[number, number]> = [];
  for (let at = text.indexOf(R); at !== -1; at = text.indexOf(R, at + R.length)) spans.push([at, at + R.length]);
  return spans;
};

/** Where `needle` occurs in `text` outside every marker (exact, case-sensitive). */
function occurrencesOutsideMarkers(text: string, needle: string): number[] {
  const markers = markerSpans(text);
  const out: number[] = [];
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + 1)) {
    if (!markers.some(([a, b]) => a <= at && at + needle.length <= b)) out.push(at);
  }
  return out;
}

const longEnough = (s: string): boolean => Array.from(s).length >= MIN_SUBSTRING_SECRET_LENGTH;

describe("redact: properties", () => {
  it("no secret of 4+ code points survives, raw or encoded, wherever and however often it is embedded", () => {
    const pieceArb = (secrets: string[]) =>
      fc.tuple(fillerArb, fc.nat({ max: secrets.length - 1 }), fc.nat({ max: ENCODINGS.length - 1 }));
    fc.assert(
      fc.property(
        fc
          .uniqueArray(secretArb, { minLength: 1, maxLength: 4 })
          .chain((secrets) =>
            fc.tuple(fc.constant(secrets), fc.array(pieceArb(secrets), { minLength: 1, maxLength: 6 }), fillerArb),
          ),
        ([secrets, pieces, tail]) => {
          const inserted: string[] = [];
          let text = "";
          for (const [filler, which, how] of pieces) {
            const secret = secrets[which]!;
            const form = ENCODINGS[how]![1](secret);
            if (longEnough(secret)) inserted.push(form);
            text += filler + form;
          }
          text += tail;
          const out = redactWith(secrets, text);
          for (const form of inserted) expect(occurrencesOutsideMarkers(out, form)).toEqual([]);
          for (const secret of secrets.filter(longEnough)) {
            for (const [, encode] of ENCODINGS) expect(occurrencesOutsideMarkers(out, encode(secret))).toEqual([]);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("text that holds no secret, in any form, is unchanged", () => {
    // secrets use letters a-m only; the text has none of them and no hex digit, so nothing in it decodes to one
    const secretsArb = fc.uniqueArray(fc.string({ unit: fc.constantFrom(..."abcdefghijklm"), minLength: 1 }), {
      minLength: 1,
      maxLength: 5,
    });
    const textArb = fc.string({
      unit: fc.constantFrom(...'nopqrstuvwxyzNOPQRSTUVWXYZ "\\%+&#;[]{}:,.\n_-é😀'),
      maxLength: 60,
    });
    fc.assert(
      fc.property(secretsArb, textArb, (secrets, text) => {
        expect(redactWith(secrets, text)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it("is idempotent, and its output leaks nothing redact would remove", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(secretArb, { maxLength: 4 }),
        fc.string({ unit: unitArb, maxLength: 40 }),
        (secrets, text) => {
          const r = createRedactor(secrets);
          const once = r.redact(text);
          expect(r.redact(once)).toBe(once);
          expect(r.leaks(once)).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("idempotent also when secrets are built from the marker's own characters", () => {
    const markerish = fc.string({ unit: fc.constantFrom(..."[redacted] x"), minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(
        fc.uniqueArray(markerish, { maxLength: 4 }),
        fc.string({ unit: fc.constantFrom(..."[redacted] x"), maxLength: 40 }),
        (secrets, text) => {
          const r = createRedactor(secrets);
          const once = r.redact(text);
          expect(r.redact(once)).toBe(once);
          for (const s of secrets.filter(longEnough)) expect(occurrencesOutsideMarkers(once, s)).toEqual([]);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("redact: public texts (resource names) keep the short secrets inside them", () => {
  const r = createRedactor(["qa", "hunter22"], ["tenant-a/qa-viewer", "qa-admin"]);

  it("a short secret inside a resource name stays; the same secret elsewhere goes", () => {
    expect(r.redact('ClerkOrganizationMembership "tenant-a/qa-viewer": metadata costCenter is qa')).toBe(
      `ClerkOrganizationMembership "tenant-a/qa-viewer": metadata costCenter is ${REDACTED}`,
    );
    expect(r.redact("qa-admin, qa-other")).toBe(`qa-admin, ${REDACTED}-other`);
  });

  it("a long secret goes even inside a public text", () => {
    const long = createRedactor(["hunter22"], ["user-hunter22"]);
    expect(long.redact('ClerkUser "user-hunter22" failed')).toBe(`ClerkUser "user-${REDACTED}" failed`);
  });

  it("property: outside every public text a short secret never survives as a token", () => {
    fc.assert(
      fc.property(fc.constantFrom("ab", "qa", "x1"), fc.constantFrom("tenant/", "", "org-"), (secret, prefix) => {
        const name = `${prefix}${secret}-viewer`;
        const red = createRedactor([secret], [name]);
        const text = `${name} said ${secret}; ${secret}.`;
        expect(red.redact(text)).toBe(`${name} said ${REDACTED}; ${REDACTED}.`);
        expect(red.leaks(text)).toBe(true);
        expect(red.leaks(name)).toBe(false);
      }),
    );
  });
});
