import type { Handler } from "./context";
import { createEmailAddress, deleteEmailAddress, getEmailAddress, updateEmailAddress } from "./emailAddresses";
import { getInstance } from "./instance";
import { countUsers, listUsers } from "./listUsers";
import {
  createMembership,
  deleteMembership,
  listInstanceMemberships,
  listMemberships,
  listUserMemberships,
  updateMembership,
  updateMembershipMetadata,
} from "./memberships";
import {
  createOrganization,
  deleteOrganization,
  getOrganization,
  listOrganizations,
  mergeOrganizationMetadata,
  replaceOrganizationMetadata,
  updateOrganization,
} from "./organizations";
import { createPhoneNumber, deletePhoneNumber, getPhoneNumber, updatePhoneNumber } from "./phoneNumbers";
import {
  banUser,
  createUser,
  deleteBackupCodes,
  deleteTotp,
  deleteUser,
  disableMfa,
  getUser,
  lockUser,
  mergeMetadata,
  removePassword,
  replaceMetadata,
  unbanUser,
  unlockUser,
  updateUser,
} from "./users";

/**
 * Implemented operations, keyed by the spec's operationId (routing itself comes from the spec).
 * An operation the spec knows but this map lacks answers a loud 404 naming it.
 */
export const HANDLERS: Readonly<Record<string, Handler>> = {
  CreateUser: createUser,
  GetUserList: listUsers,
  GetUsersCount: countUsers,
  GetUser: getUser,
  UpdateUser: updateUser,
  DeleteUser: deleteUser,
  UpdateUserMetadata: mergeMetadata,
  ReplaceUserMetadata: replaceMetadata,
  BanUser: banUser,
  UnbanUser: unbanUser,
  LockUser: lockUser,
  UnlockUser: unlockUser,
  RemoveUserPassword: removePassword,
  DeleteTOTP: deleteTotp,
  DeleteBackupCode: deleteBackupCodes,
  DisableMFA: disableMfa,
  CreateEmailAddress: createEmailAddress,
  GetEmailAddress: getEmailAddress,
  UpdateEmailAddress: updateEmailAddress,
  DeleteEmailAddress: deleteEmailAddress,
  CreatePhoneNumber: createPhoneNumber,
  GetPhoneNumber: getPhoneNumber,
  UpdatePhoneNumber: updatePhoneNumber,
  DeletePhoneNumber: deletePhoneNumber,
  GetInstance: getInstance,
  CreateOrganization: createOrganization,
  ListOrganizations: listOrganizations,
  GetOrganization: getOrganization,
  UpdateOrganization: updateOrganization,
  DeleteOrganization: deleteOrganization,
  MergeOrganizationMetadata: mergeOrganizationMetadata,
  ReplaceOrganizationMetadata: replaceOrganizationMetadata,
  CreateOrganizationMembership: createMembership,
  ListOrganizationMemberships: listMemberships,
  UpdateOrganizationMembership: updateMembership,
  DeleteOrganizationMembership: deleteMembership,
  UpdateOrganizationMembershipMetadata: updateMembershipMetadata,
  InstanceGetOrganizationMemberships: listInstanceMemberships,
  UsersGetOrganizationMemberships: listUserMemberships,
};

/** Operations that exist only while organizations are enabled on the instance (else 403, error index). */
export const ORGANIZATION_OPERATIONS: ReadonlySet<string> = new Set([
  "CreateOrganization",
  "ListOrganizations",
  "GetOrganization",
  "UpdateOrganization",
  "DeleteOrganization",
  "MergeOrganizationMetadata",
  "ReplaceOrganizationMetadata",
  "CreateOrganizationMembership",
  "ListOrganizationMemberships",
  "UpdateOrganizationMembership",
  "DeleteOrganizationMembership",
  "UpdateOrganizationMembershipMetadata",
  "InstanceGetOrganizationMemberships",
  "UsersGetOrganizationMemberships",
]);

/**
 * Writes with their own budget besides the instance's (NOTES §3, Clerk's system limits: 10 requests / 10 s each):
 * per user for user updates and metadata, per organization for organization updates and metadata, per membership
 * for membership updates (role and metadata).
 */
export type WriteBudget = "user" | "organization" | "membership";
export const WRITE_BUDGETS: Readonly<Record<string, WriteBudget>> = {
  UpdateUser: "user",
  UpdateUserMetadata: "user",
  ReplaceUserMetadata: "user",
  UpdateOrganization: "organization",
  MergeOrganizationMetadata: "organization",
  ReplaceOrganizationMetadata: "organization",
  UpdateOrganizationMembership: "membership",
  UpdateOrganizationMembershipMetadata: "membership",
};
