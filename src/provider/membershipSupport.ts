/** What the membership hooks share: their error context, the refusals' wording, the plan runner, "gone". */
import type { ClerkGateway } from "../clerk/gateway";
import { clerkCodeOf, isClerkApiError } from "../errors/clerkApiError";
import { ClerkProviderError, ErrorCode } from "../errors/ClerkProviderError";
import { toProviderError, type ErrorContext } from "../errors/toProviderError";
import { MEMBERSHIP_KIND, type MembershipStep } from "../logic/organizations";
import { MEMBERSHIP_FIELDS } from "../model/organization";
import type { ClerkMembershipJSON } from "../model/organizationWire";
import { runSteps } from "./applyPlan";
import { resourceOf, type Props } from "./props";

/** Clerk's answer when a change would leave an organization without a member who can run it. */
const MINIMUM_PERMISSIONS = "organization_minimum_permissions_needed";

/** The error context of a membership hook: the class, the table Clerk's blamed params map through, the id. */
export function membershipContext(operation: string, props: Props, id?: string): ErrorContext {
  return {
    operation,
    resourceType: MEMBERSHIP_KIND,
    fields: MEMBERSHIP_FIELDS,
    ...(id ? { clerkId: id } : {}),
    ...resourceOf(props),
  };
}

/** How `not_owner` names a membership: there is no hand-over for memberships, only the owner letting go. */
export const MEMBERSHIP_NOT_OWNER = {
  noun: "membership",
  remedy: () =>
    "Remove it from the program that manages it (or delete the membership in Clerk), then run `pulumi up` again",
};

/** `last_admin`: Clerk refused to remove or demote the organization's last admin. State stays as Clerk holds it. */
export function lastAdmin(err: unknown, ctx: ErrorContext, removing: boolean): ClerkProviderError {
  const base = toProviderError(err, ctx);
  const detail = removing
    ? "the membership is still there: Clerk never removes an organization's last admin. Give this membership the " +
      "option `deletedWith: <its organization>` so a destroy deletes the organization (and its memberships) " +
      "instead, or delete the organization in the same update"
    : "Clerk never demotes an organization's last admin: make another member org:admin first, then change this role";
  const field = removing ? {} : { field: "role" };
  return new ClerkProviderError({ ...ctx, ...initOf(base), ...field, code: ErrorCode.LastAdmin, detail });
}

function initOf(e: ClerkProviderError) {
  const { status, clerkCode, longMessage, traceId } = e;
  return { status, clerkCode, longMessage, traceId };
}

export function isLastAdmin(err: unknown): boolean {
  return isClerkApiError(err) && err.status === 400 && clerkCodeOf(err) === MINIMUM_PERMISSIONS;
}

/**
 * Runs a membership's update plan (role, then the metadata merge) and returns the membership as the last answer
 * shows it (`undefined` for an empty plan). A failure is a `PlanFailure` naming the step.
 */
export function applyMembershipPlan(
  gw: ClerkGateway,
  m: { organizationId: string; userId: string },
  steps: MembershipStep[],
): Promise<ClerkMembershipJSON | undefined> {
  return runSteps(steps, (step) =>
    step.kind === "updateRole"
      ? gw.updateMembershipRole(m.organizationId, m.userId, step.role)
      : gw.mergeMembershipMetadata(m.organizationId, m.userId, step.params),
  );
}
