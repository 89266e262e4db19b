/**
 * The users one pull request's e2e tests need, in a stack of their own (`pr-123`). CI runs `pulumi up` before the
 * tests and `pulumi destroy --remove` after them, always, so Clerk holds no leftovers from closed PRs.
 *
 * Emails and external ids carry the stack name, so stacks of concurrent PRs never collide in one Clerk instance.
 *
 *   pulumi stack init pr-123
 *   pulumi config set emailDomain example.com        # optional
 *   pulumi up
 *   pulumi stack output users --json                  # ids and emails for the tests
 *   pulumi stack output passwords --show-secrets --json
 *   pulumi destroy --remove
 */
import * as pulumi from "@pulumi/pulumi";
import { ClerkUser } from "pulumi-clerk";

/** The personas the e2e suite signs in as, and their roles. */
const PERSONAS: Record<string, string[]> = {
  admin: ["admin"],
  member: ["member"],
  viewer: ["viewer"],
};

export = async () => {
  const config = new pulumi.Config();
  const stack = pulumi.getStack(); // e.g. "pr-123"
  const domain = config.get("emailDomain") ?? "example.com";
  const slug = stack.toLowerCase().replace(/[^a-z0-9-]/g, "-");

  const users: Record<string, { id: pulumi.Output<string>; email: string }> = {};
  const passwords: Record<string, pulumi.Output<string | undefined>> = {};
  for (const [persona, roles] of Object.entries(PERSONAS)) {
    const email = `e2e+${slug}-${persona}@${domain}`;
    const user = new ClerkUser(persona, {
      emailAddresses: [email],
      firstName: "E2E",
      lastName: `${persona} (${stack})`,
      externalId: `e2e:${slug}:${persona}`,
      publicMetadata: { roles, ephemeral: true, stack },
      generatePassword: true,
    });
    users[persona] = { id: user.id, email };
    passwords[persona] = user.generatedPassword;
  }
  return { users, passwords: pulumi.secret(pulumi.all(passwords)) };
};
