/**
 * Who may touch a user: ownership is proven by the v2 marker's ownership id, never inferred from names. A user
 * another resource owns is refused, untouched, with the exact step that hands it over deliberately
 * (`handOverFrom`), which is also how a create that crashed after Clerk committed is taken back.
 */
import { ClerkProviderError, ErrorCode } from "../errors/ClerkProviderError";
import {
  isAdopted,
  mintOwnerId,
  ownedBy,
  readMarker,
  type ManagedByMarker,
  type Ownership,
} from "../marker/managedByMarker";
import type { JsonObject } from "../model/json";
import type { ManagedBy } from "../model/UserInputs";

/** How a marker is named in `handOverFrom`: its ownership id, or `project/stack/name` for a v1 marker. */
export function ownerRef(marker: ManagedByMarker): string {
  return marker.v === 2 ? marker.ownerId : `${marker.project}/${marker.stack}/${marker.name}`;
}

function describeOwner(marker: ManagedByMarker): string {
  const who = `project "${marker.project}", stack "${marker.stack}", resource "${marker.name}"`;
  return marker.v === 2 ? `${who} (owner ${marker.ownerId}, instance ${marker.instanceId})` : `${who} (older marker)`;
}

/** What a resource may do with an existing user, judged by its marker. */
export type Claim =
  /** This resource's own user (its ownership id is in the marker). */
  | { kind: "mine"; adopted: boolean }
  /** No marker: a user made outside Pulumi, taken over by `adopt`. */
  | { kind: "unmarked" }
  /** Another owner, named by `handOverFrom`: taken over deliberately, keeping how the user came to be. */
  | { kind: "handedOver"; adopted: boolean }
  /** Another owner, not named: refused. */
  | { kind: "refused"; marker: ManagedByMarker };

/** A Clerk object that may carry a marker: a user, an organization, a membership. */
export interface Marked {
  id: string;
  private_metadata?: JsonObject | null;
}

export function claimOf(user: Marked, ownerId: string, handOverFrom: string | undefined): Claim {
  const marker = readMarker(user.private_metadata);
  if (marker === undefined) return { kind: "unmarked" };
  if (ownedBy(marker, ownerId)) return { kind: "mine", adopted: isAdopted(marker) };
  // A v1 marker cannot tell a created user from an adopted one: taken over, it is treated as adopted.
  if (handOverFrom !== undefined && handOverFrom === ownerRef(marker))
    return { kind: "handedOver", adopted: marker.v === 2 ? marker.adopted : true };
  return { kind: "refused", marker };
}

/**
 * The ownership an update writes back, after checking the object is still this resource's: refused (`refuse`) when
 * its v2 marker names an owner other than the state's, unless `handOverFrom` names it (handed over to this resource,
 * or taken by it). Otherwise: the state's ownership id (a new one for state from before ownership ids, so the marker
 * is upgraded now), this instance, and whether the state says adopted.
 */
export function ownershipForUpdate(
  current: Marked,
  state: Partial<Ownership>,
  instanceId: string,
  handOverFrom: string | undefined,
  refuse: (marker: ManagedByMarker) => ClerkProviderError,
): Ownership {
  const marker = readMarker(current.private_metadata);
  if (marker?.v === 2 && marker.ownerId !== state.ownerId && marker.ownerId !== handOverFrom) throw refuse(marker);
  return { ownerId: state.ownerId ?? mintOwnerId(), instanceId, adopted: state.adopted === true };
}

/**
 * The refusal for a user another resource owns. When the marker names this very resource (same project,
 * stack and name, another ownership id), it is most likely this resource's own user from a create that
 * crashed before Pulumi saved the state, or the same names in another state backend: only a person can tell.
 */
export function notOwner(
  ctx: NotOwnerContext,
  user: Marked,
  marker: ManagedByMarker,
  managedBy: ManagedBy | undefined,
): ClerkProviderError {
  const sameNames =
    managedBy !== undefined &&
    marker.project === managedBy.project &&
    marker.stack === managedBy.stack &&
    marker.name === managedBy.name;
  const why = sameNames
    ? "its marker names this resource but carries another ownership id: it was created by a run whose state " +
      "was never saved (a crash mid-create), or by a stack of the same names in another state backend"
    : "another resource manages it";
  if (ctx.noun !== undefined) {
    const { noun, remedy, ...rest } = ctx;
    return new ClerkProviderError({
      ...rest,
      code: ErrorCode.NotOwner,
      clerkId: user.id,
      detail:
        `refusing to touch ${noun} ${user.id}: ${why}; its marker names ${describeOwner(marker)}. ` +
        (remedy ?? (() => ""))(ownerRef(marker)),
    });
  }
  return new ClerkProviderError({
    ...ctx,
    code: ErrorCode.NotOwner,
    userId: user.id,
    detail:
      `refusing to touch user ${user.id}: ${why}; its marker names ${describeOwner(marker)}. ` +
      `If that owner is gone or you mean to take the user over, set \`handOverFrom: "${ownerRef(marker)}"\` ` +
      "on this resource and run `pulumi up` again; otherwise change the identifiers",
  });
}

/**
 * Who is refused. For an organization or membership: its noun and what to do (given the owner's `handOverFrom`
 * reference), the sentence ending the message.
 */
export type NotOwnerContext = {
  operation: string;
  resource?: string | undefined;
  userId?: string | undefined;
  resourceType?: string | undefined;
  noun?: string;
  remedy?: (ownerRef: string) => string;
};

/**
 * Users claimed by a resource in this provider host (one deployment), so two resources of one program can
 * never adopt the same user, even when both find it unmarked at the same moment.
 */
const claims = new Map<string, { ownerId: string; resource: string | undefined }>();

export function claimInProcess(
  user: Marked,
  ownerId: string,
  ctx: { operation: string; resource?: string | undefined; resourceType?: string | undefined; noun?: string },
): void {
  const key = `${ctx.noun ?? "user"} ${user.id}`;
  const held = claims.get(key);
  if (held && held.ownerId !== ownerId) {
    const { noun = "user", ...rest } = ctx;
    throw new ClerkProviderError({
      ...rest,
      code: ErrorCode.NotOwner,
      ...(noun === "user" ? { userId: user.id } : { clerkId: user.id }),
      detail:
        `resource "${held.resource ?? "?"}" of this program already took ${noun} ${user.id} over: ` +
        `two resources cannot manage one ${noun}; declare it once`,
    });
  }
  claims.set(key, { ownerId, resource: ctx.resource });
}
