/** Clerk's documented instance limits per 10 s. */
export const DEV_REQUESTS_PER_10S = 100;
export const PROD_REQUESTS_PER_10S = 1000;

/**
 * Clerk allows 1000 requests / 10 s on production instances (`sk_live_` keys) and 100 on development
 * instances (`sk_test_` keys). Unknown prefixes get the lower limit: too slow is safe, too fast earns 429s.
 */
export function defaultRequestsPer10s(secretKey: string): number {
  return secretKey.startsWith("sk_live_") ? PROD_REQUESTS_PER_10S : DEV_REQUESTS_PER_10S;
}
