import type { JsonObject } from "./json";

/**
 * Clerk's wire shapes of organizations and memberships (snake_case, spec 2026-05-12), limited to the fields the
 * provider reads. The gateway returns these (the SDK's `raw`), so mapping code is pure.
 */
export interface ClerkOrganizationJSON {
  object: "organization";
  id: string;
  name: string;
  slug: string;
  max_allowed_memberships: number;
  public_metadata: JsonObject;
  private_metadata?: JsonObject | null;
  /** Absent when nobody created the organization through the API. */
  created_by?: string;
  /** Not mapped by the SDK's `Organization`: read from `raw`. */
  role_set_key?: string | null;
  created_at: number;
  updated_at: number;
}

/**
 * A membership as Clerk answers it, plus `organization_id` and `user_id` lifted from the nested `organization`
 * and `public_user_data` (the gateway adds them), so that the field table can name them as wire attributes.
 */
export interface ClerkMembershipJSON {
  object: "organization_membership";
  id: string;
  role: string;
  public_metadata: JsonObject;
  private_metadata?: JsonObject | null;
  organization: ClerkOrganizationJSON;
  public_user_data: { user_id: string };
  organization_id: string;
  user_id: string;
  created_at: number;
  updated_at: number;
}
