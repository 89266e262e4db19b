/**
 * A 404 means "gone" only from the instance that holds the user (organization, membership). The state records that instance's id; the key
 * in use must belong to it, or nothing is believed and nothing is changed.
 */
import type { ClerkGateway } from "../clerk/gateway";
import type { InstanceIdentity } from "../clerk/instance";
import { ClerkProviderError, ErrorCode } from "../errors/ClerkProviderError";

type Props = Record<string, unknown>;
type Ctx = {
  operation: string;
  userId?: string | undefined;
  clerkId?: string | undefined;
  resource?: string | undefined;
  resourceType?: string | undefined;
};

/** What the messages call the Clerk object a resource holds. */
const NOUNS: Readonly<Record<string, string>> = {
  ClerkOrganization: "organization",
  ClerkOrganizationMembership: "membership",
};
const nounOf = (ctx: Ctx): string => NOUNS[ctx.resourceType ?? ""] ?? "user";

/** The instance the key belongs to, checked against the one the state records (when it records one). */
export async function sameInstance(gw: ClerkGateway, state: Props, ctx: Ctx): Promise<InstanceIdentity> {
  const identity = await gw.identity();
  const recorded = state["instanceId"];
  if (typeof recorded === "string" && recorded !== identity.id) {
    throw new ClerkProviderError({
      ...ctx,
      code: ErrorCode.InstanceMismatch,
      detail:
        `the state says Clerk instance ${recorded} holds this ${nounOf(ctx)}, but the secret key in use belongs to ` +
        `instance ${identity.id}: nothing was changed. Set clerk:secretKey (and clerk:apiUrl) to ${recorded}'s`,
    });
  }
  return identity;
}

/**
 * Throws unless a 404 for this user (organization, membership) can be believed: the key belongs to the instance
 * the state records, or, for state written before instance ids were recorded, to the instance `clerk:instanceId`
 * pins.
 */
export async function confirmGone(gw: ClerkGateway, state: Props, pinned: boolean, ctx: Ctx): Promise<void> {
  const identity = await sameInstance(gw, state, ctx);
  if (typeof state["instanceId"] === "string" || pinned) return;
  throw new ClerkProviderError({
    ...ctx,
    code: ErrorCode.InstanceMismatch,
    status: 404,
    clerkCode: "resource_not_found",
    detail:
      `Clerk instance ${identity.id} answers 404, but the state (written by an older release) does not record ` +
      `which instance holds this ${nounOf(ctx)}, so "gone" cannot be proven and nothing was changed. If ${identity.id} is ` +
      `this stack's instance, run \`pulumi config set clerk:instanceId ${identity.id}\` and try again`,
  });
}
