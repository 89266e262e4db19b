import * as pulumi from "@pulumi/pulumi";
import type { JsonObject } from "../model/json";
import { MEMBERSHIP_FIELDS, MEMBERSHIP_OUTPUTS } from "../model/organization";
import type { ManagedBy } from "../model/UserInputs";
import { clerkMembershipProvider } from "../provider/membershipProvider";
import type { ClerkOrganizationMembershipArgs } from "./ClerkOrganizationMembershipArgs";
import { registration } from "./resourceProps";

/**
 * A user's membership of a Clerk organization as a Pulumi resource: created with its role and the managed-by
 * marker, the role changed in place, removed in Clerk when it leaves the program. Give it the option
 * `deletedWith: <the organization>`: Clerk never removes an organization's last admin, and deleting the
 * organization removes its memberships anyway.
 *
 * Credentials: stack config `clerk:secretKey` (secret) and `clerk:apiUrl`, else `CLERK_SECRET_KEY` / `CLERK_API_URL`.
 */
export class ClerkOrganizationMembership extends pulumi.dynamic.Resource {
  /** The organization (`org_…`). A change replaces the membership. */
  declare readonly organizationId: pulumi.Output<string>;
  /** The member (`user_…`). A change replaces the membership. */
  declare readonly userId: pulumi.Output<string>;
  /** The role key, e.g. "org:admin" or "org:member"; it must exist in the instance. Changed in place. */
  declare readonly role: pulumi.Output<string>;
  /** Readable by the frontend, writable only by the backend. Declarative: keys removed from the program are deleted. */
  declare readonly publicMetadata: pulumi.Output<JsonObject | undefined>;
  /** Backend-only. Secret. Declarative (the provider's marker is kept beside it). */
  declare readonly privateMetadata: pulumi.Output<JsonObject | undefined>;
  /** Set by `ClerkOrganizationMembership` itself: the project, stack and resource name recorded in the marker. */
  declare readonly managedBy: pulumi.Output<ManagedBy>;
  /** Clerk's membership id (`orgmem_…`); equal to the resource id. */
  declare readonly membershipId: pulumi.Output<string>;
  /** The Clerk instance (`ins_…`) holding the membership: a 404 from any other instance is never taken as gone. */
  declare readonly instanceId: pulumi.Output<string>;
  /** This resource's ownership id, also in the membership's marker: the proof that the membership is this resource's. */
  declare readonly ownerId: pulumi.Output<string>;
  /** Set when an update failed midway and Clerk could not be read back: the next `pulumi up` updates again. */
  declare readonly syncRequired: pulumi.Output<boolean | undefined>;

  constructor(name: string, args: ClerkOrganizationMembershipArgs, opts?: pulumi.CustomResourceOptions) {
    const r = registration(name, MEMBERSHIP_FIELDS, MEMBERSHIP_OUTPUTS, args, opts);
    super(clerkMembershipProvider, name, r.props, r.opts, "clerk", "OrganizationMembership");
  }
}
