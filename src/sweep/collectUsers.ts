import type { ClerkGateway } from "../clerk/gateway";
import type { ClerkUserJSON } from "../model/wire";

/** Clerk's maximum page size for `GET /users`. */
export const MAX_PAGE_SIZE = 500;
/** Oldest first: users created while we page land on the last page instead of shifting earlier ones. */
export const COLLECT_ORDER = "+created_at";

export interface CollectOptions {
  /** 1..500; default 500. Smaller only to exercise paging in tests. */
  pageSize?: number;
  /** Called after each page with the number of distinct users seen so far. */
  onPage?: (seen: number) => void;
}

/**
 * Every user of the instance, read page by page (`limit`, `offset`, `order_by=+created_at`) *before* anything
 * is deleted, so our own deletions cannot shift the pages. `/users/count` is never asked: it changes under
 * concurrent deletes and would only add requests. Deduplicated by id (a user created during paging may
 * push another onto the next page twice). Stops at the first short page.
 *
 * @throws whatever the gateway throws (after its retries); nothing is deleted at this point.
 */
export async function collectUsers(
  gateway: Pick<ClerkGateway, "listUsers">,
  opts: CollectOptions = {},
): Promise<ClerkUserJSON[]> {
  const limit = opts.pageSize ?? MAX_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new RangeError(`page size must be an integer in 1..${MAX_PAGE_SIZE}, got ${limit}`);
  }
  const byId = new Map<string, ClerkUserJSON>();
  for (let offset = 0; ;) {
    const page = await gateway.listUsers({ limit, offset, orderBy: COLLECT_ORDER });
    let added = 0;
    for (const user of page) {
      if (!byId.has(user.id)) added++;
      byId.set(user.id, user);
    }
    opts.onPage?.(byId.size);
    if (page.length < limit) break;
    // A full page of users we already had means the server ignores `offset`: stop rather than loop forever.
    if (added === 0) {
      throw new Error(`GET /users returned the same users again at offset ${offset}: paging does not advance`);
    }
    offset += page.length;
  }
  return [...byId.values()];
}
