import type { Handler } from "./context";
import { createEmailAddress, deleteEmailAddress, getEmailAddress, updateEmailAddress } from "./emailAddresses";
import { getInstance } from "./instance";
import { countUsers, listUsers } from "./listUsers";
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
};

/** Operations whose writes count against Clerk's 10 requests / 10 s per-user limit. */
export const PER_USER_WRITE_OPERATIONS: ReadonlySet<string> = new Set([
  "UpdateUser",
  "UpdateUserMetadata",
  "ReplaceUserMetadata",
]);
