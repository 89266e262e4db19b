/**
 * Views of a text for the redactor: the text itself folded (case, Unicode normalisation), and the copies one to
 * three decoding levels deep (JSON / JavaScript escapes, URL and form encoding, HTML references), each mapping
 * its code units back to spans of the original. Also the encodings of a secret a server may echo.
 */

/** Decoders chained per view: `\u0022` inside `%5Cu0022` inside `&amp;...` is three levels. */
const MAX_DECODE_DEPTH = 3;

const jsonInner = (s: string): string => JSON.stringify(s).slice(1, -1);

/** The encoders a server or a logger may apply, one or two deep (`encodeURIComponent(JSON...)`). */
const ENCODERS: ReadonlyArray<(s: string) => string> = [
  jsonInner,
  (s) => jsonInner(jsonInner(s)),
  (s) => jsonInner(jsonInner(jsonInner(s))),
  (s) => jsonInner(s).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`),
  encodeURIComponent,
  (s) => encodeURIComponent(s).replace(/%20/g, "+"),
  (s) =>
    s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;"),
];

export function encodedForms(secret: string): Set<string> {
  const encode = (e: (s: string) => string, s: string): string | undefined => {
    try {
      return e(s);
    } catch {
      return undefined; // encodeURIComponent of a lone surrogate: no such form exists
    }
  };
  const out = new Set<string>();
  for (const first of ENCODERS) {
    const once = encode(first, secret);
    if (once === undefined) continue;
    out.add(once);
    for (const second of ENCODERS) {
      const twice = encode(second, once);
      if (twice !== undefined) out.add(twice);
    }
  }
  out.delete(secret);
  return out;
}

// ---- case folding (per code point, length may change: ß → ss) ----

export function foldCodePoint(ch: string): string {
  if (ch.length === 1) {
    const c = ch.charCodeAt(0);
    if (c < 0x80) return c >= 0x41 && c <= 0x5a ? String.fromCharCode(c + 32) : ch;
  }
  return ch.toUpperCase().toLowerCase();
}

export function foldString(s: string): string {
  let out = "";
  for (const ch of s) out += foldCodePoint(ch);
  return out;
}

// ---- views: decoded text with a map back to the original ----

/** A decoded (or folded) copy of the text; code unit `i` came from original span `[start[i], end[i])`. */
export interface View {
  text: string;
  start: Int32Array;
  end: Int32Array;
}

function identityView(text: string): View {
  const start = new Int32Array(text.length);
  const end = new Int32Array(text.length);
  for (let i = 0; i < text.length; i++) {
    start[i] = i;
    end[i] = i + 1;
  }
  return { text, start, end };
}

class ViewBuilder {
  private readonly parts: string[] = [];
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  changed = false;

  constructor(private readonly parent: View) {}

  /** `out` stands for the parent's code units `[from, to)`. */
  emit(out: string, from: number, to: number): void {
    const a = this.parent.start[from]!;
    const b = this.parent.end[to - 1]!;
    this.parts.push(out);
    for (let k = 0; k < out.length; k++) {
      this.starts.push(a);
      this.ends.push(b);
    }
  }

  /** Copies parent code unit `i` unchanged. */
  keep(i: number): void {
    this.parts.push(this.parent.text[i]!);
    this.starts.push(this.parent.start[i]!);
    this.ends.push(this.parent.end[i]!);
  }

  build(): View | undefined {
    if (!this.changed) return undefined;
    return { text: this.parts.join(""), start: Int32Array.from(this.starts), end: Int32Array.from(this.ends) };
  }
}

const HEX = /^[0-9a-fA-F]+$/;
const hexAt = (t: string, i: number, n: number): number | undefined => {
  const s = t.slice(i, i + n);
  return s.length === n && HEX.test(s) ? parseInt(s, 16) : undefined;
};

const SIMPLE_ESCAPES: Record<string, string> = {
  '"': '"',
  "'": "'",
  "\\": "\\",
  "/": "/",
  "`": "`",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
  "0": "\0",
};

/** One level of JSON / JavaScript string escapes. */
function decodeBackslash(v: View): View | undefined {
  const t = v.text;
  if (!t.includes("\\")) return undefined;
  const b = new ViewBuilder(v);
  for (let i = 0; i < t.length; i++) {
    if (t[i] !== "\\" || i + 1 >= t.length) {
      b.keep(i);
      continue;
    }
    const next = t[i + 1]!;
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      b.emit(simple, i, i + 2);
      b.changed = true;
      i += 1;
      continue;
    }
    if (next === "u" && t[i + 2] === "{") {
      const close = t.indexOf("}", i + 3);
      const cp = close > i + 3 && close <= i + 9 ? hexAt(t, i + 3, close - i - 3) : undefined;
      if (cp !== undefined && cp <= 0x10ffff) {
        b.emit(String.fromCodePoint(cp), i, close + 1);
        b.changed = true;
        i = close;
        continue;
      }
    } else if (next === "u" || next === "x") {
      const n = next === "u" ? 4 : 2;
      const unit = hexAt(t, i + 2, n);
      if (unit !== undefined) {
        b.emit(String.fromCharCode(unit), i, i + 2 + n);
        b.changed = true;
        i += 1 + n;
        continue;
      }
    }
    b.keep(i);
  }
  return b.build();
}

/** UTF-8 sequence length for a lead byte, or 0 if it cannot start one. */
const utf8Length = (lead: number): number =>
  lead < 0x80
    ? 1
    : lead >= 0xc2 && lead <= 0xdf
      ? 2
      : lead >= 0xe0 && lead <= 0xef
        ? 3
        : lead >= 0xf0 && lead <= 0xf4
          ? 4
          : 0;

/** One level of URL percent-decoding (UTF-8); with `plusIsSpace`, form decoding. */
function decodePercent(v: View, plusIsSpace: boolean): View | undefined {
  const t = v.text;
  // without a `+`, form decoding is percent decoding: that view is already walked
  if (plusIsSpace ? !t.includes("+") : !t.includes("%")) return undefined;
  const b = new ViewBuilder(v);
  const byteAt = (i: number): number | undefined => (t[i] === "%" ? hexAt(t, i + 1, 2) : undefined);
  for (let i = 0; i < t.length; i++) {
    if (plusIsSpace && t[i] === "+") {
      b.emit(" ", i, i + 1);
      b.changed = true;
      continue;
    }
    const lead = byteAt(i);
    if (lead === undefined) {
      b.keep(i);
      continue;
    }
    const n = utf8Length(lead);
    let cp = n === 1 ? lead : n === 2 ? lead & 0x1f : n === 3 ? lead & 0x0f : lead & 0x07;
    let ok = n > 0;
    for (let k = 1; ok && k < n; k++) {
      const cont = byteAt(i + 3 * k);
      if (cont === undefined || (cont & 0xc0) !== 0x80) ok = false;
      else cp = (cp << 6) | (cont & 0x3f);
    }
    const minimum = [0, 0, 0x80, 0x800, 0x10000][n] ?? 0;
    if (ok && cp >= minimum && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff)) {
      b.emit(String.fromCodePoint(cp), i, i + 3 * n);
      b.changed = true;
      i += 3 * n - 1;
    } else b.keep(i);
  }
  return b.build();
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: "\u00a0",
};
const ENTITY = /&(?:#[xX]([0-9a-fA-F]{1,6})|#([0-9]{1,7})|([a-zA-Z]{2,4}));/y;

/** HTML character references. */
function decodeEntities(v: View): View | undefined {
  const t = v.text;
  if (!t.includes("&")) return undefined;
  const b = new ViewBuilder(v);
  for (let i = 0; i < t.length; i++) {
    if (t[i] === "&") {
      ENTITY.lastIndex = i;
      const m = ENTITY.exec(t);
      if (m) {
        const cp = m[1] !== undefined ? parseInt(m[1], 16) : m[2] !== undefined ? parseInt(m[2], 10) : undefined;
        const out =
          cp !== undefined
            ? cp <= 0x10ffff
              ? String.fromCodePoint(cp)
              : undefined
            : NAMED_ENTITIES[m[3]!.toLowerCase()];
        if (out !== undefined) {
          b.emit(out, i, i + m[0].length);
          b.changed = true;
          i += m[0].length - 1;
          continue;
        }
      }
    }
    b.keep(i);
  }
  return b.build();
}

const DECODERS: ReadonlyArray<(v: View) => View | undefined> = [
  decodeBackslash,
  (v) => decodePercent(v, false),
  (v) => decodePercent(v, true),
  decodeEntities,
];

function foldView(v: View): View {
  const t = v.text;
  if (/^[\x00-\x40\x5b-\x7f]*$/.test(t)) return v; // no upper-case ASCII and nothing beyond: folding is a no-op
  const b = new ViewBuilder(v);
  for (let i = 0; i < t.length;) {
    const cp = t.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    b.emit(foldCodePoint(t.slice(i, i + width)), i, i + width);
    i += width;
  }
  b.changed = true;
  return b.build()!;
}

/** Calls `visit` with the folded form of the text and of every decoding chain (up to MAX_DECODE_DEPTH). */
export function forEachView(text: string, visit: (v: View, decoded: boolean) => void): void {
  const walk = (v: View, depth: number): void => {
    visit(foldView(v), depth > 0);
    if (depth === MAX_DECODE_DEPTH) return;
    for (const decode of DECODERS) {
      const next = decode(v);
      if (next !== undefined) walk(next, depth + 1);
    }
  };
  walk(identityView(text), 0);
}

// ---- matching ----
