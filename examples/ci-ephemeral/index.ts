/**
 * The users and the tenant one pull request's e2e tests need, in a stack of their own (`pr-123`). CI runs
 * `pulumi up` before the tests and `pulumi destroy --remove` after them, always, so Clerk holds no leftovers from
 * closed PRs.
 *
 * Emails, external ids and the tenant's slug carry the stack name, so stacks of concurrent PRs never collide in
 * one Clerk instance.
 *
 *   pulumi stack init pr-123
 *   pulumi config set emailDomain example.com        # optional
 *   pulumi up
 *   pulumi stack output users --json                  # ids and emails for the tests
 *   pulumi stack output tenant --json                 # the organization's id, slug and members' roles
 *   pulumi stack output passwords --show-secrets --json
 *   pulumi destroy --remove
 */
import * as pulumi from "@pulumi/pulumi";
import { ClerkOrganization, ClerkOrganizationMembership, ClerkUser } from "pulumi-clerk";

/** The personas the e2e suite signs in as, and their app roles. */
const PERSONAS: Record<string, string[]> = {
  admin: ["admin"],
  member: ["member"],
  viewer: ["viewer"],
};

/** The tenant's members and their organization roles; `viewer` belongs to no organization. */
const TENANT_ROLES: Record<string, string> = {
  admin: "org:admin",
  member: "org:member",
};

export = async () => {
  const config = new pulumi.Config();
  const stack = pulumi.getStack(); // e.g. "pr-123"
  const domain = config.get("emailDomain") ?? "example.com";
  const slug = stack.toLowerCase().replace(/[^a-z0-9-]/g, "-");

  const users: Record<string, { id: pulumi.Output<string>; email: string }> = {};
  const userIds: Record<string, pulumi.Output<string>> = {};
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
    userIds[persona] = user.id;
    passwords[persona] = user.generatedPassword;
  }

  // One tenant per PR: its slug carries the stack name, so it is unique per stack (and known to the tests).
  const tenant = new ClerkOrganization("tenant", {
    name: `E2E tenant (${stack})`,
    slug: `e2e-${slug}`,
    publicMetadata: { ephemeral: true, stack },
  });
  for (const [persona, role] of Object.entries(TENANT_ROLES)) {
    // deletedWith: destroy deletes the organization, which removes its memberships, so Clerk never has to refuse
    // removing the tenant's last admin.
    new ClerkOrganizationMembership(
      `tenant-${persona}`,
      { organizationId: tenant.id, userId: userIds[persona]!, role },
      { deletedWith: tenant },
    );
  }

  return {
    users,
    tenant: { id: tenant.id, slug: tenant.slug, roles: TENANT_ROLES },
    passwords: pulumi.secret(pulumi.all(passwords)),
  };
};
