/**
 * The three identifier lists (emails, phones, web3 wallets): their formats and how two spellings are judged
 * to be the same identifier. Emails and wallets compare case-insensitively (Clerk matches emails that way and
 * wallet hex case is only an EIP-55 checksum); phones are E.164 and compare exactly.
 */
export type IdentifierKind = "email" | "phone" | "web3";

/** Pragmatic address shape: one `@`, no whitespace, a dotted domain. Clerk applies RFC 5322 itself. */
export const EMAIL_PATTERN = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/;
/** E.164: `+`, a non-zero country digit, at most 15 digits in all. */
export const PHONE_PATTERN = /^\+[1-9]\d{1,14}$/;
/** An Ethereum address: `0x` and 40 hex digits. */
export const WEB3_PATTERN = /^0x[0-9a-fA-F]{40}$/;

export const IDENTIFIER_PATTERNS: Record<IdentifierKind, RegExp> = {
  email: EMAIL_PATTERN,
  phone: PHONE_PATTERN,
  web3: WEB3_PATTERN,
};

/** The key under which two spellings of one identifier collide. */
export function identifierKey(kind: IdentifierKind, value: string): string {
  return kind === "phone" ? value : value.toLowerCase();
}

/**
 * Declared identifiers compare equal when the first (primary) is the same and the rest form the same set.
 * The primary is compared exactly when `exactPrimary` (a case-only change to the primary email is shown,
 * and then reconciled with no Clerk call). Absent and empty are the same.
 */
export function sameIdentifiers(
  kind: IdentifierKind,
  a: readonly string[] | undefined,
  b: readonly string[] | undefined,
  exactPrimary: boolean,
): boolean {
  const left = a ?? [];
  const right = b ?? [];
  if (left.length === 0 || right.length === 0) return left.length === right.length;
  const [pa, pb] = [left[0] as string, right[0] as string];
  if (exactPrimary ? pa !== pb : identifierKey(kind, pa) !== identifierKey(kind, pb)) return false;
  const restA = new Set(left.slice(1).map((v) => identifierKey(kind, v)));
  const restB = new Set(right.slice(1).map((v) => identifierKey(kind, v)));
  return restA.size === restB.size && [...restA].every((k) => restB.has(k));
}

/**
 * True when `held` has the declared primary first (exactly, for emails) and every other declared identifier:
 * what an adopted user's declared list requires, whatever else the user holds.
 */
export function holdsIdentifiers(
  kind: IdentifierKind,
  held: readonly string[] | undefined,
  declared: readonly string[] | undefined,
): boolean {
  const want = declared ?? [];
  const have = held ?? [];
  if (want.length === 0) return true;
  const primary = want[0] as string;
  if (
    have.length === 0 ||
    (kind === "email" ? have[0] !== primary : identifierKey(kind, have[0] as string) !== identifierKey(kind, primary))
  )
    return false;
  const keys = new Set(have.map((v) => identifierKey(kind, v)));
  return want.every((v) => keys.has(identifierKey(kind, v)));
}

/**
 * Orders the identifiers Clerk holds for the state: the primary first, then those the program declares in
 * the program's order, then any others in Clerk's order. Spelled as the program spells them when they match
 * case-insensitively. This makes the mapping independent of the order Clerk lists them in, so a refresh
 * never shows a reordering as drift.
 */
export function orderIdentifiers(
  kind: IdentifierKind,
  held: readonly { id: string; value: string }[],
  primaryId: string | null,
  declared: readonly string[] | undefined,
): string[] {
  const declaredByKey = new Map<string, { spelling: string; index: number }>();
  (declared ?? []).forEach((spelling, index) => {
    const key = identifierKey(kind, spelling);
    if (!declaredByKey.has(key)) declaredByKey.set(key, { spelling, index });
  });
  const ranked = held.map((h, clerkIndex) => {
    const match = declaredByKey.get(identifierKey(kind, h.value));
    const rank = h.id === primaryId ? 0 : match ? 1 : 2;
    return { value: match ? match.spelling : h.value, rank, index: match ? match.index : clerkIndex };
  });
  ranked.sort((x, y) => x.rank - y.rank || x.index - y.index);
  return ranked.map((r) => r.value);
}
