/**
 * The only way the provider and the sweeper talk to Clerk: an instance's read path, user writes, and the reads
 * and writes of organizations and memberships, all through `@clerk/backend` and the instance's shared scheduler
 * (rate limits, retries, timeouts).
 */
import type { Scheduler } from "../scheduler/types";
import type { InstanceIdentity } from "./instance";
import type { Reader } from "./reader";
import { createOrganizationReads, type OrganizationReads } from "./organizationReader";
import { createOrganizationWrites, type OrganizationWrites } from "./organizationWrites";
import { instanceFor, resetInstances, type InstanceOptions } from "./registry";
import type { ClerkSettings } from "./settings";
import { createUserWrites, type UserWrites } from "./userWrites";

export type { ListPage, UserFilter } from "./reader";

export type ClerkGateway = Omit<Reader, "invalidate"> &
  UserWrites &
  OrganizationReads &
  OrganizationWrites & {
    scheduler: Scheduler;
    /** The instance the key belongs to (asked once per process; fails on a `clerk:instanceId` mismatch). */
    identity(): Promise<InstanceIdentity>;
  };
export type GatewayOptions = InstanceOptions;

const gateways = new WeakMap<object, ClerkGateway>();

/** The gateway of the instance `settings` names: one per instance per process, as its scheduler. */
export function gatewayFor(settings: ClerkSettings, opts: GatewayOptions = {}): ClerkGateway {
  const instance = instanceFor(settings, opts);
  let gw = gateways.get(instance);
  if (!gw) {
    const { getUser, loadUser, peekUser, findUsers, listUsers } = instance.reader;
    gw = {
      scheduler: instance.scheduler,
      identity: instance.identity,
      getUser,
      loadUser,
      peekUser,
      findUsers,
      listUsers,
      ...createUserWrites(instance.client, instance.call),
      ...createOrganizationReads(instance.client, instance.call),
      ...createOrganizationWrites(instance.client, instance.call),
    };
    gateways.set(instance, gw);
  }
  return gw;
}

/** Test hook: drop every instance (and so its scheduler and gateway), so changed settings take effect. */
export function resetGateways(): void {
  resetInstances();
}
