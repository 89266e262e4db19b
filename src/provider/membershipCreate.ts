/**
 * `create` of a ClerkOrganizationMembership: one POST with the role, the metadata and the marker under a fresh
 * ownership id. A membership that already exists is never taken silently (decisions 3 and 6 of
 * decisions/0015-organizations.md): only one carrying this very ownership id (a retried POST whose first answer
 * was lost) is this resource's; one made by the organization's `createdBy` or outside Pulumi is `already_member`,
 * one another resource manages is `not_owner`.
 */
import type { ClerkGateway } from "../clerk/gateway";
import { clerkCodeOf, isClerkApiError } from "../errors/clerkApiError";
import { ClerkProviderError, ErrorCode } from "../errors/ClerkProviderError";
import { toProviderError, type ErrorContext } from "../errors/toProviderError";
import { membershipCreateParams, membershipOutputs } from "../logic/organizations";
import { mintOwnerId, ownedBy, readMarker, type Ownership } from "../marker/managedByMarker";
import type { MembershipInputs } from "../model/organization";
import type { ClerkMembershipJSON } from "../model/organizationWire";
import { RetryBudgetExhaustedError } from "../scheduler/RetryBudgetExhaustedError";
import { MEMBERSHIP_NOT_OWNER } from "./membershipSupport";
import { notOwner } from "./ownership";
import { recordDeclared, type Props } from "./props";

/** Answers after which the membership may exist: already a member, or (checked first by Clerk) the limit reached. */
const MAYBE_EXISTS = new Set(["already_a_member_in_organization", "organization_membership_quota_exceeded"]);

export async function createMembership(
  gw: ClerkGateway,
  inputs: MembershipInputs,
  ctx: ErrorContext,
): Promise<{ id: string; outs: Props }> {
  const { id: instanceId } = await gw.identity();
  const ownership: Ownership = { ownerId: mintOwnerId(), instanceId, adopted: false };
  let m: ClerkMembershipJSON;
  try {
    m = await gw.createMembership(membershipCreateParams(inputs, ownership));
  } catch (e) {
    m = await recoverCreate(gw, inputs, ownership.ownerId, ctx, e);
  }
  const { adopted: _never, ...claim } = ownership;
  return { id: m.id, outs: recordDeclared(membershipOutputs(m, inputs, claim), inputs) };
}

async function recoverCreate(
  gw: ClerkGateway,
  inputs: MembershipInputs,
  ownerId: string,
  ctx: ErrorContext,
  err: unknown,
): Promise<ClerkMembershipJSON> {
  const ambiguous =
    !isClerkApiError(err) || err.status === undefined || err.status >= 500 || RetryBudgetExhaustedError.isInstance(err);
  if (!ambiguous && !MAYBE_EXISTS.has(clerkCodeOf(err) ?? "")) throw toProviderError(err, ctx);
  const { organizationId = "", userId = "" } = inputs;
  let found: ClerkMembershipJSON | undefined;
  try {
    found = await gw.findMembership(organizationId, userId);
  } catch {
    const detail = "the membership may have been created; could not check";
    throw toProviderError(err, { ...ctx, detail });
  }
  if (!found) throw toProviderError(err, ctx);
  const marker = readMarker(found.private_metadata);
  if (ownedBy(marker, ownerId)) return found;
  if (marker) throw notOwner({ ...ctx, ...MEMBERSHIP_NOT_OWNER }, found, marker, inputs.managedBy);
  throw alreadyMember(ctx, found, err);
}

/** The user is a member already, not through this resource: by the organization's `createdBy`, or outside Pulumi. */
function alreadyMember(ctx: ErrorContext, found: ClerkMembershipJSON, err: unknown): ClerkProviderError {
  const { user_id: userId, organization_id: organizationId } = found;
  const byCreator = found.organization?.created_by === userId;
  const detail = byCreator
    ? `user ${userId} is the createdBy of organization ${organizationId}, which made them an ${found.role} member ` +
      "that belongs to the organization. Drop this membership resource, or drop createdBy and declare this " +
      "membership with role org:admin instead"
    : `user ${userId} is already a member of organization ${organizationId} (membership ${found.id}, role ` +
      `${found.role}), made outside Pulumi. Remove that membership in Clerk, or drop this resource`;
  return new ClerkProviderError({
    ...ctx,
    code: ErrorCode.AlreadyMember,
    status: isClerkApiError(err) ? err.status : undefined,
    clerkCode: clerkCodeOf(err),
    traceId: isClerkApiError(err) ? err.clerkTraceId || undefined : undefined,
    field: "userId",
    detail,
  });
}
