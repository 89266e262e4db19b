/**
 * Seeds many Clerk test users from a YAML file, each with its roles in publicMetadata, and the organizations
 * (tenants) they belong to, each member with its organization role.
 *
 *   pulumi config set --secret testPassword '<a shared password for all test users>'   # optional
 *   pulumi up
 *
 * Without `testPassword`, each user gets a generated password (secret output `passwords`).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as YAML from "yaml";
import { ClerkOrganization, ClerkOrganizationMembership, ClerkUser } from "pulumi-clerk";

interface SeedUser {
  name: string;
  email: string;
  firstName?: string;
  lastName?: string;
  roles: string[];
}

interface SeedOrganization {
  name: string;
  displayName?: string;
  slug?: string;
  members: { user: string; role: string }[];
}

const USER_FIELDS = ["name", "email", "firstName", "lastName", "roles"];
const ORGANIZATION_FIELDS = ["name", "displayName", "slug", "members"];
const MEMBER_FIELDS = ["user", "role"];
const NAME = /^[a-z0-9][a-z0-9-]*$/;

/**
 * Reads and validates the whole file before any resource is declared: a bad file creates nothing. The file is a
 * mapping with `users` and `organizations` lists (a plain list is users only).
 */
function readSeed(file: string): { users: SeedUser[]; organizations: SeedOrganization[] } {
  const raw: unknown = YAML.parse(fs.readFileSync(file, "utf8"));
  const doc = (Array.isArray(raw) ? { users: raw } : (raw ?? {})) as Record<string, unknown>;
  const problems: string[] = [];
  const base = path.basename(file);
  if (!Array.isArray(doc["users"])) throw new Error(`${file}: expected a "users" list`);
  const rawOrganizations = doc["organizations"] ?? [];
  if (!Array.isArray(rawOrganizations)) throw new Error(`${file}: "organizations" must be a list`);

  const users: SeedUser[] = [];
  const names = new Map<string, number>();
  const emails = new Map<string, number>();
  doc["users"].forEach((item: unknown, i: number) => {
    const u = (item ?? {}) as Record<string, unknown>;
    const label = `${base}[${i}]${typeof u["name"] === "string" ? ` "${u["name"]}"` : ""}`;
    for (const key of Object.keys(u))
      if (!USER_FIELDS.includes(key))
        problems.push(`${label}: unknown field "${key}" (fields: ${USER_FIELDS.join(", ")})`);
    const { name, email, firstName, lastName, roles } = u;
    if (typeof name !== "string" || !NAME.test(name))
      problems.push(`${label}: "name" must be a lowercase key such as "admin-ada"`);
    if (typeof email !== "string" || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
      problems.push(`${label}: "email" must be an email address`);
    if (!Array.isArray(roles) || !roles.every((r) => typeof r === "string"))
      problems.push(`${label}: "roles" must be a list of role names`);
    for (const [field, value] of [
      ["firstName", firstName],
      ["lastName", lastName],
    ] as const)
      if (value !== undefined && typeof value !== "string") problems.push(`${label}: "${field}" must be text`);
    if (typeof name === "string") {
      if (names.has(name)) problems.push(`${label}: "name" duplicates entry ${names.get(name)}`);
      names.set(name, i);
    }
    if (typeof email === "string") {
      const key = email.toLowerCase();
      if (emails.has(key)) problems.push(`${label}: "email" duplicates entry ${emails.get(key)}`);
      emails.set(key, i);
    }
    users.push(u as unknown as SeedUser);
  });

  const organizations: SeedOrganization[] = [];
  const orgNames = new Map<string, number>();
  rawOrganizations.forEach((item: unknown, i: number) => {
    const o = (item ?? {}) as Record<string, unknown>;
    const label = `${base} organizations[${i}]${typeof o["name"] === "string" ? ` "${o["name"]}"` : ""}`;
    for (const key of Object.keys(o))
      if (!ORGANIZATION_FIELDS.includes(key))
        problems.push(`${label}: unknown field "${key}" (fields: ${ORGANIZATION_FIELDS.join(", ")})`);
    const { name, displayName, slug, members } = o;
    if (typeof name !== "string" || !NAME.test(name))
      problems.push(`${label}: "name" must be a lowercase key such as "acme"`);
    else if (orgNames.has(name)) problems.push(`${label}: "name" duplicates organization ${orgNames.get(name)}`);
    else orgNames.set(name, i);
    if (displayName !== undefined && typeof displayName !== "string")
      problems.push(`${label}: "displayName" must be text`);
    if (slug !== undefined && (typeof slug !== "string" || !/^[a-z0-9-]+$/.test(slug)))
      problems.push(`${label}: "slug" must be lowercase letters, digits and "-"`);
    if (!Array.isArray(members)) {
      problems.push(`${label}: "members" must be a list of {user, role}`);
      return;
    }
    const seen = new Set<string>();
    members.forEach((m: unknown, j: number) => {
      const member = (m ?? {}) as Record<string, unknown>;
      const at = `${label} members[${j}]`;
      for (const key of Object.keys(member))
        if (!MEMBER_FIELDS.includes(key)) problems.push(`${at}: unknown field "${key}" (fields: user, role)`);
      const { user, role } = member;
      if (typeof user !== "string" || !names.has(user)) problems.push(`${at}: "user" must name a user of the file`);
      else if (seen.has(user)) problems.push(`${at}: "user" is already a member`);
      else seen.add(user);
      if (typeof role !== "string" || !/^org:[a-z0-9_]+$/.test(role))
        problems.push(`${at}: "role" must be an organization role such as "org:admin" or "org:member"`);
    });
    organizations.push(o as unknown as SeedOrganization);
  });

  if (problems.length) throw new Error(`invalid seed file; nothing was created:\n  ${problems.join("\n  ")}`);
  return { users, organizations };
}

export = async () => {
  const config = new pulumi.Config();
  const file = path.resolve(__dirname, config.get("usersFile") ?? "users.yaml");
  const sharedPassword = config.getSecret("testPassword");
  const seed = readSeed(file);

  const users: Record<string, { id: pulumi.Output<string>; email: string; roles: string[] }> = {};
  const passwords: Record<string, pulumi.Output<string | undefined>> = {};
  for (const u of seed.users) {
    const user = new ClerkUser(u.name, {
      emailAddresses: [u.email],
      ...(u.firstName !== undefined ? { firstName: u.firstName } : {}),
      ...(u.lastName !== undefined ? { lastName: u.lastName } : {}),
      publicMetadata: { roles: u.roles },
      ...(sharedPassword ? { password: sharedPassword } : { generatePassword: true }),
    });
    users[u.name] = { id: user.id, email: u.email, roles: u.roles };
    if (!sharedPassword) passwords[u.name] = user.generatedPassword;
  }

  const organizations: Record<
    string,
    { id: pulumi.Output<string>; slug: pulumi.Output<string>; members: Record<string, string> }
  > = {};
  for (const o of seed.organizations) {
    const organization = new ClerkOrganization(o.name, {
      name: o.displayName ?? o.name,
      ...(o.slug !== undefined ? { slug: o.slug } : {}),
    });
    for (const m of o.members) {
      // deletedWith: destroy deletes the organization, which removes its memberships in Clerk, so Clerk never has
      // to refuse removing the organization's last admin.
      new ClerkOrganizationMembership(
        `${o.name}-${m.user}`,
        { organizationId: organization.id, userId: users[m.user]!.id, role: m.role },
        { deletedWith: organization },
      );
    }
    organizations[o.name] = {
      id: organization.id,
      slug: organization.slug,
      members: Object.fromEntries(o.members.map((m) => [m.user, m.role])),
    };
  }
  return { users, organizations, passwords: pulumi.secret(pulumi.all(passwords)) };
};
