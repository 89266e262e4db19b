/**
 * The one redactor for every text that leaves the provider, the sweeper and the root program (errors,
 * warnings, retry log lines, check failures). Pure: no I/O, no clock, no randomness.
 *
 * What it removes: every occurrence of every secret value, in any of these forms and any mix of them:
 * - raw, in any letter case (simple case folding both ways, so `ß`/`SS` and `Σ`/`σ`/`ς` meet);
 * - JSON/JavaScript string escapes (`\"`, `\\`, `\n`, `\u00e9`, `\u{1F600}`, `\x41`), nested up to three levels
 *   (a message inside a JSON error inside a JSON log line);
 * - URL percent-encoding (UTF-8 `%C3%A9`, any hex case, double-encoded `%2541`) and form encoding (`+` for space);
 * - HTML character references (`&quot;`, `&#34;`, `&#x22;`);
 * - the NFC, NFD, NFKC and NFKD normalisations of the secret, and the secret without surrounding whitespace.
 *
 * How: the text is decoded into "views" (every chain of up to three decoders), each view character remembering
 * which span of the original text it came from. Every occurrence of every secret in every view is mapped back
 * to its original span; the union of those spans is replaced, one `[redacted]` per run. Because spans are
 * unioned, overlapping or nested secrets cannot leave fragments, whatever their order. The secret's own
 * encodings (one or two deep: JSON, ASCII-only JSON, URL, form, HTML) are also searched in the text as given,
 * so a stray `%` or `\` just before an encoded echo cannot throw the decoders off.
 *
 * Rules worth knowing (decision record 0007):
 * - Secrets of {@link MIN_SUBSTRING_SECRET_LENGTH} code points or more are removed wherever they occur, even
 *   inside a longer word. Shorter secrets (`"ab"`, a PIN digit, a one-letter metadata value) are removed only as
 *   whole tokens: where no letter, digit, mark or underscore touches them (in the decoded view, so the `n` of an
 *   escaped `\n` does not count). Removing `"a"` from inside every word would shred every message.
 * - The empty string is not a value anything can leak; it is skipped.
 * - The marker `[redacted]` is never itself redacted: a secret that is part of the marker's text (`"dact"`)
 *   is removed everywhere except inside markers, which are constant and reveal nothing.
 * - The result is a fixpoint: `redact(redact(t)) === redact(t)`, and no secret spans a marker's edge.
 * - Over-redaction is the price of safety: a secret `"user"` also turns `username` into `[redacted]name`.
 * - Not detected: transformed echoes (truncated, hashed, reversed, base64, split across lines).
 */

/** What every redacted run becomes. */
export const REDACTED = "[redacted]";

/** Secrets with at least this many code points are removed everywhere; shorter ones only as whole tokens. */
export const MIN_SUBSTRING_SECRET_LENGTH = 4;

/** Decoders chained per view: `\u0022` inside `%5Cu0022` inside `&amp;...` is three levels. */
const MAX_DECODE_DEPTH = 3;

/** Each pass strictly shrinks the text outside markers, so this is never reached on real input; a safe stop. */
const MAX_PASSES = 100;

export interface Redactor {
  /** `text` with every secret removed (see the module comment for the forms). */
  redact(text: string): string;
  /**
   * A copy of `value` with every string redacted: array items, object keys and values, Map and Set entries,
   * Error `message`/`stack`/`cause` and other own properties (getters are read once, into plain values).
   * A number or bigint whose digits contain a secret becomes the string `[redacted]`. Prototypes are kept,
   * so a redacted Error is still an Error; shared and cyclic references are kept as such.
   */
  redactDeep(value: unknown): unknown;
  /** True if `text` holds a secret that `redact` would remove. */
  leaks(text: string): boolean;
  /** A redactor for these secrets plus `more`. */
  extend(more: Iterable<string>): Redactor;
  /** How many distinct non-empty secrets it removes. */
  readonly size: number;
}

interface Needle {
  /** The folded form searched for. */
  folded: string;
  /** Removed only where it stands as a whole token. */
  tokenOnly: boolean;
  /**
   * Searched in every decoded view (the secret itself), or only in the text as given (an encoded form: found
   * even where a stray `%` or `\` just before it throws the decoders off its alignment).
   */
  everyView: boolean;
}

/** Builds the redactor for a set of secret values (duplicates and empty strings are ignored). */
export function createRedactor(secrets: Iterable<string>): Redactor {
  const values = [...new Set(secrets)].filter((s) => typeof s === "string" && s.length > 0);
  const needles = needlesOf(values);
  const redact = (text: string): string => (needles.length === 0 ? text : fixpoint(text, needles));
  return {
    redact,
    redactDeep: (value) => (needles.length === 0 ? value : redactDeepWith(value, redact)),
    leaks: (text) => needles.length > 0 && spansOf(text, needles).length > 0,
    extend: (more) => createRedactor([...values, ...more]),
    size: values.length,
  };
}

/**
 * Every string a secret input can be echoed as: its string leaves (backup code lists, private metadata values),
 * the decimal form of its number and bigint leaves (a PIN is a secret too), valid Dates as ISO strings, and the
 * compact JSON serialisation of every non-empty object and array in it (an echo of the whole value). Booleans and null are
 * not collected: one bit reveals nothing, and redacting every `true` would shred messages. Object keys are
 * names, not values, and are not collected either. Never throws: cycles, BigInt and other non-JSON values are
 * walked, not serialised blindly.
 */
export function secretStringsOf(value: unknown): string[] {
  const out = new Set<string>();
  const seen = new Set<object>();
  const visit = (v: unknown): void => {
    if (typeof v === "string") out.add(v);
    else if (typeof v === "number") {
      if (Number.isFinite(v)) out.add(String(v));
    } else if (typeof v === "bigint") out.add(String(v));
    else if (typeof v === "object" && v !== null) {
      if (seen.has(v)) return;
      seen.add(v);
      if (v instanceof Date) {
        if (!Number.isNaN(v.getTime())) out.add(v.toISOString());
        return;
      }
      if (v instanceof String || v instanceof Number || v instanceof BigInt) return visit(v.valueOf());
      if (v instanceof Map || v instanceof Set) return v.forEach((x: unknown) => visit(x)); // their JSON is "{}"
      const json = safeStringify(v);
      if (json !== undefined && json !== "{}" && json !== "[]") out.add(json); // empty ones reveal nothing
      if (Array.isArray(v)) v.forEach(visit);
      else for (const key of Object.keys(v)) visit((v as Record<string, unknown>)[key]);
    }
  };
  visit(value);
  out.delete("");
  return [...out];
}

function safeStringify(v: object): string | undefined {
  try {
    const json = JSON.stringify(v);
    return typeof json === "string" ? json : undefined;
  } catch {
    return undefined; // a cycle or a BigInt: the leaves still count
  }
}

// ---- needles ----

const codePoints = (s: string): number => Array.from(s).length;

function needlesOf(values: readonly string[]): Needle[] {
  const byFold = new Map<string, Needle>();
  const add = (text: string, tokenOnly: boolean, everyView: boolean): void => {
    const folded = foldString(text);
    const had = byFold.get(folded);
    // the same folded text twice: the stricter rules win (remove everywhere, search every view)
    byFold.set(folded, {
      folded,
      tokenOnly: (had?.tokenOnly ?? true) && tokenOnly,
      everyView: (had?.everyView ?? false) || everyView,
    });
  };
  for (const secret of values) {
    const short = codePoints(secret) < MIN_SUBSTRING_SECRET_LENGTH;
    const variants = new Set([
      secret,
      secret.normalize("NFC"),
      secret.normalize("NFD"),
      secret.normalize("NFKC"),
      secret.normalize("NFKD"),
      secret.trim(),
    ]);
    for (const variant of variants) {
      if (variant.length === 0) continue;
      const tokenOnly = short || codePoints(variant) < MIN_SUBSTRING_SECRET_LENGTH;
      add(variant, tokenOnly, true);
      for (const form of encodedForms(variant)) add(form, tokenOnly, false);
    }
  }
  return [...byFold.values()];
}

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

function encodedForms(secret: string): Set<string> {
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

function foldCodePoint(ch: string): string {
  if (ch.length === 1) {
    const c = ch.charCodeAt(0);
    if (c < 0x80) return c >= 0x41 && c <= 0x5a ? String.fromCharCode(c + 32) : ch;
  }
  return ch.toUpperCase().toLowerCase();
}

function foldString(s: string): string {
  let out = "";
  for (const ch of s) out += foldCodePoint(ch);
  return out;
}

// ---- views: decoded text with a map back to the original ----

/** A decoded (or folded) copy of the text; code unit `i` came from original span `[start[i], end[i])`. */
interface View {
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
function forEachView(text: string, visit: (v: View, decoded: boolean) => void): void {
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

const WORDISH = /[\p{L}\p{N}\p{M}_]/u;

function codePointBefore(t: string, i: number): string {
  if (i <= 0) return "";
  const low = t.charCodeAt(i - 1);
  if (low >= 0xdc00 && low <= 0xdfff && i >= 2) {
    const high = t.charCodeAt(i - 2);
    if (high >= 0xd800 && high <= 0xdbff) return t.slice(i - 2, i);
  }
  return t[i - 1]!;
}

function codePointAtIndex(t: string, i: number): string {
  if (i >= t.length) return "";
  return String.fromCodePoint(t.codePointAt(i)!);
}

const standsAlone = (t: string, from: number, to: number): boolean =>
  !WORDISH.test(codePointBefore(t, from)) && !WORDISH.test(codePointAtIndex(t, to));

/** Original-text spans `[start, end)` of every secret occurrence, in every view. */
function spansOf(text: string, needles: readonly Needle[]): Array<[number, number]> {
  const markers = markerStarts(text);
  const spans: Array<[number, number]> = [];
  forEachView(text, (v, decoded) => {
    for (const { folded, tokenOnly, everyView } of needles) {
      if (decoded && !everyView) continue;
      for (let at = v.text.indexOf(folded); at !== -1; at = v.text.indexOf(folded, at + 1)) {
        const to = at + folded.length;
        if (tokenOnly && !standsAlone(v.text, at, to)) continue;
        const a = v.start[at]!;
        const b = v.end[to - 1]!;
        if (!insideMarker(markers, a, b)) spans.push(coverMarkers(markers, a, b));
      }
    }
  });
  return spans;
}

function markerStarts(text: string): Set<number> {
  const starts = new Set<number>();
  for (let at = text.indexOf(REDACTED); at !== -1; at = text.indexOf(REDACTED, at + REDACTED.length)) starts.add(at);
  return starts;
}

function insideMarker(markers: Set<number>, a: number, b: number): boolean {
  if (markers.size === 0 || b - a > REDACTED.length) return false;
  for (let m = Math.max(0, b - REDACTED.length); m <= a; m++) if (markers.has(m)) return true;
  return false;
}

/** A span that cuts into a marker takes the whole marker, so no marker fragment is left behind. */
function coverMarkers(markers: Set<number>, a: number, b: number): [number, number] {
  if (markers.size === 0) return [a, b];
  let from = a;
  let to = b;
  for (let m = a - REDACTED.length + 1; m <= a; m++) if (markers.has(m)) from = Math.min(from, m);
  for (let m = b - REDACTED.length; m < b; m++) if (markers.has(m)) to = Math.max(to, m + REDACTED.length);
  return [from, to];
}

/** One pass: every span (outside markers) replaced, touching or overlapping spans merged into one marker. */
function pass(text: string, needles: readonly Needle[]): string {
  const spans = spansOf(text, needles);
  if (spans.length === 0) return text;
  spans.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let out = "";
  let cursor = 0;
  let runStart = spans[0]![0];
  let runEnd = spans[0]![1];
  const flush = (): void => {
    out += text.slice(cursor, runStart) + REDACTED;
    cursor = runEnd;
  };
  for (const [a, b] of spans.slice(1)) {
    if (a <= runEnd) runEnd = Math.max(runEnd, b);
    else {
      flush();
      runStart = a;
      runEnd = b;
    }
  }
  flush();
  return out + text.slice(cursor);
}

/**
 * Passes until nothing changes. A pass can expose a new occurrence only across a marker's edge (a secret
 * containing `[` or `]`) or a short secret whose neighbour was just replaced; each such pass removes text
 * outside markers or merges markers, so this ends. The stop is a safeguard: it returns only a marker.
 */
function fixpoint(text: string, needles: readonly Needle[]): string {
  let current = text;
  for (let i = 0; i < MAX_PASSES; i++) {
    const next = pass(current, needles);
    if (next === current) return current;
    current = next;
  }
  return REDACTED;
}

// ---- deep ----

function redactDeepWith(value: unknown, redact: (text: string) => string): unknown {
  const copies = new Map<object, unknown>();
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return redact(v);
    if (typeof v === "number" || typeof v === "bigint") {
      const s = String(v);
      return redact(s) === s ? v : REDACTED;
    }
    if (typeof v !== "object" || v === null) return v; // boolean, undefined, symbol, function
    if (copies.has(v)) return copies.get(v);
    if (v instanceof Date) return v;
    if (ArrayBuffer.isView(v)) {
      const bytes = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
      const text = Buffer.from(bytes).toString("latin1");
      const utf8 = Buffer.from(bytes).toString("utf8");
      return redact(text) === text && redact(utf8) === utf8 ? v : REDACTED;
    }
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      copies.set(v, out);
      for (const item of v) out.push(walk(item));
      return out;
    }
    if (v instanceof Map) {
      const out = new Map<unknown, unknown>();
      copies.set(v, out);
      for (const [k, x] of v) out.set(walk(k), walk(x));
      return out;
    }
    if (v instanceof Set) {
      const out = new Set<unknown>();
      copies.set(v, out);
      for (const x of v) out.add(walk(x));
      return out;
    }
    const out = Object.create(Object.getPrototypeOf(v) as object | null) as Record<PropertyKey, unknown>;
    copies.set(v, out);
    for (const key of Reflect.ownKeys(v)) {
      const desc = Object.getOwnPropertyDescriptor(v, key)!;
      let raw: unknown;
      try {
        raw = "value" in desc ? desc.value : Reflect.get(v, key);
      } catch {
        continue; // a throwing getter has nothing to leak
      }
      const base: PropertyKey = typeof key === "string" ? redact(key) : key;
      let name = base;
      // two keys redacted to the same text: keep both values
      for (let n = 2; Object.prototype.hasOwnProperty.call(out, name); n++) name = `${String(base)}#${n}`;
      Object.defineProperty(out, name, {
        value: walk(raw),
        enumerable: desc.enumerable ?? false,
        writable: true,
        configurable: true,
      });
    }
    return out;
  };
  return walk(value);
}
