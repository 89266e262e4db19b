/**
 * Shared by the issue-12 host tests (`12-*.test.ts`): ClerkOrganization and ClerkOrganizationMembership through the
 * real dynamic-provider host, against the local Clerk. Users are seeded out of band (no API request) unless a test
 * says otherwise, so the request log holds only what the organization resources sent.
 */
import { MARKER_KEY } from "../../src/marker/managedByMarker";
import type { LocalClerk, RequestLogEntry } from "../local-clerk";
import { seedUser } from "./13-support";
import type { Stack } from "./support";

export { entryOf, hostOutput, onlyFailure } from "./13-support";
export { startStack, type Stack } from "./support";

export const PROJECT = "pulumi-clerk";
export const STACK = "test";
export const ORG_TYPE = "pulumi-nodejs:dynamic/clerk:Organization";
export const MEMBERSHIP_TYPE = "pulumi-nodejs:dynamic/clerk:OrganizationMembership";
export const orgUrn = (name: string): string => `urn:pulumi:${STACK}::${PROJECT}::${ORG_TYPE}::${name}`;
export const membershipUrn = (name: string): string => `urn:pulumi:${STACK}::${PROJECT}::${MEMBERSHIP_TYPE}::${name}`;

export const ORG_ID = /^org_[A-Za-z0-9]+$/;
export const MEMBERSHIP_ID = /^orgmem_[A-Za-z0-9]+$/;
export const OWNER_ID = /^own_[a-z2-7]{26}$/;

/** The path with Clerk ids replaced by their prefix and `X` (slugs stay as they are). */
export const pathOf = (r: Pick<RequestLogEntry, "path">): string =>
  r.path.replace(/\b(user|org|orgmem|idn)_[A-Za-z0-9]+/g, "$1_X");

/** `METHOD /path?query` of every request Clerk received since the log was last cleared, ids replaced by `X`. */
export function calls(clerk: LocalClerk): string[] {
  return clerk.control.requests().map((r) => {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(r.query))
      for (const x of Array.isArray(v) ? v : [v]) query.append(k, x.replace(/\b(user|org)_[A-Za-z0-9]+/g, "$1_X"));
    const q = query.toString();
    return `${r.method} ${pathOf(r)}${q ? `?${q}` : ""}`;
  });
}

/** The requests that change something in Clerk (anything but GET and HEAD), as `METHOD /path`. */
export function writes(clerk: LocalClerk): string[] {
  return calls(clerk).filter((c) => !c.startsWith("GET ") && !c.startsWith("HEAD "));
}

/** `METHOD /path` → body of every write request since the log was last cleared, in order. */
export function writeBodies(clerk: LocalClerk): Array<[string, unknown]> {
  return clerk.control
    .requests()
    .filter((r) => r.method !== "GET" && r.method !== "HEAD")
    .map((r) => [`${r.method} ${pathOf(r)}`, r.body]);
}

/** The marker ClerkOrganization / ClerkOrganizationMembership `name` writes into private metadata. */
export function expectedMarker(clerk: LocalClerk, name: string, ownerId: unknown = expect.stringMatching(OWNER_ID)) {
  return { v: 2, project: PROJECT, stack: STACK, name, ownerId, instanceId: clerk.instanceId, adopted: false };
}

/** Private metadata as Clerk must hold it: the declared keys and the marker. */
export function withMarker(clerk: LocalClerk, name: string, declared: Record<string, unknown> = {}, ownerId?: string) {
  return { ...declared, [MARKER_KEY]: expectedMarker(clerk, name, ownerId ?? expect.stringMatching(OWNER_ID)) };
}

/** Every membership Clerk holds, as `userId → role`, for one organization. */
export function rolesIn(clerk: LocalClerk, organizationId: string): Record<string, string> {
  return Object.fromEntries(clerk.control.memberships({ organizationId }).map((m) => [m.user_id, m.role]));
}

/** Users made outside Pulumi (no API request): their ids by the given names. */
export function seedUsers<const N extends string>(clerk: LocalClerk, ...names: N[]): Record<N, string> {
  return Object.fromEntries(
    names.map((n) => [n, seedUser(clerk, { emails: [`${n}@example.com`], firstName: n }).id]),
  ) as Record<N, string>;
}

/** The number of organizations and memberships Clerk holds. */
export function clerkCounts(clerk: LocalClerk): { organizations: number; memberships: number } {
  return { organizations: clerk.control.organizations().length, memberships: clerk.control.memberships().length };
}

/** The id and outputs of the one state entry named `name`, or undefined when state holds none. */
export function stateOf(stack: Stack, name: string) {
  const found = stack.engine.state().filter((e) => e.name === name);
  if (found.length > 1) throw new Error(`expected at most one state entry "${name}", found ${found.length}`);
  return found[0];
}

/**
 * A whole message, with what varies from run to run as placeholders: `TRACE` (Clerk's trace id), `ORG_ID`,
 * `USER_ID`, `MEMBERSHIP_ID`, `OWNER`, `INSTANCE`, `GAVE_UP` (the attempt count depends on backoff jitter).
 */
export function exact(message: string): RegExp {
  const escaped = message.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
  return new RegExp(
    `^${escaped
      .replace(/TRACE/g, "clerk_trace_id [0-9a-f]+")
      .replace(/MEMBERSHIP_ID/g, "orgmem_[A-Za-z0-9]+")
      .replace(/ORG_ID/g, "org_[A-Za-z0-9]+")
      .replace(/USER_ID/g, "user_[A-Za-z0-9]+")
      .replace(/OWNER/g, "own_[a-z2-7]{26}")
      .replace(/INSTANCE/g, "ins_[A-Za-z0-9]+")
      .replace(/GAVE_UP/g, "gave up after \\d+ attempts \\(retry budget exhausted\\)")}$`,
  );
}

const asList = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/**
 * The membership lookups (`GET /organizations/{id}/memberships?user_id=…&limit=n`) since the log was last cleared:
 * every user id asked for, sorted, each request's limit being its number of users. Lookups arriving together share
 * one request (how many do depends on timing), so tests assert who was looked up, never how many requests it took.
 */
export function lookedUp(clerk: LocalClerk, status?: number): string[] {
  const ids: string[] = [];
  for (const r of clerk.control.requests()) {
    if (r.method !== "GET" || !/^\/v1\/organizations\/[^/]+\/memberships$/.test(r.path)) continue;
    const users = asList(r.query["user_id"]);
    expect(asList(r.query["limit"])).toEqual([String(users.length)]);
    if (status !== undefined) expect(r.status).toBe(status);
    ids.push(...users);
  }
  return ids.sort();
}
