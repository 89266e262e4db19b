import * as pulumi from "@pulumi/pulumi";
import type { JsonObject } from "../model/json";
import { USER_FIELDS, USER_OUTPUTS } from "../model/user";
import type { ManagedBy, PasswordHasher } from "../model/UserInputs";
import { clerkUserProvider } from "../provider/clerkUserProvider";
import type { ClerkUserArgs } from "./ClerkUserArgs";
import { registration } from "./resourceProps";

/**
 * A Clerk user as a Pulumi resource: created on `pulumi up`, updated in place, and deleted in Clerk
 * (`users.deleteUser`) when it leaves the program or on `pulumi destroy`.
 *
 * Credentials: stack config `clerk:secretKey` (secret) and `clerk:apiUrl`, else `CLERK_SECRET_KEY` / `CLERK_API_URL`.
 */
export class ClerkUser extends pulumi.dynamic.Resource {
  /** Email addresses; the first is primary. Changed in place (the user keeps its id and sessions). */
  declare readonly emailAddresses: pulumi.Output<string[] | undefined>;
  /** E.164 phone numbers; the first is primary. Changed in place. */
  declare readonly phoneNumbers: pulumi.Output<string[] | undefined>;
  /** Web3 wallets (0x + 40 hex). Clerk cannot add a wallet later, so changing them replaces the user. */
  declare readonly web3Wallets: pulumi.Output<string[] | undefined>;
  /** Unique per instance; no whitespace. */
  declare readonly username: pulumi.Output<string | undefined>;
  /** Given name. */
  declare readonly firstName: pulumi.Output<string | undefined>;
  /** Family name. */
  declare readonly lastName: pulumi.Output<string | undefined>;
  /** Your system's id for the user; unique per Clerk instance. */
  declare readonly externalId: pulumi.Output<string | undefined>;
  /** BCP 47 locale, e.g. "en-US". */
  declare readonly locale: pulumi.Output<string | undefined>;
  /** The algorithm of `passwordDigest` (one of Clerk's hashers, e.g. `bcrypt`). */
  declare readonly passwordHasher: pulumi.Output<PasswordHasher | undefined>;
  /** RFC 3339 sign-up time, to backdate migrated users. */
  declare readonly createdAt: pulumi.Output<string>;
  /** RFC 3339 time the user accepted the legal terms. */
  declare readonly legalAcceptedAt: pulumi.Output<string | undefined>;
  /** Ban (true) or unban (false) through Clerk's ban endpoints. */
  declare readonly banned: pulumi.Output<boolean>;
  /** Lock (true) or unlock (false); needs the lockout feature. Managed only when declared. */
  declare readonly locked: pulumi.Output<boolean>;
  /** Whether the user may delete their own account. */
  declare readonly deleteSelfEnabled: pulumi.Output<boolean | undefined>;
  /** Whether the user may create organizations. */
  declare readonly createOrganizationEnabled: pulumi.Output<boolean | undefined>;
  /** How many organizations the user may create; 0 means unlimited. */
  declare readonly createOrganizationsLimit: pulumi.Output<number | undefined>;
  /** Skip Clerk's client-trust check for this user. */
  declare readonly bypassClientTrust: pulumi.Output<boolean | undefined>;
  /** Readable by the frontend, writable only by the backend. Replaced as a whole on update. */
  declare readonly publicMetadata: pulumi.Output<JsonObject | undefined>;
  /** Backend-only. Secret. Replaced as a whole on update (the provider's marker is kept beside it). */
  declare readonly privateMetadata: pulumi.Output<JsonObject | undefined>;
  /** Readable and writable by the frontend. Replaced as a whole on update; managed only when declared. */
  declare readonly unsafeMetadata: pulumi.Output<JsonObject | undefined>;
  /** Set by `ClerkUser` itself: the project, stack and resource name recorded in the marker. */
  declare readonly managedBy: pulumi.Output<ManagedBy>;
  /** Clerk's user id (`user_…`); equal to the resource id. */
  declare readonly userId: pulumi.Output<string>;
  /** Id of the primary email address. */
  declare readonly primaryEmailAddressId: pulumi.Output<string | null>;
  /** Id of the primary phone number. */
  declare readonly primaryPhoneNumberId: pulumi.Output<string | null>;
  /** Id of the primary web3 wallet. */
  declare readonly primaryWeb3WalletId: pulumi.Output<string | null>;
  /** Whether the user has a password. */
  declare readonly passwordEnabled: pulumi.Output<boolean>;
  /** Whether TOTP is set up. */
  declare readonly totpEnabled: pulumi.Output<boolean>;
  /** Whether backup codes are set up. */
  declare readonly backupCodeEnabled: pulumi.Output<boolean>;
  /** Whether any second factor is set up. */
  declare readonly twoFactorEnabled: pulumi.Output<boolean>;
  /** The Clerk instance (`ins_…`) holding the user: a 404 from any other instance is never taken as gone. */
  declare readonly instanceId: pulumi.Output<string | undefined>;
  /** This resource's ownership id, also in the user's marker: the proof that the user is this resource's. */
  declare readonly ownerId: pulumi.Output<string | undefined>;
  /** Whether the user existed before this resource took it over (then `clerk-sweep` never deletes it). */
  declare readonly adopted: pulumi.Output<boolean | undefined>;
  /** Set when an update failed midway and Clerk could not be read back: the next `pulumi up` updates again. */
  declare readonly syncRequired: pulumi.Output<boolean | undefined>;
  /** Secret: the password the provider generated, only when `generatePassword` is set. */
  declare readonly generatedPassword: pulumi.Output<string | undefined>;

  constructor(name: string, args: ClerkUserArgs, opts?: pulumi.CustomResourceOptions) {
    // Every input name is passed (undefined when not given) so its output exists even when the program left it
    // out: Clerk may hold a value (a refresh shows drift there), and `user.emailAddresses` must never be missing.
    // Unknown keys (a typo in JavaScript or JSON-built args) are passed too, so check names them; values JSON
    // cannot hold are marked, so check names their path instead of Pulumi silently altering them. Secret inputs
    // are wrapped so they stay secret even when the program passes plain strings (resourceProps.ts).
    const r = registration(name, USER_FIELDS, USER_OUTPUTS, args, opts);
    super(clerkUserProvider, name, r.props, r.opts, "clerk", "User");
  }
}
