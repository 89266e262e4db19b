import type { ListPage } from "../clerk/gateway";

/** Clerk's maximum page size for `GET /users` and `GET /organizations`. */
export const MAX_PAGE_SIZE = 500;
/** Oldest first: objects created while we page land on the last page instead of shifting earlier ones. */
export const COLLECT_ORDER = "+created_at";

export interface CollectOptions {
  /** 1..500; default 500. Smaller only to exercise paging in tests. */
  pageSize?: number;
  /** Called after each page with the number of distinct objects seen so far. */
  onPage?: (seen: number) => void;
}

/** One list endpoint: how to fetch a page, and what to call it in an error (`GET /users`, `users`). */
export interface PagedList<T extends { id: string }> {
  listPage(page: ListPage): Promise<T[]>;
  /** The request, e.g. `GET /users`. */
  request: string;
  /** The objects, plural, e.g. `users`. */
  plural: string;
}

/**
 * Every object of one kind, read page by page (`limit`, `offset`, `order_by=+created_at`) *before* anything is
 * deleted, so our own deletions cannot shift the pages. A count endpoint is never asked: it changes under
 * concurrent deletes and would only add requests. Deduplicated by id (an object created during paging may push
 * another onto the next page twice). Stops at the first short page.
 *
 * @throws whatever `listPage` throws (after the gateway's retries); nothing is deleted at this point.
 */
export async function collectPages<T extends { id: string }>(
  list: PagedList<T>,
  opts: CollectOptions = {},
): Promise<T[]> {
  const limit = opts.pageSize ?? MAX_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new RangeError(`page size must be an integer in 1..${MAX_PAGE_SIZE}, got ${limit}`);
  }
  const byId = new Map<string, T>();
  for (let offset = 0; ;) {
    const page = await list.listPage({ limit, offset, orderBy: COLLECT_ORDER });
    let added = 0;
    for (const item of page) {
      if (!byId.has(item.id)) added++;
      byId.set(item.id, item);
    }
    opts.onPage?.(byId.size);
    if (page.length < limit) break;
    // A full page of objects we already had means the server ignores `offset`: stop rather than loop forever.
    if (added === 0) {
      throw new Error(
        `${list.request} returned the same ${list.plural} again at offset ${offset}: paging does not advance`,
      );
    }
    offset += page.length;
  }
  return [...byId.values()];
}
