/**
 * Running an example in its installed layout: examples/<name> copied to a temporary directory outside the
 * repository, the packed tarball installed there as the example's README says, its program run through the real
 * provider host (from that project's `@pulumi/pulumi`) against the local Clerk.
 */
import { readMarker } from "../../src/marker/managedByMarker";
import type { LocalStack } from "../../scripts/lib/localStack";
import type { ConfigValue } from "../harness";
import type { LocalClerk, StoredOrganization, StoredUser } from "../local-clerk";
import { installExample, programOf, removeProject, startInstalled } from "../package/support";

jest.setTimeout(300_000);

export interface InstalledExample {
  dir: string;
  program: () => Promise<unknown>;
  start(stack: string, config?: Record<string, ConfigValue>, clerk?: LocalClerk): Promise<LocalStack>;
}

/** Installs examples/<name> once for the test file (beforeAll), and removes it afterwards. */
export function useInstalledExample(name: string): InstalledExample {
  const example = {} as InstalledExample;
  beforeAll(() => {
    example.dir = installExample(name);
    example.program = programOf(example.dir);
    example.start = (stack, config = {}, clerk) => startInstalled(example.dir, stack, config, clerk);
  });
  afterAll(() => removeProject(example.dir));
  return example;
}

/** Clerk's store by the resource name recorded in the provider's marker. */
export function byName(users: StoredUser[]): Record<string, StoredUser> {
  return Object.fromEntries(users.map((u) => [readMarker(u.private_metadata)?.name ?? `unmarked:${u.id}`, u]));
}

/** Clerk's organizations by the resource name recorded in the provider's marker. */
export function organizationsByName(orgs: StoredOrganization[]): Record<string, StoredOrganization> {
  return Object.fromEntries(orgs.map((o) => [readMarker(o.private_metadata)?.name ?? `unmarked:${o.id}`, o]));
}

/** An organization's memberships as `<user resource> <role>`, sorted. */
export function membershipsOf(clerk: LocalClerk, organizationId: string): string[] {
  const userName = new Map(clerk.control.users().map((u) => [u.id, readMarker(u.private_metadata)?.name ?? u.id]));
  return clerk.control
    .memberships({ organizationId })
    .map((m) => `${userName.get(m.user_id) ?? m.user_id} ${m.role}`)
    .sort();
}

export const emails = (u: StoredUser | undefined): string[] => (u?.email_addresses ?? []).map((e) => e.email_address);

/** Requests that change something in Clerk. */
export const writes = (stack: LocalStack): number =>
  stack.clerk.control.requests().filter((r) => r.method !== "GET").length;
