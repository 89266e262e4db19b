import type * as pulumi from "@pulumi/pulumi";
import type { JsonObject } from "../model/json";

/**
 * Arguments of a `ClerkOrganizationMembership`. `organizationId` and `userId` accept the outputs of a
 * `ClerkOrganization` and a `ClerkUser`. Each doc comment is the field table's doc line (`src/model/organization.ts`);
 * a test keeps the two equal.
 */
export interface ClerkOrganizationMembershipArgs {
  /** The organization (`org_…`). A change replaces the membership. */
  organizationId: pulumi.Input<string>;
  /** The member (`user_…`). A change replaces the membership. */
  userId: pulumi.Input<string>;
  /** The role key, e.g. "org:admin" or "org:member"; it must exist in the instance. Changed in place. */
  role: pulumi.Input<string>;
  /** Readable by the frontend, writable only by the backend. Declarative: keys removed from the program are deleted. */
  publicMetadata?: pulumi.Input<JsonObject>;
  /** Backend-only. Secret. Declarative (the provider's marker is kept beside it). */
  privateMetadata?: pulumi.Input<JsonObject>;
}
