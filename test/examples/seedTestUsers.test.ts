/**
 * examples/seed-test-users, installed from the tarball, through the real provider host against the local Clerk:
 * its users and its organization with three members.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { LocalStack } from "../../scripts/lib/localStack";
import { parseMarker } from "../../src/marker/managedByMarker";
import { byName, emails, membershipsOf, organizationsByName, useInstalledExample, writes } from "./helpers";

const example = useInstalledExample("seed-test-users");

const EXPECTED: Record<string, { email: string; first: string | null; last: string | null; roles: string[] }> = {
  "admin-ada": { email: "ada@example.com", first: "Ada", last: "Lovelace", roles: ["admin"] },
  "editor-grace": { email: "grace@example.com", first: "Grace", last: "Hopper", roles: ["editor"] },
  "editor-linus": { email: "linus@example.com", first: "Linus", last: null, roles: ["editor", "reviewer"] },
  "viewer-margaret": { email: "margaret@example.com", first: "Margaret", last: "Hamilton", roles: ["viewer"] },
  "viewer-alan": { email: "alan@example.com", first: "Alan", last: "Turing", roles: ["viewer"] },
  "billing-barbara": { email: "barbara@example.com", first: "Barbara", last: "Liskov", roles: ["billing", "viewer"] },
  nobody: { email: "nobody@example.com", first: null, last: null, roles: [] },
};

/** 7 users, the organization `acme`, its 3 memberships. */
const RESOURCES = 11;

describe("examples/seed-test-users", () => {
  let stack: LocalStack | undefined;
  afterEach(async () => {
    await stack?.close();
    stack = undefined;
  });

  test("up creates exactly the users and the organization of users.yaml; up again changes nothing; destroy empties Clerk", async () => {
    stack = await example.start("dev");
    const r = await stack.engine.up(example.program);
    expect(r).toMatchObject({ created: RESOURCES, failures: [] });
    const users = byName(stack.clerk.control.users());
    expect(Object.keys(users).sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const [name, want] of Object.entries(EXPECTED)) {
      const u = users[name]!;
      expect({ emails: emails(u), first: u.first_name, last: u.last_name, public: u.public_metadata }).toEqual({
        emails: [want.email],
        first: want.first,
        last: want.last,
        public: { roles: want.roles },
      });
      expect((u.password ?? "").length).toBeGreaterThanOrEqual(16); // generated: no testPassword set
    }
    expect(new Set(Object.values(users).map((u) => u.password)).size).toBe(7);

    const orgs = organizationsByName(stack.clerk.control.organizations());
    expect(Object.keys(orgs)).toEqual(["acme"]);
    expect(orgs["acme"]!.name).toBe("Acme Inc.");
    // No slug in the file: the default one, the name and 8 characters of the resource's ownership id.
    const marker = parseMarker(orgs["acme"]!.private_metadata);
    const ownerId = marker.kind === "v2" ? marker.marker.ownerId : "";
    expect(orgs["acme"]!.slug).toBe(`acme-${ownerId.slice("own_".length, "own_".length + 8)}`);
    expect(membershipsOf(stack.clerk, orgs["acme"]!.id)).toEqual([
      "admin-ada org:admin",
      "editor-grace org:member",
      "viewer-margaret org:member",
    ]);

    stack.clerk.control.clearRequests();
    expect(await stack.engine.up(example.program)).toMatchObject({
      created: 0,
      updated: 0,
      deleted: 0,
      unchanged: RESOURCES,
    });
    expect(writes(stack)).toBe(0);

    expect(await stack.engine.destroy()).toMatchObject({ deleted: RESOURCES, failures: [] });
    expect(stack.clerk.control.users()).toEqual([]);
    expect(stack.clerk.control.organizations()).toEqual([]);
    expect(stack.clerk.control.memberships()).toEqual([]);
  });

  test("a shared testPassword from secret config", async () => {
    stack = await example.start("shared", {
      "seed-test-users:testPassword": { secret: "shared-test-Passw0rd" },
    });
    expect(await stack.engine.up(example.program)).toMatchObject({ created: RESOURCES, failures: [] });
    expect(stack.clerk.control.users().map((u) => u.password)).toEqual(Array(7).fill("shared-test-Passw0rd"));
    expect(await stack.engine.destroy()).toMatchObject({ deleted: RESOURCES });
    expect(stack.clerk.control.users()).toEqual([]);
    expect(stack.clerk.control.organizations()).toEqual([]);
  });

  test("a seed file with a typo and a duplicate creates nothing", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seed-"));
    const file = path.join(dir, "users.yaml");
    fs.writeFileSync(
      file,
      "- name: a\n  email: a@example.com\n  roles: [admin]\n- name: b\n  emial: b@example.com\n  roles: []\n- name: a\n  email: A@example.com\n  roles: []\n",
    );
    try {
      stack = await example.start("bad", { "seed-test-users:usersFile": file });
      await expect(stack.engine.up(example.program)).rejects.toThrow(
        /users\.yaml\[1\] "b": unknown field "emial"[\s\S]*users\.yaml\[2\] "a": "name" duplicates entry 0[\s\S]*users\.yaml\[2\] "a": "email" duplicates entry 0/,
      );
      expect(stack.clerk.control.users()).toEqual([]);
      expect(stack.clerk.control.requests()).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("an organization naming an unknown user, a member twice and a bad role creates nothing", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seed-"));
    const file = path.join(dir, "users.yaml");
    fs.writeFileSync(
      file,
      [
        "users:",
        "  - {name: a, email: a@example.com, roles: []}",
        "organizations:",
        "  - name: acme",
        "    members:",
        "      - {user: b, role: org:admin}",
        "      - {user: a, role: admin}",
        "      - {user: a, role: org:member}",
        "",
      ].join("\n"),
    );
    try {
      stack = await example.start("bad-org", { "seed-test-users:usersFile": file });
      await expect(stack.engine.up(example.program)).rejects.toThrow(
        /users\.yaml organizations\[0\] "acme" members\[0\]: "user" must name a user of the file[\s\S]*members\[1\]: "role" must be an organization role[\s\S]*members\[2\]: "user" is already a member/,
      );
      expect(stack.clerk.control.users()).toEqual([]);
      expect(stack.clerk.control.organizations()).toEqual([]);
      expect(stack.clerk.control.requests()).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
