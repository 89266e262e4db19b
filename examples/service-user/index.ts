/**
 * One long-lived service user (a bot that signs in to the app), declared once and protected: `pulumi destroy`
 * refuses to delete it, and so does any `pulumi up` that would replace it.
 *
 *   pulumi config set --secret servicePassword '<password>'
 *   pulumi config set adopt true      # optional: take over an existing user with this externalId / email
 *   pulumi up
 *
 * To really delete it: remove `protect` (or `pulumi state unprotect <urn>`), then `pulumi destroy`.
 */
import * as pulumi from "@pulumi/pulumi";
import { ClerkUser } from "pulumi-clerk";

export = async () => {
  const config = new pulumi.Config();
  const bot = new ClerkUser(
    "support-bot",
    {
      username: "support-bot",
      emailAddresses: [config.get("email") ?? "support-bot@example.com"],
      externalId: "svc:support-bot",
      firstName: "Support",
      lastName: "Bot",
      publicMetadata: { roles: ["service"], kind: "service-account" },
      privateMetadata: { owner: "platform-team" },
      password: config.requireSecret("servicePassword"),
      adopt: config.getBoolean("adopt") ?? false,
    },
    { protect: true },
  );
  return { userId: bot.id, username: bot.username };
};
