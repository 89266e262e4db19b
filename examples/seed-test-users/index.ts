/**
 * Seeds many Clerk test users from a YAML file, each with its roles in publicMetadata.
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
import { ClerkUser } from "pulumi-clerk";

interface SeedUser {
  name: string;
  email: string;
  firstName?: string;
  lastName?: string;
  roles: string[];
}

const FIELDS = ["name", "email", "firstName", "lastName", "roles"];

/** Reads and validates the whole file before any resource is declared: a bad file creates nothing. */
function readSeedUsers(file: string): SeedUser[] {
  const raw: unknown = YAML.parse(fs.readFileSync(file, "utf8"));
  const problems: string[] = [];
  const users: SeedUser[] = [];
  if (!Array.isArray(raw)) throw new Error(`${file}: expected a list of users`);
  const names = new Map<string, number>();
  const emails = new Map<string, number>();
  raw.forEach((item: unknown, i: number) => {
    const u = (item ?? {}) as Record<string, unknown>;
    const label = `${path.basename(file)}[${i}]${typeof u["name"] === "string" ? ` "${u["name"]}"` : ""}`;
    for (const key of Object.keys(u))
      if (!FIELDS.includes(key)) problems.push(`${label}: unknown field "${key}" (fields: ${FIELDS.join(", ")})`);
    const { name, email, firstName, lastName, roles } = u;
    if (typeof name !== "string" || !/^[a-z0-9][a-z0-9-]*$/.test(name))
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
  if (problems.length) throw new Error(`invalid seed file; nothing was created:\n  ${problems.join("\n  ")}`);
  return users;
}

export = async () => {
  const config = new pulumi.Config();
  const file = path.resolve(__dirname, config.get("usersFile") ?? "users.yaml");
  const sharedPassword = config.getSecret("testPassword");
  const seed = readSeedUsers(file);

  const users: Record<string, { id: pulumi.Output<string>; email: string; roles: string[] }> = {};
  const passwords: Record<string, pulumi.Output<string | undefined>> = {};
  for (const u of seed) {
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
  return { users, passwords: pulumi.secret(pulumi.all(passwords)) };
};
