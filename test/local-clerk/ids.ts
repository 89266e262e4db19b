import { randomBytes } from "node:crypto";

/**
 * Clerk IDs are Stripe-style prefixed KSUIDs: `<prefix>_` + 27 base62 characters
 * (20 bytes: 4-byte timestamp since the KSUID epoch + 16-byte payload).
 * We keep that exact shape so code that validates or logs IDs behaves as against Clerk.
 */

/** KSUID epoch (2014-05-13T16:53:20Z) in seconds. */
const KSUID_EPOCH_SECONDS = 1_400_000_000;
/** ASCII-ordered alphabet, so lexical order of IDs equals numeric order of their bytes. */
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const ENCODED_LENGTH = 27;

/**
 * The first 8 payload bytes carry a per-process monotonic counter seeded from the clock,
 * so IDs minted by this process sort in creation order even within one second
 * (real KSUIDs only sort to the second; the extra order is a convenience for tests).
 */
let counter = BigInt(Date.now()) * 1000n;

function encodeBase62(bytes: Buffer): string {
  let n = BigInt("0x" + bytes.toString("hex"));
  let out = "";
  while (n > 0n) {
    out = BASE62[Number(n % 62n)] + out;
    n /= 62n;
  }
  return out.padStart(ENCODED_LENGTH, "0");
}

export type IdPrefix = "user" | "idn" | "img" | "ins" | "org" | "orgmem";

/** A new Clerk-style ID, e.g. `user_2xhFjEI5X2qWRvtV13BzSj8H6Dk`. */
export function newId(prefix: IdPrefix, nowMs: number = Date.now()): string {
  const bytes = Buffer.alloc(20);
  const seconds = Math.max(0, Math.floor(nowMs / 1000) - KSUID_EPOCH_SECONDS);
  bytes.writeUInt32BE(seconds >>> 0, 0);
  counter += 1n;
  bytes.writeBigUInt64BE(counter & 0xffffffffffffffffn, 4);
  randomBytes(8).copy(bytes, 12);
  return `${prefix}_${encodeBase62(bytes)}`;
}

/** Clerk trace ids are 32 lowercase hex characters; a fresh one per error response. */
export function newTraceId(): string {
  return randomBytes(16).toString("hex");
}

/** Matches IDs minted by {@link newId}. */
export const CLERK_ID_PATTERN = /^(user|idn|img|ins|org|orgmem)_[0-9A-Za-z]{27}$/;
