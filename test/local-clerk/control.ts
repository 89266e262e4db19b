import type { FaultSpec, PathMatcher, PendingFault, RandomFaultConfig } from "./faults";
import type { LocalInstance } from "./instance";
import type { RateLimitConfig } from "./rateLimiter";
import type { RequestFilter, RequestLogEntry } from "./requestLog";
import type { SpecLoadStats } from "./spec";
import { newStoredMembership, newStoredOrganization, SlugConflictError } from "./organizationStore";
import { IdentifierConflictError, newStoredUser, type Store } from "./store";
import type { OrganizationSettings, StoredMembership, StoredOrganization, StoredUser } from "./types";

/**
 * The test-side API: inspect and seed state, read the request log, inject faults, set limits.
 * Every call works in-process (`localClerk.control`) and over HTTP under `/__control/*` (no Clerk key needed),
 * so out-of-process demos and benchmarks can drive it too.
 */
export interface LocalClerkControl {
  /** Back to the start state: no users, empty log, no faults; rate limit and quota as given to startLocalClerk. */
  reset(): void;
  /** Full stored records (deep copies), including write-only fields (password, digest, TOTP, backup codes). */
  users(): StoredUser[];
  getUser(id: string): StoredUser | undefined;
  /** Out-of-band create/replace (no validation). Missing fields get Clerk's defaults; throws on identifier clashes. */
  putUser(record: Partial<StoredUser>): StoredUser;
  /** Out-of-band shallow update (no validation); bumps updated_at unless `partial.updated_at` is given. */
  patchUser(id: string, partial: Partial<StoredUser>): StoredUser;
  /** Out-of-band delete, with the user's memberships (as Clerk deletes a user); true if the user existed. */
  removeUser(id: string): boolean;
  /** Every organization (deep copies). */
  organizations(): StoredOrganization[];
  getOrganization(id: string): StoredOrganization | undefined;
  /**
   * Out-of-band create/replace (no validation, no creator membership). Missing fields get Clerk's defaults
   * (from the organization settings); throws if another organization holds the slug.
   */
  putOrganization(record: Partial<StoredOrganization>): StoredOrganization;
  /** Out-of-band shallow update (no validation); bumps updated_at unless `partial.updated_at` is given. */
  patchOrganization(id: string, partial: Partial<StoredOrganization>): StoredOrganization;
  /** Out-of-band delete, with the organization's memberships; true if it existed. */
  removeOrganization(id: string): boolean;
  /** Memberships (deep copies), optionally of one organization and/or one user. */
  memberships(filter?: { organizationId?: string; userId?: string }): StoredMembership[];
  getMembership(organizationId: string, userId: string): StoredMembership | undefined;
  /**
   * Out-of-band create of the (organization, user) membership, or replacement of the fields given (no validation:
   * any role, no limit). Throws unless the organization and the user exist.
   */
  putMembership(
    record: Partial<StoredMembership> & Pick<StoredMembership, "organization_id" | "user_id">,
  ): StoredMembership;
  /** Out-of-band shallow update (e.g. a role changed in the Dashboard); bumps updated_at unless given. */
  patchMembership(organizationId: string, userId: string, partial: Partial<StoredMembership>): StoredMembership;
  /** Out-of-band delete (the organization stays, even when empty); true if the membership existed. */
  removeMembership(organizationId: string, userId: string): boolean;
  /** The organization settings in force (roles, creator role, defaults of new organizations, enabled). */
  organizationSettings(): OrganizationSettings;
  /** Changes organization settings until `reset`, which restores those given to startLocalClerk. */
  setOrganizationSettings(partial: Partial<OrganizationSettings>): OrganizationSettings;
  requests(): RequestLogEntry[];
  clearRequests(): void;
  count(filter?: RequestFilter): number;
  /** Requests that hit the loud 404 fallback (routes the local server does not implement). */
  unhandled(): RequestLogEntry[];
  inject(fault: FaultSpec): void;
  clearFaults(): void;
  pendingFaults(): PendingFault[];
  setRandomFaults(config: RandomFaultConfig | null): void;
  /**
   * The echo fault: while on, every 422 and 5xx error repeats the request's submitted values (every string
   * leaf of the body, every query value) in `message`, `long_message` and `meta` (echo.ts). Off after reset.
   */
  setEchoSubmittedValues(on: boolean): void;
  echoesSubmittedValues(): boolean;
  setRateLimit(config: RateLimitConfig | null): void;
  setUserQuota(quota: number | null): void;
  specStats(): SpecLoadStats;
  /** What `GET /v1/instance` answers now. */
  instance(): LocalInstance;
  /** Changes the instance id and/or environment type (until `reset`, which restores the start values). */
  setInstance(partial: Partial<LocalInstance>): LocalInstance;
}

/** What the server exposes to the control layer. */
export interface ControlTarget {
  readonly store: Store;
  now(): number;
  resetAll(): void;
  requests(): RequestLogEntry[];
  clearRequests(): void;
  countRequests(filter: RequestFilter): number;
  injectFault(fault: FaultSpec): void;
  clearFaults(): void;
  pendingFaults(): PendingFault[];
  setRandomFaults(config: RandomFaultConfig | null): void;
  setEchoSubmittedValues(on: boolean): void;
  echoesSubmittedValues(): boolean;
  setRateLimit(config: RateLimitConfig | null): void;
  setUserQuota(quota: number | null): void;
  specStats(): SpecLoadStats;
  getInstance(): LocalInstance;
  setInstance(partial: Partial<LocalInstance>): LocalInstance;
  getOrganizationSettings(): OrganizationSettings;
  setOrganizationSettings(partial: Partial<OrganizationSettings>): OrganizationSettings;
}

const copy = <T>(v: T): T => structuredClone(v);

export function createControl(target: ControlTarget): LocalClerkControl {
  const { store } = target;
  const orgs = store.organizations;
  return {
    reset: () => target.resetAll(),
    users: () => copy(store.all()),
    getUser: (id) => {
      const u = store.get(id);
      return u ? copy(u) : undefined;
    },
    putUser: (record) => copy(store.save(newStoredUser(target.now(), copy(record)))),
    patchUser: (id, partial) => {
      const current = store.get(id);
      if (!current) throw new Error(`local-clerk: patchUser: no user ${id}`);
      const next: StoredUser = { ...copy(current), ...copy(partial), id };
      if (partial.updated_at === undefined) next.updated_at = Math.max(target.now(), current.updated_at + 1);
      return copy(store.save(next));
    },
    removeUser: (id) => store.remove(id) !== undefined,
    organizations: () => copy(orgs.all()),
    getOrganization: (id) => {
      const o = orgs.get(id);
      return o ? copy(o) : undefined;
    },
    putOrganization: (record) =>
      copy(orgs.saveOrganization(newStoredOrganization(target.now(), target.getOrganizationSettings(), copy(record)))),
    patchOrganization: (id, partial) => {
      const current = orgs.get(id);
      if (!current) throw new Error(`local-clerk: patchOrganization: no organization ${id}`);
      const next: StoredOrganization = { ...copy(current), ...copy(partial), id };
      if (partial.updated_at === undefined) next.updated_at = Math.max(target.now(), current.updated_at + 1);
      return copy(orgs.saveOrganization(next));
    },
    removeOrganization: (id) => orgs.removeOrganization(id) !== undefined,
    memberships: (filter = {}) =>
      copy(
        orgs
          .allMemberships()
          .filter((m) => filter.organizationId === undefined || m.organization_id === filter.organizationId)
          .filter((m) => filter.userId === undefined || m.user_id === filter.userId),
      ),
    getMembership: (organizationId, userId) => {
      const m = orgs.membership(organizationId, userId);
      return m ? copy(m) : undefined;
    },
    putMembership: (record) => {
      if (!store.get(record.user_id)) throw new Error(`local-clerk: putMembership: no user ${record.user_id}`);
      const existing = orgs.membership(record.organization_id, record.user_id);
      const base = existing ? copy(existing) : newStoredMembership(target.now(), copy(record));
      return copy(orgs.saveMembership({ ...base, ...copy(record) }));
    },
    patchMembership: (organizationId, userId, partial) => {
      const current = orgs.membership(organizationId, userId);
      if (!current) throw new Error(`local-clerk: patchMembership: no membership of ${userId} in ${organizationId}`);
      const next: StoredMembership = {
        ...copy(current),
        ...copy(partial),
        organization_id: organizationId,
        user_id: userId,
      };
      if (partial.updated_at === undefined) next.updated_at = Math.max(target.now(), current.updated_at + 1);
      return copy(orgs.saveMembership(next));
    },
    removeMembership: (organizationId, userId) => orgs.removeMembership(organizationId, userId) !== undefined,
    organizationSettings: () => target.getOrganizationSettings(),
    setOrganizationSettings: (partial) => target.setOrganizationSettings(partial),
    requests: () => target.requests(),
    clearRequests: () => target.clearRequests(),
    count: (filter = {}) => target.countRequests(filter),
    unhandled: () => target.requests().filter((e) => e.unhandled === true),
    inject: (fault) => target.injectFault(fault),
    clearFaults: () => target.clearFaults(),
    pendingFaults: () => target.pendingFaults(),
    setRandomFaults: (config) => target.setRandomFaults(config),
    setEchoSubmittedValues: (on) => target.setEchoSubmittedValues(on),
    echoesSubmittedValues: () => target.echoesSubmittedValues(),
    setRateLimit: (config) => target.setRateLimit(config),
    setUserQuota: (quota) => target.setUserQuota(quota),
    specStats: () => target.specStats(),
    instance: () => target.getInstance(),
    setInstance: (partial) => target.setInstance(partial),
  };
}

// ---- HTTP binding: /__control/* ----

export interface ControlResponse {
  status: number;
  body: unknown;
}

type RegexJson = { regex: string; flags?: string };

function isRegexJson(v: unknown): v is RegexJson {
  return typeof v === "object" && v !== null && typeof (v as RegexJson).regex === "string";
}

/** JSON can't carry a RegExp: `{"regex": "...", "flags": "i"}` stands for one. */
function pathMatcher(v: unknown): PathMatcher | undefined {
  if (typeof v === "string") return v;
  if (isRegexJson(v)) return new RegExp(v.regex, v.flags);
  return undefined;
}

function faultFromJson(body: unknown): FaultSpec {
  if (typeof body !== "object" || body === null) throw new Error("fault must be a JSON object");
  const raw = body as Record<string, unknown> & { match?: Record<string, unknown> };
  const match = raw.match
    ? {
        ...(typeof raw.match["method"] === "string" ? { method: raw.match["method"] } : {}),
        ...(raw.match["path"] !== undefined ? { path: pathMatcher(raw.match["path"]) as PathMatcher } : {}),
      }
    : undefined;
  return { ...(raw as unknown as FaultSpec), ...(match ? { match } : {}) };
}

/** `{id?, environmentType?}`; anything else is refused so a typo does not silently change nothing. */
function instanceFromJson(body: unknown): Partial<LocalInstance> {
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw new Error("instance must be a JSON object");
  const unknown = Object.keys(body).filter((k) => k !== "id" && k !== "environmentType");
  if (unknown.length > 0) throw new Error(`unknown instance field(s): ${unknown.join(", ")}`);
  return body as Partial<LocalInstance>;
}

const serializeFault = (f: PendingFault) => {
  const path = f.spec.match?.path;
  return {
    ...f,
    spec: {
      ...f.spec,
      match: f.spec.match && {
        ...f.spec.match,
        path: path instanceof RegExp ? { regex: path.source, flags: path.flags } : path,
      },
    },
  };
};

/** Routes `/__control/<sub>`; throws for bad input (the server answers 400). */
export function handleControlRequest(
  control: LocalClerkControl,
  method: string,
  sub: string,
  query: URLSearchParams,
  body: unknown,
): ControlResponse {
  const okBody = (b: unknown): ControlResponse => ({ status: 200, body: b });
  const route = `${method} ${sub}`;
  const userMatch = /^\/users\/([^/]+)$/.exec(sub);
  const orgMatch = /^\/organizations\/([^/]+)$/.exec(sub);
  const membershipMatch = /^\/organizations\/([^/]+)\/memberships\/([^/]+)$/.exec(sub);
  try {
    if (route === "POST /reset") return (control.reset(), okBody({ ok: true }));
    if (route === "GET /users") return okBody(control.users());
    if (route === "POST /users") return okBody(control.putUser((body ?? {}) as Partial<StoredUser>));
    if (userMatch) {
      const id = decodeURIComponent(userMatch[1]!);
      if (method === "GET") {
        const u = control.getUser(id);
        return u ? okBody(u) : { status: 404, body: { error: `no user ${id}` } };
      }
      if (method === "PUT") return okBody(control.putUser({ ...((body ?? {}) as Partial<StoredUser>), id }));
      if (method === "PATCH") return okBody(control.patchUser(id, (body ?? {}) as Partial<StoredUser>));
      if (method === "DELETE") return okBody({ removed: control.removeUser(id) });
    }
    if (route === "GET /organizations") return okBody(control.organizations());
    if (route === "POST /organizations")
      return okBody(control.putOrganization((body ?? {}) as Partial<StoredOrganization>));
    if (orgMatch) {
      const id = decodeURIComponent(orgMatch[1]!);
      if (method === "GET") {
        const o = control.getOrganization(id);
        return o ? okBody(o) : { status: 404, body: { error: `no organization ${id}` } };
      }
      const record = (body ?? {}) as Partial<StoredOrganization>;
      if (method === "PUT") return okBody(control.putOrganization({ ...record, id }));
      if (method === "PATCH") return okBody(control.patchOrganization(id, record));
      if (method === "DELETE") return okBody({ removed: control.removeOrganization(id) });
    }
    if (route === "GET /memberships") {
      const organizationId = query.get("organizationId") ?? undefined;
      const userId = query.get("userId") ?? undefined;
      return okBody(
        control.memberships({
          ...(organizationId !== undefined ? { organizationId } : {}),
          ...(userId !== undefined ? { userId } : {}),
        }),
      );
    }
    if (membershipMatch) {
      const organizationId = decodeURIComponent(membershipMatch[1]!);
      const userId = decodeURIComponent(membershipMatch[2]!);
      if (method === "GET") {
        const m = control.getMembership(organizationId, userId);
        return m ? okBody(m) : { status: 404, body: { error: `no membership of ${userId} in ${organizationId}` } };
      }
      const record = (body ?? {}) as Partial<StoredMembership>;
      if (method === "PUT")
        return okBody(control.putMembership({ ...record, organization_id: organizationId, user_id: userId }));
      if (method === "PATCH") return okBody(control.patchMembership(organizationId, userId, record));
      if (method === "DELETE") return okBody({ removed: control.removeMembership(organizationId, userId) });
    }
    if (route === "GET /organization-settings") return okBody(control.organizationSettings());
    if (route === "PATCH /organization-settings")
      return okBody(control.setOrganizationSettings((body ?? {}) as Partial<OrganizationSettings>));
    // Every header, as logged: a copy without the brief form tests print (requestLog.ts).
    if (route === "GET /requests") return okBody(control.requests().map((e) => ({ ...e, headers: { ...e.headers } })));
    if (route === "DELETE /requests") return (control.clearRequests(), okBody({ ok: true }));
    if (route === "GET /requests/count") {
      const method = query.get("method") ?? undefined;
      const regex = query.get("pathRegex");
      const path = regex !== null ? new RegExp(regex) : (query.get("path") ?? undefined);
      return okBody({
        count: control.count({ ...(method ? { method } : {}), ...(path !== undefined ? { path } : {}) }),
      });
    }
    if (route === "GET /unhandled") return okBody(control.unhandled());
    if (route === "GET /faults") return okBody(control.pendingFaults().map(serializeFault));
    if (route === "POST /faults") {
      const faults = Array.isArray(body) ? body : [body];
      for (const f of faults) control.inject(faultFromJson(f));
      return okBody({ ok: true, pending: control.pendingFaults().length });
    }
    if (route === "DELETE /faults") return (control.clearFaults(), okBody({ ok: true }));
    if (route === "POST /random-faults")
      return (control.setRandomFaults((body ?? null) as RandomFaultConfig | null), okBody({ ok: true }));
    if (route === "GET /echo-submitted-values") return okBody({ enabled: control.echoesSubmittedValues() });
    if (route === "POST /echo-submitted-values") {
      const enabled = (body as { enabled?: unknown } | null)?.enabled;
      if (typeof enabled !== "boolean") throw new Error('echo-submitted-values body must be {"enabled": true|false}');
      control.setEchoSubmittedValues(enabled);
      return okBody({ ok: true, enabled });
    }
    if (route === "POST /rate-limit")
      return (control.setRateLimit((body ?? null) as RateLimitConfig | null), okBody({ ok: true }));
    if (route === "POST /user-quota") {
      const quota = (body as { quota?: unknown } | null)?.quota;
      control.setUserQuota(typeof quota === "number" ? quota : null);
      return okBody({ ok: true });
    }
    if (route === "GET /spec-stats") return okBody(control.specStats());
    if (route === "GET /instance") return okBody(control.instance());
    if (route === "PATCH /instance") return okBody(control.setInstance(instanceFromJson(body)));
  } catch (err) {
    const status = err instanceof IdentifierConflictError || err instanceof SlugConflictError ? 409 : 400;
    return { status, body: { error: err instanceof Error ? err.message : String(err) } };
  }
  return { status: 404, body: { error: `local-clerk: unknown control route ${route}` } };
}
