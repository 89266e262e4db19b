/**
 * Text from Clerk (marker fields, emails, error messages) or from the command line, made safe to print on a
 * terminal: every control character (C0, DEL, C1, so newlines and ANSI escapes too), line/paragraph separators
 * and bidirectional overrides become visible escapes, and `\` itself is doubled, so the escaping is reversible
 * and two different values never print alike. A newline in a marker's name can no longer forge a table row.
 */
const UNSAFE = /[\\\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

const NAMED: Readonly<Record<string, string>> = {
  "\\": "\\\\",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\u001b": "\\e",
};

/** `text` with every unsafe character escaped (`\n`, `\e`, `\x07`, `\u202e`, `\\`). Pure. */
export function escapeText(text: string): string {
  return text.replace(UNSAFE, (ch) => {
    const named = NAMED[ch];
    if (named !== undefined) return named;
    const code = ch.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}
