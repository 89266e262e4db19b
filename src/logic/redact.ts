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
 * Rules worth knowing (decision record 0009):
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
import { publicRanges, withinAny } from "./publicTexts";
import { encodedForms, foldString, forEachView } from "./textViews";

/** What every redacted run becomes. */
export const REDACTED = "[redacted]";

/** Secrets with at least this many code points are removed everywhere; shorter ones only as whole tokens. */
export const MIN_SUBSTRING_SECRET_LENGTH = 4;

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

/**
 * Builds the redactor for a set of secret values (duplicates and empty strings are ignored). A short secret (one
 * removed only as a whole token) is kept where it lies inside one of `publics` (see publicTexts.ts).
 */
export function createRedactor(secrets: Iterable<string>, publics: Iterable<string> = []): Redactor {
  const values = [...new Set(secrets)].filter((s) => typeof s === "string" && s.length > 0);
  const open = [...new Set(publics)];
  const needles = needlesOf(values);
  const redact = (text: string): string => (needles.length === 0 ? text : fixpoint(text, needles, open));
  return {
    redact,
    redactDeep: (value) => (needles.length === 0 ? value : redactDeepWith(value, redact)),
    leaks: (text) => needles.length > 0 && spansOf(text, needles, open).length > 0,
    extend: (more) => createRedactor([...values, ...more], open),
    size: values.length,
  };
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
function spansOf(text: string, needles: readonly Needle[], publics: readonly string[]): Array<[number, number]> {
  const markers = markerStarts(text);
  // Only a short secret's match needs them: found lazily, so texts without one never scan for every name.
  let open: Array<[number, number]> | undefined;
  const spans: Array<[number, number]> = [];
  forEachView(text, (v, decoded) => {
    for (const { folded, tokenOnly, everyView } of needles) {
      if (decoded && !everyView) continue;
      for (let at = v.text.indexOf(folded); at !== -1; at = v.text.indexOf(folded, at + 1)) {
        const to = at + folded.length;
        if (tokenOnly && !standsAlone(v.text, at, to)) continue;
        const a = v.start[at]!;
        const b = v.end[to - 1]!;
        if (tokenOnly && withinAny((open ??= publicRanges(text, publics)), a, b)) continue;
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
function pass(text: string, needles: readonly Needle[], publics: readonly string[]): string {
  const spans = spansOf(text, needles, publics);
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
function fixpoint(text: string, needles: readonly Needle[], publics: readonly string[]): string {
  let current = text;
  for (let i = 0; i < MAX_PASSES; i++) {
    const next = pass(current, needles, publics);
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
