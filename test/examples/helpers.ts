/** Running an example program through the engine-shaped driver against the local Clerk. */
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import { readMarker } from "../../src/marker/managedByMarker";
import { startLocalStack, type LocalStack } from "../../scripts/lib/localStack";
import type { ConfigValue } from "../harness";
import type { StoredUser } from "../local-clerk";

export const REPO = path.resolve(__dirname, "..", "..");

export function exampleDir(name: string): string {
  return path.join(REPO, "examples", name);
}

/** The project name from the example's Pulumi.yaml (the program's config namespace). */
export function projectOf(name: string): string {
  const doc = YAML.parse(fs.readFileSync(path.join(exampleDir(name), "Pulumi.yaml"), "utf8")) as { name: string };
  return doc.name;
}

/** A local stack for an example, with the host running in the example's directory, as `pulumi up` would. */
export function startExample(
  name: string,
  stack: string,
  config: Record<string, ConfigValue> = {},
): Promise<LocalStack> {
  return startLocalStack({ project: projectOf(name), stack, projectDir: exampleDir(name), config });
}

/** Clerk's store by the resource name recorded in the provider's marker. */
export function byName(users: StoredUser[]): Record<string, StoredUser> {
  return Object.fromEntries(users.map((u) => [readMarker(u.private_metadata)?.name ?? `unmarked:${u.id}`, u]));
}

export const emails = (u: StoredUser | undefined): string[] => (u?.email_addresses ?? []).map((e) => e.email_address);

/** Requests that change something in Clerk. */
export const writes = (stack: LocalStack): number =>
  stack.clerk.control.requests().filter((r) => r.method !== "GET").length;
