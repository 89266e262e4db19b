import type { UserInputs } from "./UserInputs";

/**
 * The state of a ClerkUser: the managed fields as Clerk holds them (mapped back to input shape, so a
 * refresh never shows false drift), the write-only inputs carried over, and Clerk's computed fields.
 * Never contains `undefined` (the host's Struct encoding rejects it): absent fields are omitted.
 */
export interface UserOutputs extends Omit<UserInputs, "createdAt"> {
  /** Clerk's user id; equal to the resource id. */
  userId: string;
  primaryEmailAddressId: string | null;
  primaryPhoneNumberId: string | null;
  primaryWeb3WalletId: string | null;
  /** Clerk's sign-up time, as an RFC 3339 string (Clerk sends milliseconds). */
  createdAt: string;
  passwordEnabled: boolean;
  totpEnabled: boolean;
  backupCodeEnabled: boolean;
  twoFactorEnabled: boolean;
  /**
   * The input names the program declared, sorted. The Node host passes only the old outputs to `read`, so
   * this is how a refresh tells a declared `banned: false` from Clerk's default.
   */
  declaredInputs?: string[];
  /** Only when `generatePassword` was set: the password the provider generated on create. Secret. */
  generatedPassword?: string;
}
