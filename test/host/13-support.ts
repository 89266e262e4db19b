/**
 * Shared by the issue-13 host tests (`13-*.test.ts`): stacks with their own project/stack names sharing one local
 * Clerk, seeding users the way a person would have made them, and reading markers and ownership out of Clerk
 * and state.
 */
import { MARKER_KEY } from "../../src/marker/managedByMarker";
import type { LocalClerk, StoredUser } from "../local-clerk";
import { newId } from "../local-clerk/ids";
import type { EngineFailure, StateEntry } from "../harness";
import { startStack, type Stack, type StackOptions } from "./support";

export const DAY = 86_400_000;

/** A stack (its own provider host process, engine and in-memory state) of `project`/`stack` against `clerk`. */
export function stackOf(
  clerk: LocalClerk,
  project: string,
  stack: string,
  opts: Omit<StackOptions, "clerk" | "stack"> = {},
): Promise<Stack> {
  return startStack({ ...opts, clerk, stack, engine: { project, ...opts.engine } });
}

export interface SeedSpec {
  emails: string[];
  firstName?: string;
  lastName?: string;
  username?: string;
  externalId?: string;
  publicMetadata?: StoredUser["public_metadata"];
  privateMetadata?: StoredUser["private_metadata"];
  password?: string;
  phones?: string[];
  web3Wallets?: string[];
  /** How long before now the user was created. Default one day. */
  ageMs?: number;
}

/** A user made outside Pulumi (the dashboard, a sign-up): put straight into the store, no API request. */
export function seedUser(clerk: LocalClerk, spec: SeedSpec): StoredUser {
  const createdAt = Date.now() - (spec.ageMs ?? DAY);
  const emails = spec.emails.map((email) => ({
    id: newId("idn", createdAt),
    email_address: email,
    verified: true,
    reserved: false,
    created_at: createdAt,
    updated_at: createdAt,
  }));
  const phones = (spec.phones ?? []).map((phone) => ({
    id: newId("idn", createdAt),
    phone_number: phone,
    verified: true,
    reserved: false,
    reserved_for_second_factor: false,
    default_second_factor: false,
    created_at: createdAt,
    updated_at: createdAt,
  }));
  const wallets = (spec.web3Wallets ?? []).map((wallet) => ({
    id: newId("idn", createdAt),
    web3_wallet: wallet,
    verified: true,
    created_at: createdAt,
    updated_at: createdAt,
  }));
  return clerk.control.putUser({
    id: newId("user", createdAt),
    created_at: createdAt,
    updated_at: createdAt,
    first_name: spec.firstName ?? null,
    last_name: spec.lastName ?? null,
    username: spec.username ?? null,
    external_id: spec.externalId ?? null,
    public_metadata: spec.publicMetadata ?? {},
    private_metadata: spec.privateMetadata ?? {},
    password: spec.password ?? null,
    email_addresses: emails,
    primary_email_address_id: emails[0]?.id ?? null,
    phone_numbers: phones,
    primary_phone_number_id: phones[0]?.id ?? null,
    web3_wallets: wallets,
    primary_web3_wallet_id: wallets[0]?.id ?? null,
  });
}

/** The marker a stored user carries (`undefined` when it carries none). */
export function markerOf(user: StoredUser | undefined): Record<string, unknown> | undefined {
  return user?.private_metadata[MARKER_KEY] as Record<string, unknown> | undefined;
}

/** Email addresses of a stored user, primary first. */
export function emailsOf(user: StoredUser): string[] {
  const primary = user.email_addresses.filter((e) => e.id === user.primary_email_address_id);
  const rest = user.email_addresses.filter((e) => e.id !== user.primary_email_address_id);
  return [...primary, ...rest].map((e) => e.email_address);
}

/** The single state entry named `name`. */
export function entryOf(stack: Stack, name: string): StateEntry {
  const found = stack.engine.state().filter((e) => e.name === name);
  if (found.length !== 1) throw new Error(`expected one state entry "${name}", found ${found.length}`);
  return found[0]!;
}

/** `METHOD /path` of every request Clerk received since the log was last cleared, ids replaced by `X`. */
export function calls(clerk: LocalClerk): string[] {
  return clerk.control.requests().map((r) => `${r.method} ${r.path.replace(/\b(user|idn)_\w+/g, "$1_X")}`);
}

/** The requests that change something in Clerk (anything but GET and HEAD). */
export function writes(clerk: LocalClerk): string[] {
  return calls(clerk).filter((c) => !c.startsWith("GET ") && !c.startsWith("HEAD "));
}

/** The one failure of an operation, with its message. */
export function onlyFailure(failures: EngineFailure[]): EngineFailure {
  expect(failures).toHaveLength(1);
  return failures[0]!;
}

/** Everything the provider host printed (warnings of `pulumi.log.warn` land here, the host has no engine). */
export function hostOutput(stack: Stack): string {
  return stack.host.stdout() + stack.host.stderr();
}

/** The `handOverFrom` value a `not_owner` message tells the user to set. */
export function handOverFromIn(message: string): string | undefined {
  return /set `handOverFrom: "([^"]+)"`/.exec(message)?.[1];
}

/** Regex-escapes `text`. */
export function re(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
