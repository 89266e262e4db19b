import type * as pulumi from "@pulumi/pulumi";
import type { JsonObject } from "../model/json";

/**
 * Arguments of a `ClerkOrganization`, camelCase as in `@clerk/backend`. Only `name` is required. Each doc comment
 * is the field table's doc line (`src/model/organization.ts`); a test keeps the two equal.
 */
export interface ClerkOrganizationArgs {
  /** The organization's name (≤ 256 characters; no URL or HTML). Changed in place. */
  name: pulumi.Input<string>;
  /** Unique per instance: lowercase letters, digits and `-`. Changed in place. Default: derived at create from the resource name and the ownership id, so two stacks of one program never collide. */
  slug?: pulumi.Input<string>;
  /** How many members the organization may have; 0 means unlimited. Managed only when declared. */
  maxAllowedMemberships?: pulumi.Input<number>;
  /** A user id (`user_…`) Clerk makes an `org:admin` member at create; that membership goes with the organization. Create-only: a later change is not applied. */
  createdBy?: pulumi.Input<string>;
  /** RFC 3339 creation time, to backdate migrated organizations. */
  createdAt?: pulumi.Input<string>;
  /** The key of the role set the organization uses. Managed only when declared. */
  roleSetKey?: pulumi.Input<string>;
  /** Take over an existing organization found by `slug` instead of failing with `form_identifier_exists`. Undeclared fields are left as they are; an organization another resource owns is refused. */
  adopt?: pulumi.Input<boolean>;
  /** The owner an organization is deliberately taken from: the `ownerId` (or `project/stack/name` of an older marker) that a `not_owner` error names. */
  handOverFrom?: pulumi.Input<string>;
  /** Readable by the frontend, writable only by the backend. Replaced as a whole on update. */
  publicMetadata?: pulumi.Input<JsonObject>;
  /** Backend-only. Secret. Replaced as a whole on update (the provider's marker is kept beside it). */
  privateMetadata?: pulumi.Input<JsonObject>;
}
