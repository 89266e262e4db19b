/** What the organization hooks share: their error context, the refusal's wording, the plan runner, "gone". */
import type { ClerkGateway } from "../clerk/gateway";
import type { ErrorContext } from "../errors/toProviderError";
import { ORGANIZATION_KIND, type OrganizationStep } from "../logic/organizations";
import { ORGANIZATION_FIELDS } from "../model/organization";
import type { ClerkOrganizationJSON } from "../model/organizationWire";
import { runSteps } from "./applyPlan";
import { resourceOf, type Props } from "./props";

/** The error context of an organization hook: the class, the table Clerk's blamed params map through, the id. */
export function organizationContext(operation: string, props: Props, id?: string): ErrorContext {
  return {
    operation,
    resourceType: ORGANIZATION_KIND,
    fields: ORGANIZATION_FIELDS,
    ...(id ? { clerkId: id } : {}),
    ...resourceOf(props),
  };
}

/** How `not_owner` names an organization and the deliberate way to take it over. */
export const ORGANIZATION_NOT_OWNER = {
  noun: "organization",
  remedy: (ref: string) =>
    "If that owner is gone or you mean to take the organization over, set " +
    `\`handOverFrom: "${ref}"\` on this resource and run \`pulumi up\` again; otherwise change the slug`,
};

/**
 * Runs an organization's update plan (PATCH, then PUT metadata) and returns the organization as the last answer
 * shows it (`undefined` for an empty plan). A failure is a `PlanFailure` naming the step.
 */
export function applyOrganizationPlan(
  gw: ClerkGateway,
  id: string,
  steps: OrganizationStep[],
): Promise<ClerkOrganizationJSON | undefined> {
  return runSteps(steps, (step) =>
    step.kind === "updateOrganization"
      ? gw.updateOrganization(id, step.params)
      : gw.replaceOrganizationMetadata(id, step.params),
  );
}
