/**
 * The only module that talks to Clerk. Every call goes through `@clerk/backend` and through the instance's
 * shared scheduler (rate limits, retries, timeouts); reads are coalesced by the instance's batcher.
 *
 * hook            -> Clerk call
 * create          -> POST /users  (lookup GET /users?email_address=… on an ambiguous create)
 * read            -> GET /users?limit=500 (development instances: one snapshot per refresh) or
 *                    GET /users?user_id=…&user_id=… (batched), GET /users/{id} to confirm a miss
 * update          -> GET /users/{id}, PATCH /users/{id}, PUT /users/{id}/metadata,
 *                    POST/PATCH/DELETE /email_addresses, /phone_numbers, POST /users/{id}/ban|unban|lock|unlock
 * delete          -> DELETE /users/{id}
 */
import * as clerkBackend from "@clerk/backend";
import { createHash } from "node:crypto";
import { createBatcher, createSnapshot, getScheduler, resetSchedulerRegistry } from "../scheduler";
import { DEV_REQUESTS_PER_10S, defaultRequestsPer10s } from "../scheduler/registry";
import type { Scheduler } from "../scheduler/types";
import { isNotFound } from "./clerkApiError";
import type { ClerkSettings } from "./settings";
import type { ClerkEmailAddressJSON, ClerkPhoneNumberJSON, ClerkUserJSON } from "./wire";

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

export interface ClerkGateway {
  createUser(params: Record<string, unknown>): Promise<ClerkUserJSON>;
  /** `undefined` only on a definite 404. */
  getUser(userId: string): Promise<ClerkUserJSON | undefined>;
  /** Batched read for refresh: coalesced into `GET /users?user_id=…`; a miss is confirmed with a direct GET. */
  loadUser(userId: string): Promise<ClerkUserJSON | undefined>;
  findUsers(filter: UserFilter, limit?: number): Promise<ClerkUserJSON[]>;
  listUsers(page: ListPage, filter?: UserFilter): Promise<ClerkUserJSON[]>;
  updateUser(userId: string, params: Record<string, unknown>): Promise<ClerkUserJSON>;
  replaceUserMetadata(userId: string, params: Record<string, unknown>): Promise<ClerkUserJSON>;
  banUser(userId: string): Promise<ClerkUserJSON>;
  unbanUser(userId: string): Promise<ClerkUserJSON>;
  lockUser(userId: string): Promise<ClerkUserJSON>;
  unlockUser(userId: string): Promise<ClerkUserJSON>;
  createEmailAddress(p: { userId: string; emailAddress: string; primary: boolean }): Promise<ClerkEmailAddressJSON>;
  setPrimaryEmailAddress(emailAddressId: string): Promise<ClerkEmailAddressJSON>;
  /** `false` when it was already gone (404). */
  deleteEmailAddress(emailAddressId: string): Promise<boolean>;
  createPhoneNumber(p: { userId: string; phoneNumber: string; primary: boolean }): Promise<ClerkPhoneNumberJSON>;
  setPrimaryPhoneNumber(phoneNumberId: string): Promise<ClerkPhoneNumberJSON>;
  deletePhoneNumber(phoneNumberId: string): Promise<boolean>;
  /** `false` when the user was already gone (404): deleting twice is success. */
  deleteUser(userId: string): Promise<boolean>;
  scheduler: Scheduler;
}

/** `GET /users` takes up to 100 values per filter; also the batch size of refresh reads. */
export const MAX_FILTER_VALUES = 100;
/** `GET /users` page size limit. */
const LIST_PAGE = 500;
/** A development instance snapshot reads at most this many pages before deciding the instance is too large. */
const SNAPSHOT_MAX_PAGES = 2;

type ClerkClient = ReturnType<typeof clerkBackend.createClerkClient>;
/** The SDK's own request pipeline (auth, version header, snake_case, error parsing, deserialization). */
type SdkRequest = (o: { method: string; path: string; queryParams?: Record<string, unknown> }) => Promise<unknown>;

/** The SDK returns resource classes that keep Clerk's JSON in `raw`; mapping works on that JSON. */
function rawOf<T>(resource: unknown): T {
  const raw = (resource as { raw?: unknown } | null)?.raw;
  return (raw ?? resource) as T;
}

/** Sweeper and provider share one gateway (and so one scheduler) per Clerk instance in a process. */
const gateways = new Map<string, ClerkGateway>();

function instanceKey(s: ClerkSettings): string {
  const keyHash = createHash("sha256").update(s.secretKey).digest("hex").slice(0, 16);
  return `${s.apiUrl}#${keyHash}#${s.maxRequestsPer10s ?? ""}#${s.maxConcurrency ?? ""}#${s.requestTimeoutMs ?? ""}#${s.retryBudgetMs ?? ""}`;
}

export interface GatewayOptions {
  log?: (message: string) => void;
  /** Debug-level log (each change of the adaptive rate limit). */
  debug?: (message: string) => void;
}

export function gatewayFor(settings: ClerkSettings, opts: GatewayOptions = {}): ClerkGateway {
  const key = instanceKey(settings);
  let gw = gateways.get(key);
  if (!gw) {
    gw = createGateway(settings, opts);
    gateways.set(key, gw);
  }
  return gw;
}

/** Test hook: drop cached gateways and their schedulers, so changed settings take effect. */
export function resetGateways(): void {
  gateways.clear();
  resetSchedulerRegistry();
}

function createGateway(settings: ClerkSettings, opts: GatewayOptions): ClerkGateway {
  const client: ClerkClient = clerkBackend.createClerkClient({
    secretKey: settings.secretKey,
    apiUrl: settings.apiUrl,
    userAgent: "pulumi-clerk",
  });
  const scheduler = getScheduler(
    { apiUrl: settings.apiUrl, secretKey: settings.secretKey },
    {
      ...(settings.maxRequestsPer10s !== undefined ? { maxRequestsPer10s: settings.maxRequestsPer10s } : {}),
      ...(settings.maxConcurrency !== undefined ? { maxConcurrency: settings.maxConcurrency } : {}),
      ...(settings.requestTimeoutMs !== undefined ? { requestTimeoutMs: settings.requestTimeoutMs } : {}),
      ...(settings.retryBudgetMs !== undefined ? { retryBudgetMs: settings.retryBudgetMs } : {}),
      ...(opts.log ? { log: opts.log } : {}),
      ...(opts.debug ? { debug: opts.debug } : {}),
    },
  );
  // getUserList would also call GET /users/count for every page: twice the requests against the rate limit.
  const request = (client.users as unknown as { request: SdkRequest }).request;

  const run = <T>(label: string, fn: () => Promise<unknown>, userWrite?: string): Promise<T> => {
    // Any write makes a snapshot of the instance stale.
    if (!label.startsWith("GET ")) snapshot?.invalidate();
    return scheduler.run({ label, ...(userWrite ? { userWrite } : {}) }, fn) as Promise<T>;
  };

  const listRaw = async (label: string, queryParams: Record<string, unknown>): Promise<ClerkUserJSON[]> => {
    const users = await run<unknown[]>(label, () => request({ method: "GET", path: "/users", queryParams }));
    return users.map((u) => rawOf<ClerkUserJSON>(u));
  };

  const getUser = async (userId: string): Promise<ClerkUserJSON | undefined> => {
    try {
      return rawOf<ClerkUserJSON>(await run(`GET /users/${userId}`, () => client.users.getUser(userId)));
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  };

  // The engine's gRPC client keeps at most 100 calls open to the host, and the host hands reads over about one
  // per millisecond and stalls while it answers a batch. A batch that starts while another is in flight belongs
  // to such a burst: it waits for that answer and then for 100 ms of quiet (1 s at most), so a refresh of N
  // users costs ⌈N/100⌉ requests. Otherwise 25 ms of quiet: enough to gather what the engine sent at once, little
  // enough that the default --parallel pays almost nothing.
  const batcher = createBatcher<string, ClerkUserJSON>({
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

  // Development instances hold at most 100 users: a refresh is cheaper as one paged list of the whole instance
  // than as N ÷ --parallel batches. Production instances can be huge, so they only use the batcher.
  const snapshot =
    defaultRequestsPer10s(settings.secretKey) === DEV_REQUESTS_PER_10S
      ? createSnapshot<ClerkUserJSON>({
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
        })
      : undefined;

  const deleting = async (label: string, fn: () => Promise<unknown>): Promise<boolean> => {
    try {
      await run(label, fn);
      return true;
    } catch (e) {
      if (isNotFound(e)) return false;
      throw e;
    }
  };

  return {
    scheduler,
    createUser: async (params) =>
      rawOf<ClerkUserJSON>(
        await run("POST /users", () =>
          client.users.createUser(params as unknown as Parameters<ClerkClient["users"]["createUser"]>[0]),
        ),
      ),
    getUser,
    loadUser: async (userId) => {
      const fromSnapshot = snapshot ? await snapshot.lookup(userId) : undefined;
      if (fromSnapshot) return fromSnapshot;
      const found = fromSnapshot === null ? undefined : await batcher.load(userId);
      // Missing from a list answer is not proof of absence (a user newer than the snapshot, eventual
      // consistency): ask directly. Only the direct GET's 404 means "gone".
      return found ?? getUser(userId);
    },
    findUsers: (filter, limit = MAX_FILTER_VALUES) => listRaw("GET /users?filter", { ...filter, limit }),
    listUsers: (page, filter = {}) =>
      listRaw(`GET /users?offset=${page.offset ?? 0}`, {
        ...filter,
        limit: page.limit,
        ...(page.offset ? { offset: page.offset } : {}),
        ...(page.orderBy ? { orderBy: page.orderBy } : {}),
      }),
    updateUser: async (userId, params) =>
      rawOf<ClerkUserJSON>(
        await run(
          `PATCH /users/${userId}`,
          () => client.users.updateUser(userId, params as Parameters<ClerkClient["users"]["updateUser"]>[1]),
          userId,
        ),
      ),
    replaceUserMetadata: async (userId, params) =>
      rawOf<ClerkUserJSON>(
        await run(
          `PUT /users/${userId}/metadata`,
          () =>
            client.users.replaceUserMetadata(
              userId,
              params as Parameters<ClerkClient["users"]["replaceUserMetadata"]>[1],
            ),
          userId,
        ),
      ),
    banUser: async (userId) => rawOf(await run(`POST /users/${userId}/ban`, () => client.users.banUser(userId))),
    unbanUser: async (userId) => rawOf(await run(`POST /users/${userId}/unban`, () => client.users.unbanUser(userId))),
    lockUser: async (userId) => rawOf(await run(`POST /users/${userId}/lock`, () => client.users.lockUser(userId))),
    unlockUser: async (userId) =>
      rawOf(await run(`POST /users/${userId}/unlock`, () => client.users.unlockUser(userId))),
    createEmailAddress: async ({ userId, emailAddress, primary }) =>
      rawOf(
        await run("POST /email_addresses", () =>
          client.emailAddresses.createEmailAddress({ userId, emailAddress, verified: true, primary }),
        ),
      ),
    setPrimaryEmailAddress: async (id) =>
      rawOf(
        await run(`PATCH /email_addresses/${id}`, () =>
          client.emailAddresses.updateEmailAddress(id, { primary: true }),
        ),
      ),
    deleteEmailAddress: (id) =>
      deleting(`DELETE /email_addresses/${id}`, () => client.emailAddresses.deleteEmailAddress(id)),
    createPhoneNumber: async ({ userId, phoneNumber, primary }) =>
      rawOf(
        await run("POST /phone_numbers", () =>
          client.phoneNumbers.createPhoneNumber({ userId, phoneNumber, verified: true, primary }),
        ),
      ),
    setPrimaryPhoneNumber: async (id) =>
      rawOf(
        await run(`PATCH /phone_numbers/${id}`, () => client.phoneNumbers.updatePhoneNumber(id, { primary: true })),
      ),
    deletePhoneNumber: (id) => deleting(`DELETE /phone_numbers/${id}`, () => client.phoneNumbers.deletePhoneNumber(id)),
    deleteUser: (userId) => deleting(`DELETE /users/${userId}`, () => client.users.deleteUser(userId)),
  };
}
