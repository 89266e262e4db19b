import { createHash } from "node:crypto";
import { MIN_SUBSTRING_SECRET_LENGTH, REDACTED } from "../../src/logic/redact";

/**
 * A test oracle for "no secret ever leaks": given the secret values, scan anything a test captured (strings,
 * objects, errors, Buffers, stdout and stderr, log lines, state JSON, Clerk's request log) and report every
 * place a secret occurs, in any of the forms it could be printed in.
 *
 * Independent of the redactor on purpose (it shares only the marker and the short-secret rule): it spells out
 * each encoded form and searches for it with a case-insensitive regular expression, where the redactor decodes
 * the text. A bug in one is unlikely to be the same bug in the other.
 *
 * Failure messages never contain a secret: secrets appear by label and a SHA-256 prefix, and the context
 * printed around each hit has every secret occurrence it touches replaced by `‹label›`.
 *
 * ```ts
 * expectNoSecrets({ password: PW, totpSecret: TOTP, clerkKey: clerk.secretKey }, {
 *   stderr: host.stderr(), stdout: host.stdout(), state: engine.snapshot(), failures: result.failures,
 * });
 * ```
 */

/** Secret values, either labelled (`{ password: "…", backupCodes: ["…", "…"] }`) or as a plain list. */
export type SecretSet = Iterable<string> | Readonly<Record<string, string | readonly string[]>>;

export interface SecretScanOptions {
  /**
   * Secrets shorter than this many code points count only where they stand as whole tokens (no letter, digit,
   * mark or underscore touching them). Default: the redactor's rule, {@link MIN_SUBSTRING_SECRET_LENGTH}.
   */
  minSubstringLength?: number;
}

export interface SecretLeak {
  /** The secret, never by value: `password (sha256:1a2b3c4d5e, 14 chars)`. */
  secret: string;
  /** How it was spelled: `raw`, `json`, `json²`, `url`, `form`, `html`, `base64`, ... (matched ignoring case). */
  form: string;
  /** Where: the source name and the path inside it (`state.resources[2].outputs.longMessage`, `stderr`). */
  where: string;
  /** Code-unit offset of the hit in that string. */
  offset: number;
  /** Up to 40 characters either side, every secret occurrence in it masked as `‹label›`; JSON-quoted. */
  context: string;
}

interface Secret {
  label: string;
  value: string;
  tokenOnly: boolean;
  patterns: Array<{ form: string; regex: RegExp }>;
}

const inner = (s: string): string => JSON.stringify(s).slice(1, -1);
const html = (s: string): string =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

/** Every spelling a secret could be printed in. Each is matched ignoring case (hex digits included). */
const FORMS: ReadonlyArray<[string, (s: string) => string]> = [
  ["raw", (s) => s],
  ["NFC", (s) => s.normalize("NFC")],
  ["NFD", (s) => s.normalize("NFD")],
  ["json", inner],
  ["json²", (s) => inner(inner(s))],
  ["json³", (s) => inner(inner(inner(s)))],
  [
    "ascii json",
    (s) => inner(s).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`),
  ],
  ["url", encodeURIComponent],
  ["url²", (s) => encodeURIComponent(encodeURIComponent(s))],
  ["form", (s) => encodeURIComponent(s).replace(/%20/g, "+")],
  ["url(json)", (s) => encodeURIComponent(inner(s))],
  ["html", html],
  // unpadded, so padded and unpadded text both match; only these two are matched with case
  ["base64", (s) => Buffer.from(s, "utf8").toString("base64").replace(/=+$/, "")],
  ["base64url", (s) => Buffer.from(s, "utf8").toString("base64url")],
];
const CASE_SENSITIVE_FORMS = new Set(["base64", "base64url"]);

const escapeRegExp = (s: string): string => s.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
const WORD = "[\\p{L}\\p{N}\\p{M}_]";

/** `sha256:` and the first 10 hex digits: enough to tell secrets apart in a report, useless to recover one. */
export const fingerprint = (value: string): string =>
  `sha256:${createHash("sha256").update(value, "utf8").digest("hex").slice(0, 10)}`;

function secretsOf(set: SecretSet, minSubstringLength: number): Secret[] {
  const entries: Array<[string, string]> = [];
  if (typeof (set as Iterable<string>)[Symbol.iterator] === "function") {
    let i = 0;
    for (const value of set as Iterable<string>) entries.push([`#${++i}`, value]);
  } else {
    for (const [name, v] of Object.entries(set as Record<string, string | readonly string[]>)) {
      if (typeof v === "string") entries.push([name, v]);
      else v.forEach((value, i) => entries.push([`${name}[${i}]`, value]));
    }
  }
  const seen = new Set<string>();
  const out: Secret[] = [];
  for (const [name, value] of entries) {
    if (value.length === 0 || seen.has(value)) continue;
    seen.add(value);
    const tokenOnly = Array.from(value).length < minSubstringLength;
    const spelled = new Map<string, string>();
    for (const [form, encode] of FORMS) {
      let text: string;
      try {
        text = encode(value);
      } catch {
        continue; // a lone surrogate has no URL form
      }
      if (!spelled.has(text)) spelled.set(text, form);
    }
    out.push({
      label: `${name} (${fingerprint(value)}, ${Array.from(value).length} chars)`,
      value,
      tokenOnly,
      patterns: [...spelled].map(([text, form]) => ({
        form,
        regex: new RegExp(
          tokenOnly ? `(?<!${WORD})${escapeRegExp(text)}(?!${WORD})` : escapeRegExp(text),
          CASE_SENSITIVE_FORMS.has(form) ? "gu" : "giu",
        ),
      })),
    });
  }
  return out;
}

interface Hit {
  secret: Secret;
  form: string;
  start: number;
  end: number;
}

function markers(text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (let at = text.indexOf(REDACTED); at !== -1; at = text.indexOf(REDACTED, at + REDACTED.length))
    spans.push([at, at + REDACTED.length]);
  return spans;
}

function hitsIn(text: string, secrets: readonly Secret[]): Hit[] {
  const masked = markers(text);
  const hits: Hit[] = [];
  for (const secret of secrets) {
    for (const { form, regex } of secret.patterns) {
      regex.lastIndex = 0;
      for (let m = regex.exec(text); m !== null; m = regex.exec(text)) {
        const start = m.index;
        const end = start + m[0].length;
        regex.lastIndex = start + ((text.codePointAt(start) ?? 0) > 0xffff ? 2 : 1); // overlapping hits too
        if (!masked.some(([a, b]) => a <= start && end <= b)) hits.push({ secret, form, start, end });
      }
    }
  }
  hits.sort((x, y) => x.start - y.start || y.end - x.end);
  // one report per secret and place: the longest spelling found there
  const reported = new Set<string>();
  return hits.filter((h) => {
    const key = `${h.secret.label}@${h.start}`;
    return reported.has(key) ? false : (reported.add(key), true);
  });
}

/** Context around a hit, widened so no hit is cut in half, with every hit in it masked. */
function contextOf(text: string, hit: Hit, hits: readonly Hit[]): string {
  let from = Math.max(0, hit.start - 40);
  let to = Math.min(text.length, hit.end + 40);
  for (let changed = true; changed;) {
    changed = false;
    for (const h of hits) {
      if (h.start < from && h.end > from) [from, changed] = [h.start, true];
      if (h.start < to && h.end > to) [to, changed] = [h.end, true];
    }
  }
  let out = "";
  let cursor = from;
  for (const h of hits) {
    if (h.end <= cursor || h.start >= to) continue;
    out += text.slice(cursor, Math.max(cursor, h.start)) + `‹${h.secret.label.split(" ")[0]}›`;
    cursor = Math.max(cursor, h.end);
  }
  out += text.slice(cursor, to);
  return JSON.stringify((from > 0 ? "…" : "") + out + (to < text.length ? "…" : ""));
}

/** Calls `visit(path, text)` for every string in `value`: leaves, object keys, Error fields, decoded Buffers. */
function walk(
  value: unknown,
  where: string,
  visit: (where: string, text: string) => void,
  printable: (key: string) => boolean,
): void {
  const seen = new Set<object>();
  const go = (v: unknown, at: string): void => {
    if (typeof v === "string") return visit(at, v);
    if (typeof v === "number" || typeof v === "bigint") return visit(at, String(v));
    if (typeof v !== "object" || v === null) return;
    if (seen.has(v)) return;
    seen.add(v);
    if (ArrayBuffer.isView(v)) return visit(at, Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("utf8"));
    if (Array.isArray(v)) return v.forEach((x, i) => go(x, `${at}[${i}]`));
    if (v instanceof Map) {
      [...v].forEach(([k, x], i) => {
        go(k, `${at}.<map key #${i}>`);
        go(x, `${at}.<map value #${i}>`);
      });
      return;
    }
    if (v instanceof Set) return [...v].forEach((x, i) => go(x, `${at}.<item ${i}>`));
    // own keys, enumerable or not: an Error's message, stack and cause are not enumerable
    Reflect.ownKeys(v).forEach((key, index) => {
      if (typeof key === "symbol") return;
      // a key can be a secret itself: it is scanned, and named in paths only when it is a plain identifier
      visit(`${at}.<key #${index}>`, key);
      const path = /^[A-Za-z_$][\w$]{0,31}$/.test(key) && printable(key) ? `${at}.${key}` : `${at}[<key #${index}>]`;
      let x: unknown;
      try {
        x = (v as Record<string, unknown>)[key];
      } catch {
        return; // a throwing getter holds nothing
      }
      go(x, path);
    });
  };
  go(value, where);
}

/** Every occurrence of every secret in the named sources (empty when clean). */
export function scanForSecrets(
  secrets: SecretSet,
  sources: Readonly<Record<string, unknown>>,
  options: SecretScanOptions = {},
): SecretLeak[] {
  const list = secretsOf(secrets, options.minSubstringLength ?? MIN_SUBSTRING_SECRET_LENGTH);
  const leaks: SecretLeak[] = [];
  for (const [name, value] of Object.entries(sources)) {
    const printable = (key: string): boolean => hitsIn(key, list).length === 0;
    walk(
      value,
      name,
      (where, text) => {
        const hits = hitsIn(text, list);
        for (const hit of hits) {
          leaks.push({
            secret: hit.secret.label,
            form: hit.form,
            where,
            offset: hit.start,
            context: contextOf(text, hit, hits),
          });
        }
      },
      printable,
    );
  }
  return leaks;
}

/** A readable report of leaks; safe to print (no secret in it). */
export function formatLeaks(leaks: readonly SecretLeak[]): string {
  return (
    `${leaks.length} secret occurrence${leaks.length === 1 ? "" : "s"} found ` +
    `(secrets shown by label and hash, never by value):\n` +
    leaks.map((l) => `  - ${l.where} @${l.offset}: ${l.secret} as ${l.form}: ${l.context}`).join("\n")
  );
}

/** Throws (a plain Error, so any test runner reports it) listing every leak; passes when there is none. */
export function expectNoSecrets(
  secrets: SecretSet,
  sources: Readonly<Record<string, unknown>>,
  options: SecretScanOptions = {},
): void {
  const leaks = scanForSecrets(secrets, sources, options);
  if (leaks.length > 0) throw new Error(formatLeaks(leaks));
}
