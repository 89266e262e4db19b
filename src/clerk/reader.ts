/**
 * The read path of an instance: single reads, filtered lists, and the batched / snapshot reads of a refresh.
 *
 * read (refresh) -> GET /users?limit=500 (development instances: one snapshot per refresh) or
 *                   GET /users?user_id=…&user_id=… (batched), GET /users/{id} to confirm a miss
 */
import { isNotFound } from "../errors/clerkApiError";
import type { ClerkUserJSON } from "../model/wire";
import { createBatcher, createSnapshot } from "../scheduler";
import type { Call, ClerkClient } from "./registry";

/** Filters for `GET /users`, camelCase as the SDK takes them. */
export interface UserFilter {
  emailAddress?: string[];
  phoneNumber?: string[];
  username?: string[];
  externalId?: string[];
  web3Wallet?: string[];
  userId?: string[];
}

export interface ListPage {
  limit: number;
  offset?: number;
  orderBy?: string;
}

export interface Reader {
  /** `undefined` only on a definite 404. */
  getUser(userId: string): Promise<ClerkUserJSON | undefined>;
  /** Batched read for refresh: coalesced into `GET /users?user_id=…`; a miss is confirmed with a direct GET. */
  loadUser(userId: string): Promise<ClerkUserJSON | undefined>;
  /**
   * The user as one batched list answer shows it (`GET /users?user_id=…`, never the snapshot), `undefined` when
   * the answer lacks it. Cheap during a burst (a destroy); a miss proves nothing.
   */
  peekUser(userId: string): Promise<ClerkUserJSON | undefined>;
  findUsers(filter: UserFilter, limit?: number): Promise<ClerkUserJSON[]>;
  listUsers(page: ListPage, filter?: UserFilter): Promise<ClerkUserJSON[]>;
  /** Drop the snapshot: a write made it stale. */
  invalidate(): void;
}

/** `GET /users` takes up to 100 values per filter; also the batch size of refresh reads. */
export const MAX_FILTER_VALUES = 100;
/** `GET /users` page size limit. */
const LIST_PAGE = 500;
/** A development instance snapshot reads at most this many pages before deciding the instance is too large. */
const SNAPSHOT_MAX_PAGES = 2;

/** The SDK's own request pipeline (auth, version header, snake_case, error parsing, deserialization). */
type SdkRequest = (o: { method: string; path: string; queryParams?: Record<string, unknown> }) => Promise<unknown>;

/** The SDK returns resource classes that keep Clerk's JSON in `raw`; mapping works on that JSON. */
export function rawOf<T>(resource: unknown): T {
  const raw = (resource as { raw?: unknown } | null)?.raw;
  return (raw ?? resource) as T;
}

export function createReader(p: { client: ClerkClient; call: Call; development: boolean }): Reader {
  const { client, call } = p;
  // getUserList would also call GET /users/count for every page: twice the requests against the rate limit.
  const request = (client.users as unknown as { request: SdkRequest }).request;
  const read = <T>(label: string, fn: () => Promise<unknown>) => call({ label, write: false }, fn) as Promise<T>;

  const listRaw = async (label: string, queryParams: Record<string, unknown>): Promise<ClerkUserJSON[]> => {
    const users = await read<unknown[]>(label, () => request({ method: "GET", path: "/users", queryParams }));
    return users.map((u) => rawOf<ClerkUserJSON>(u));
  };

  const getUser = async (userId: string): Promise<ClerkUserJSON | undefined> => {
    try {
      return rawOf<ClerkUserJSON>(await read(`GET /users/${userId}`, () => client.users.getUser(userId)));
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  };

  const batcher = createUserBatcher(listRaw);
  const snapshot = p.development ? createInstanceSnapshot(listRaw) : undefined;

  return {
    getUser,
    loadUser: async (userId) => {
      const fromSnapshot = snapshot ? await snapshot.lookup(userId) : undefined;
      if (fromSnapshot) return fromSnapshot;
      const found = fromSnapshot === null ? undefined : await batcher.load(userId);
      // Missing from a list answer is not proof of absence (a user newer than the snapshot, eventual
      // consistency): ask directly. Only the direct GET's 404 means "gone".
      return found ?? getUser(userId);
    },
    peekUser: (userId) => batcher.load(userId),
    findUsers: (filter, limit = MAX_FILTER_VALUES) => listRaw("GET /users?filter", { ...filter, limit }),
    listUsers: (page, filter = {}) =>
      listRaw(`GET /users?offset=${page.offset ?? 0}`, {
        ...filter,
        limit: page.limit,
        ...(page.offset ? { offset: page.offset } : {}),
        ...(page.orderBy ? { orderBy: page.orderBy } : {}),
      }),
    invalidate: () => snapshot?.invalidate(),
  };
}

type ListRaw = (label: string, q: Record<string, unknown>) => Promise<ClerkUserJSON[]>;

/**
 * The engine's gRPC client keeps at most 100 calls open to the host, and the host hands reads over about one
 * per millisecond and stalls while it answers a batch. A batch that starts while another is in flight belongs
 * to such a burst: it waits for that answer and then for 100 ms of quiet (1 s at most), so a refresh of N
 * users costs ⌈N/100⌉ requests. Otherwise 25 ms of quiet: enough to gather what the engine sent at once, little
 * enough that the default --parallel pays almost nothing.
 */
function createUserBatcher(listRaw: ListRaw) {
  return createBatcher<string, ClerkUserJSON>({
    windowMs: 25,
    busyWindowMs: 100,
    maxWaitMs: 1000,
    holdWhileInFlight: true,
    maxBatch: MAX_FILTER_VALUES,
    fetchBatch: async (ids) => {
      const users = await listRaw(`GET /users?user_id=…(${ids.length})`, { userId: ids, limit: ids.length });
      return new Map(users.map((u) => [u.id, u]));
    },
  });
}

/**
 * Development instances hold at most 100 users: a refresh is cheaper as one paged list of the whole instance
 * than as N ÷ --parallel batches. Production instances can be huge, so they only use the batcher.
 */
function createInstanceSnapshot(listRaw: ListRaw) {
  return createSnapshot<ClerkUserJSON>({
    fetchAll: async () => {
      const all = new Map<string, ClerkUserJSON>();
      for (let page = 0; page < SNAPSHOT_MAX_PAGES; page++) {
        const users = await listRaw(`GET /users?limit=${LIST_PAGE}&offset=${page * LIST_PAGE} (snapshot)`, {
          limit: LIST_PAGE,
          ...(page > 0 ? { offset: page * LIST_PAGE } : {}),
          orderBy: "+created_at",
        });
        for (const u of users) all.set(u.id, u);
        if (users.length < LIST_PAGE) return all;
      }
      return undefined; // larger than a development instance should be: batch instead
    },
  });
}
