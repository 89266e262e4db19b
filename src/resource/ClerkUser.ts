import * as pulumi from "@pulumi/pulumi";
import type { JsonObject } from "../model/json";
import { markNotJson } from "../logic/markNotJson";
import { fieldNames } from "../model/fields";
import { USER_OUTPUTS } from "../model/user";
import {
  SECRET_INPUT_KEYS,
  SECRET_KEYS,
  USER_INPUT_KEYS,
  type ManagedBy,
  type PasswordHasher,
} from "../model/UserInputs";
import { clerkUserProvider } from "../provider/clerkUserProvider";
import type { ClerkUserArgs } from "./ClerkUserArgs";

/** Outputs and promises resolve later: their values are marked when they arrive. */
const deferred = (v: unknown): boolean =>
  pulumi.Output.isInstance(v) ||
  (typeof v === "object" && v !== null && typeof (v as { then?: unknown }).then === "function");

function jsonSafe(value: unknown): unknown {
  if (!deferred(value)) return markNotJson(value, deferred);
  return (pulumi.output(value as pulumi.Input<object>) as pulumi.Output<unknown>).apply((v) =>
    markNotJson(v, deferred),
  );
}

/**
 * A Clerk user as a Pulumi resource: created on `pulumi up`, updated in place, and deleted in Clerk
 * (`users.deleteUser`) when it leaves the program or on `pulumi destroy`.
 *
 * Credentials: stack config `clerk:secretKey` (secret) and `clerk:apiUrl`, else `CLERK_SECRET_KEY` / `CLERK_API_URL`.
 */
export class ClerkUser extends pulumi.dynamic.Resource {
  /** Clerk's user id (`user_…`); equal to the resource id. */
  declare readonly userId: pulumi.Output<string>;
  declare readonly primaryEmailAddressId: pulumi.Output<string | null>;
  declare readonly primaryPhoneNumberId: pulumi.Output<string | null>;
  declare readonly primaryWeb3WalletId: pulumi.Output<string | null>;
  /** Clerk's sign-up time, RFC 3339. */
  declare readonly createdAt: pulumi.Output<string>;
  declare readonly emailAddresses: pulumi.Output<string[] | undefined>;
  declare readonly phoneNumbers: pulumi.Output<string[] | undefined>;
  declare readonly web3Wallets: pulumi.Output<string[] | undefined>;
  declare readonly username: pulumi.Output<string | undefined>;
  declare readonly firstName: pulumi.Output<string | undefined>;
  declare readonly lastName: pulumi.Output<string | undefined>;
  declare readonly externalId: pulumi.Output<string | undefined>;
  declare readonly locale: pulumi.Output<string | undefined>;
  declare readonly publicMetadata: pulumi.Output<JsonObject | undefined>;
  /** Secret. */
  declare readonly privateMetadata: pulumi.Output<JsonObject | undefined>;
  declare readonly unsafeMetadata: pulumi.Output<JsonObject | undefined>;
  declare readonly legalAcceptedAt: pulumi.Output<string | undefined>;
  declare readonly banned: pulumi.Output<boolean>;
  declare readonly locked: pulumi.Output<boolean>;
  declare readonly deleteSelfEnabled: pulumi.Output<boolean | undefined>;
  declare readonly createOrganizationEnabled: pulumi.Output<boolean | undefined>;
  declare readonly createOrganizationsLimit: pulumi.Output<number | undefined>;
  declare readonly bypassClientTrust: pulumi.Output<boolean | undefined>;
  declare readonly passwordEnabled: pulumi.Output<boolean>;
  declare readonly totpEnabled: pulumi.Output<boolean>;
  declare readonly backupCodeEnabled: pulumi.Output<boolean>;
  declare readonly twoFactorEnabled: pulumi.Output<boolean>;
  declare readonly passwordHasher: pulumi.Output<PasswordHasher | undefined>;
  /** Secret: only when `generatePassword` is set. */
  declare readonly generatedPassword: pulumi.Output<string | undefined>;
  /** Project, stack and resource name recorded in Clerk (private metadata) for the sweeper. */
  declare readonly managedBy: pulumi.Output<ManagedBy>;

  constructor(name: string, args: ClerkUserArgs, opts?: pulumi.CustomResourceOptions) {
    // Every input name is passed (undefined when not given) so its output exists even when the program left it
    // out: Clerk may hold a value (a refresh shows drift there), and `user.emailAddresses` must never be missing.
    // Unknown keys (a typo in JavaScript or JSON-built args) are passed too, so check names them; values JSON
    // cannot hold are marked, so check names their path instead of Pulumi silently altering them.
    const props: Record<string, unknown> = {};
    for (const k of USER_INPUT_KEYS) props[k] = undefined;
    for (const [k, v] of Object.entries(args ?? {})) props[k] = jsonSafe(v);
    // Secret inputs are wrapped so they stay secret even when the program passes plain strings.
    for (const k of SECRET_INPUT_KEYS) if (props[k] !== undefined) props[k] = pulumi.secret(props[k]);
    // Outputs the engine fills in: passed as undefined so they are declared but not inputs.
    for (const k of fieldNames(USER_OUTPUTS)) if (!(k in props)) props[k] = undefined;
    const managedBy: ManagedBy = { project: pulumi.getProject(), stack: pulumi.getStack(), name };
    super(
      clerkUserProvider,
      name,
      { ...props, managedBy },
      pulumi.mergeOptions(opts, { additionalSecretOutputs: [...SECRET_KEYS] }),
      "clerk",
      "User",
    );
  }
}
