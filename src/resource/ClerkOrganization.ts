import * as pulumi from "@pulumi/pulumi";
import type { JsonObject } from "../model/json";
import { ORGANIZATION_FIELDS, ORGANIZATION_OUTPUTS } from "../model/organization";
import type { ManagedBy } from "../model/UserInputs";
import { clerkOrganizationProvider } from "../provider/organizationProvider";
import type { ClerkOrganizationArgs } from "./ClerkOrganizationArgs";
import { registration } from "./resourceProps";

/**
 * A Clerk organization as a Pulumi resource: created on `pulumi up` with the managed-by marker in its private
 * metadata, updated in place (name, slug, limit, metadata), and deleted in Clerk (`organizations.deleteOrganization`,
 * which removes its memberships) when it leaves the program or on `pulumi destroy`.
 *
 * Credentials: stack config `clerk:secretKey` (secret) and `clerk:apiUrl`, else `CLERK_SECRET_KEY` / `CLERK_API_URL`.
 */
export class ClerkOrganization extends pulumi.dynamic.Resource {
  /** The organization's name (≤ 256 characters; no URL or HTML). Changed in place. */
  declare readonly name: pulumi.Output<string>;
  /** Unique per instance: lowercase letters, digits and `-`. Changed in place. Default: derived at create from the resource name and the ownership id, so two stacks of one program never collide. */
  declare readonly slug: pulumi.Output<string>;
  /** How many members the organization may have; 0 means unlimited. Managed only when declared. */
  declare readonly maxAllowedMemberships: pulumi.Output<number>;
  /** A user id (`user_…`) Clerk makes an `org:admin` member at create; that membership goes with the organization. Create-only: a later change is not applied. */
  declare readonly createdBy: pulumi.Output<string | undefined>;
  /** RFC 3339 creation time, to backdate migrated organizations. */
  declare readonly createdAt: pulumi.Output<string>;
  /** The key of the role set the organization uses. Managed only when declared. */
  declare readonly roleSetKey: pulumi.Output<string | undefined>;
  /** Readable by the frontend, writable only by the backend. Replaced as a whole on update. */
  declare readonly publicMetadata: pulumi.Output<JsonObject | undefined>;
  /** Backend-only. Secret. Replaced as a whole on update (the provider's marker is kept beside it). */
  declare readonly privateMetadata: pulumi.Output<JsonObject | undefined>;
  /** Set by `ClerkOrganization` itself: the project, stack and resource name recorded in the marker. */
  declare readonly managedBy: pulumi.Output<ManagedBy>;
  /** Clerk's organization id (`org_…`); equal to the resource id. */
  declare readonly organizationId: pulumi.Output<string>;
  /** The Clerk instance (`ins_…`) holding the organization: a 404 from any other instance is never taken as gone. */
  declare readonly instanceId: pulumi.Output<string>;
  /** This resource's ownership id, also in the organization's marker: the proof that the organization is this resource's. */
  declare readonly ownerId: pulumi.Output<string>;
  /** Whether the organization existed before this resource took it over (then `clerk-sweep` never deletes it). */
  declare readonly adopted: pulumi.Output<boolean>;
  /** Set when an update failed midway and Clerk could not be read back: the next `pulumi up` updates again. */
  declare readonly syncRequired: pulumi.Output<boolean | undefined>;

  constructor(name: string, args: ClerkOrganizationArgs, opts?: pulumi.CustomResourceOptions) {
    const r = registration(name, ORGANIZATION_FIELDS, ORGANIZATION_OUTPUTS, args, opts);
    super(clerkOrganizationProvider, name, r.props, r.opts, "clerk", "Organization");
  }
}
