/**
 * The write calls of a user, typed with `@clerk/backend`'s own parameters. Each is marked as a write, so the
 * instance's read snapshot is dropped before it goes out.
 *
 * create -> POST /users
 * update -> PATCH /users/{id}, PUT /users/{id}/metadata, POST /users/{id}/ban|unban|lock|unlock,
 *           POST/PATCH/DELETE /email_addresses, /phone_numbers
 * delete -> DELETE /users/{id}
 */
import { isNotFound } from "../errors/clerkApiError";
import type { CreateUserParams, ReplaceMetadataParams, UpdateUserParams } from "../model/clerkParams";
import type { ClerkEmailAddressJSON, ClerkPhoneNumberJSON, ClerkUserJSON } from "../model/wire";
import { rawOf } from "./reader";
import type { Call, ClerkClient } from "./registry";

type Users = ClerkClient["users"];

export interface UserWrites {
  createUser(params: CreateUserParams): Promise<ClerkUserJSON>;
  updateUser(userId: string, params: UpdateUserParams): Promise<ClerkUserJSON>;
  replaceUserMetadata(userId: string, params: ReplaceMetadataParams): Promise<ClerkUserJSON>;
  banUser(userId: string): Promise<ClerkUserJSON>;
  unbanUser(userId: string): Promise<ClerkUserJSON>;
  lockUser(userId: string): Promise<ClerkUserJSON>;
  unlockUser(userId: string): Promise<ClerkUserJSON>;
  createEmailAddress(p: { userId: string; emailAddress: string; primary: boolean }): Promise<ClerkEmailAddressJSON>;
  setPrimaryEmailAddress(emailAddressId: string): Promise<ClerkEmailAddressJSON>;
  /** `false` when it was already gone (404). */
  deleteEmailAddress(emailAddressId: string): Promise<boolean>;
  createPhoneNumber(p: { userId: string; phoneNumber: string; primary: boolean }): Promise<ClerkPhoneNumberJSON>;
  setPrimaryPhoneNumber(phoneNumberId: string): Promise<ClerkPhoneNumberJSON>;
  deletePhoneNumber(phoneNumberId: string): Promise<boolean>;
  /** `false` when the user was already gone (404): deleting twice is success. */
  deleteUser(userId: string): Promise<boolean>;
}

export function createUserWrites(client: ClerkClient, call: Call): UserWrites {
  const write = async <T>(label: string, fn: () => Promise<unknown>, userWrite?: string): Promise<T> =>
    rawOf<T>(await call({ label, write: true, ...(userWrite ? { userWrite } : {}) }, fn));
  const deleting = async (label: string, fn: () => Promise<unknown>): Promise<boolean> => {
    try {
      await call({ label, write: true }, fn);
      return true;
    } catch (e) {
      if (isNotFound(e)) return false;
      throw e;
    }
  };
  const { users, emailAddresses, phoneNumbers } = client;
  return {
    // The SDK's types say Date for the timestamps; it serializes either to the same JSON (see clerkParams).
    createUser: (params) =>
      write("POST /users", () => users.createUser(params as unknown as Parameters<Users["createUser"]>[0])),
    updateUser: (userId, params) =>
      write(
        `PATCH /users/${userId}`,
        () => users.updateUser(userId, params as unknown as Parameters<Users["updateUser"]>[1]),
        userId,
      ),
    replaceUserMetadata: (userId, params) =>
      write(`PUT /users/${userId}/metadata`, () => users.replaceUserMetadata(userId, params), userId),
    banUser: (userId) => write(`POST /users/${userId}/ban`, () => users.banUser(userId)),
    unbanUser: (userId) => write(`POST /users/${userId}/unban`, () => users.unbanUser(userId)),
    lockUser: (userId) => write(`POST /users/${userId}/lock`, () => users.lockUser(userId)),
    unlockUser: (userId) => write(`POST /users/${userId}/unlock`, () => users.unlockUser(userId)),
    createEmailAddress: ({ userId, emailAddress, primary }) =>
      write("POST /email_addresses", () =>
        emailAddresses.createEmailAddress({ userId, emailAddress, verified: true, primary }),
      ),
    setPrimaryEmailAddress: (id) =>
      write(`PATCH /email_addresses/${id}`, () => emailAddresses.updateEmailAddress(id, { primary: true })),
    deleteEmailAddress: (id) => deleting(`DELETE /email_addresses/${id}`, () => emailAddresses.deleteEmailAddress(id)),
    createPhoneNumber: ({ userId, phoneNumber, primary }) =>
      write("POST /phone_numbers", () =>
        phoneNumbers.createPhoneNumber({ userId, phoneNumber, verified: true, primary }),
      ),
    setPrimaryPhoneNumber: (id) =>
      write(`PATCH /phone_numbers/${id}`, () => phoneNumbers.updatePhoneNumber(id, { primary: true })),
    deletePhoneNumber: (id) => deleting(`DELETE /phone_numbers/${id}`, () => phoneNumbers.deletePhoneNumber(id)),
    deleteUser: (userId) => deleting(`DELETE /users/${userId}`, () => users.deleteUser(userId)),
  };
}
