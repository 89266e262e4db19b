/**
 * `npm run demo`: the root Pulumi program's lifecycle against an embedded local Clerk on loopback.
 *
 *   1. up       create the users of examples/config/Pulumi.demo.yaml (+ examples/config/users.yaml) and its
 *               organization with two members
 *   2. show     the users and the organization as Clerk now holds them
 *   3. change   one user (a role in publicMetadata) and its organization role, up again: two in-place updates
 *   4. destroy  and show that Clerk holds no user and no organization
 *
 * With a `pulumi` CLI on PATH it runs the real CLI (Automation API, throwaway file:// backend and passphrase);
 * otherwise it drives the real dynamic-provider host directly through the engine-shaped driver. Exit 0 only if
 * every step succeeded and Clerk (local) ends with 0 users and 0 organizations.
 */
import * as crypto from "node:crypto";
import * as path from "node:path";
import { Engine, type ConfigValue, type EngineEvent } from "../test/harness";
import { startLocalClerk, type LocalClerk } from "../test/local-clerk";
import { organizationsTable, progressLine, seconds, usersTable } from "./lib/demoOutput";
import { startLocalStack, type LocalStack } from "./lib/localStack";
import { hasPulumiCli, startCliStack, type CliStack } from "./lib/pulumiCli";
import { readStackConfig, structured } from "./lib/stackConfig";

const REPO = path.resolve(__dirname, "..", "..");
const PROJECT = "pulumi-clerk";
const STACK = "demo";
const CONFIG_FILE = path.join(REPO, "examples", "config", "Pulumi.demo.yaml");
const USERS_KEY = `${PROJECT}:users`;
const ORGANIZATIONS_KEY = `${PROJECT}:organizations`;
/** The users entry the demo edits (a role in its publicMetadata), and its organization role. */
const CHANGED = "qa-viewer";
const CHANGED_ROLE = { from: "org:member", to: "org:admin" };

type Entry = Record<string, unknown> & { name: string };
type OrganizationEntry = Entry & { members: (Record<string, unknown> & { user: string; role: string })[] };

interface Totals {
  created: number;
  updated: number;
  deleted: number;
}

/** One way to run the stack: the real CLI, or the host driven directly. */
interface Runner {
  up(
    config: Record<string, ConfigValue>,
  ): Promise<{ created: number; updated: number; deleted: number; unchanged: number }>;
  destroy(): Promise<{ deleted: number }>;
  close(): Promise<void>;
}

const out = (line = ""): void => void process.stdout.write(line + "\n");

/** The engine-shaped driver over the real dynamic-provider host (cwd = the repository root). */
async function engineRunner(clerk: LocalClerk, config: Record<string, ConfigValue>): Promise<Runner> {
  const onEvent = (e: EngineEvent): void => {
    if (e.op === "same" || e.op === "read") return;
    // A delete that the deletion of its deletedWith resource (a member's organization) takes along: no Clerk call.
    const deletedWith = (e as { deletedWith?: string }).deletedWith;
    if (deletedWith && e.status === "succeeded")
      out(progressLine(e.op, e.name, true, undefined, undefined, `with ${deletedWith.split("::").pop() ?? ""}`));
    else if (e.status === "succeeded" || e.status === "failed")
      out(progressLine(e.op, e.name, e.status === "succeeded", e.ms, e.error));
    else if (e.status === "retained") out(`  ${e.name} retained (retainOnDelete): left in Clerk, dropped from state`);
  };
  let stack: LocalStack = await startLocalStack({
    project: PROJECT,
    stack: STACK,
    projectDir: REPO,
    config,
    clerk,
    onEvent,
  });
  const program = require("../program") as () => unknown;
  let first = true;
  return {
    async up(cfg) {
      if (!first) {
        // Same host and state, edited config: as after `pulumi config set --path ...`.
        const engine = new Engine({
          host: stack.host,
          project: PROJECT,
          stack: STACK,
          config: {
            ...stack.config,
            ...cfg,
            "clerk:secretKey": stack.config["clerk:secretKey"]!,
            "clerk:apiUrl": stack.config["clerk:apiUrl"]!,
          },
          state: stack.engine.toJSON(),
          onEvent,
        });
        stack = { ...stack, engine };
      }
      first = false;
      const r = await stack.engine.up(program);
      if (r.failures.length)
        throw new Error(`up failed: ${r.failures.map((f) => `${f.name}: ${f.message}`).join("; ")}`);
      return { created: r.created + r.replaced, updated: r.updated, deleted: r.deleted, unchanged: r.unchanged };
    },
    async destroy() {
      const r = await stack.engine.destroy();
      if (r.failures.length)
        throw new Error(`destroy failed: ${r.failures.map((f) => `${f.name}: ${f.message}`).join("; ")}`);
      return { deleted: r.deleted };
    },
    close: () => stack.close(),
  };
}

/** The real Pulumi CLI through the Automation API. */
async function cliRunner(clerk: LocalClerk): Promise<Runner> {
  const cli: CliStack = await startCliStack(REPO, STACK);
  const onStep = (op: string, name: string, ok: boolean): void => out(progressLine(op, name, ok));
  const local = { "clerk:secretKey": { secret: clerk.secretKey }, "clerk:apiUrl": clerk.url };
  return {
    async up(cfg) {
      const c = await cli.up({ ...cfg, ...local }, onStep);
      return { created: c.create, updated: c.update, deleted: c.delete, unchanged: c.same };
    },
    async destroy() {
      const c = await cli.destroy(onStep);
      return { deleted: c.delete };
    },
    close: () => cli.close(),
  };
}

const count = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? "" : "s"}`;

/** What Clerk (local) holds: its users, then its organizations with their members. */
function showClerk(clerk: LocalClerk): { users: number; organizations: number } {
  const users = clerk.control.users();
  out(`Clerk (local) now holds ${count(users.length, "user")}${users.length ? ":" : ""}`);
  if (users.length) for (const line of usersTable(users)) out(line);
  const organizations = clerk.control.organizations();
  out(`Clerk (local) now holds ${count(organizations.length, "organization")}${organizations.length ? ":" : ""}`);
  if (organizations.length)
    for (const line of organizationsTable(organizations, clerk.control.memberships(), users)) out(line);
  return { users: users.length, organizations: organizations.length };
}

async function main(): Promise<number> {
  const t0 = Date.now();
  const totals: Totals = { created: 0, updated: 0, deleted: 0 };
  const clerk = await startLocalClerk({ host: "127.0.0.1" });
  let runner: Runner | undefined;
  let upDone = false;
  try {
    out(`pulumi-clerk demo: the root Pulumi program against an embedded local Clerk at ${clerk.url}`);
    // PULUMI_CLERK_DEMO_NO_CLI=1 forces the CLI-less path (used by the demo's own test).
    const useCli = process.env["PULUMI_CLERK_DEMO_NO_CLI"] !== "1" && hasPulumiCli();
    if (!useCli)
      out(
        "No `pulumi` CLI on PATH: driving the real dynamic-provider host directly (as `pulumi up` would), without the CLI.",
      );

    // A throwaway password for the entry that reads one from secret config (`passwordSecret: qaAdminPassword`).
    const config = readStackConfig(CONFIG_FILE, {
      [`${PROJECT}:qaAdminPassword`]: crypto.randomBytes(12).toString("base64url"),
    });
    delete config["clerk:secretKey"];
    delete config["clerk:apiUrl"];
    const users = structured<Entry[]>(config, USERS_KEY);
    const organizations = structured<OrganizationEntry[]>(config, ORGANIZATIONS_KEY);
    out(
      `Stack config: ${path.relative(REPO, CONFIG_FILE)} (${count(users.length, "user")}, ` +
        `${count(organizations.length, "organization")}) + usersFile ${config[`${PROJECT}:usersFile`] as string}`,
    );
    out();

    runner = useCli ? await cliRunner(clerk) : await engineRunner(clerk, config);

    out("1. pulumi up");
    const s1 = Date.now();
    const r1 = await runner.up(config);
    upDone = true;
    totals.created += r1.created;
    totals.updated += r1.updated;
    totals.deleted += r1.deleted;
    out(`   ${r1.created} created in ${seconds(Date.now() - s1)}`);
    out();
    showClerk(clerk);
    out();

    const edited = users.map((u) =>
      u.name === CHANGED
        ? { ...u, publicMetadata: { ...(u["publicMetadata"] as object), roles: ["viewer", "editor"] } }
        : u,
    );
    const index = users.findIndex((u) => u.name === CHANGED);
    const orgIndex = organizations.findIndex((o) => o.members.some((m) => m.user === CHANGED));
    const organization = organizations[orgIndex];
    const memberIndex = organization?.members.findIndex((m) => m.user === CHANGED) ?? -1;
    if (!organization || memberIndex < 0) throw new Error(`${CHANGED} is a member of no organization in the config`);
    const editedOrganizations = organizations.map((o, i) =>
      i === orgIndex
        ? { ...o, members: o.members.map((m, j) => (j === memberIndex ? { ...m, role: CHANGED_ROLE.to } : m)) }
        : o,
    );
    out(
      `2. change ${CHANGED}: roles viewer -> viewer,editor   (pulumi config set --path 'users[${index}].publicMetadata.roles[1]' editor)`,
    );
    out(
      `   and its ${organization.name} role ${CHANGED_ROLE.from} -> ${CHANGED_ROLE.to}   ` +
        `(pulumi config set --path 'organizations[${orgIndex}].members[${memberIndex}].role' ${CHANGED_ROLE.to})`,
    );
    const idBefore = clerk.control
      .users()
      .find((u) => u.email_addresses.some((e) => e.email_address === "qa-viewer@example.com"))?.id;
    const membershipBefore = clerk.control.memberships({ userId: idBefore ?? "" })[0];
    const s2 = Date.now();
    const r2 = await runner.up({
      ...config,
      [USERS_KEY]: JSON.stringify(edited),
      [ORGANIZATIONS_KEY]: JSON.stringify(editedOrganizations),
    });
    totals.created += r2.created;
    totals.updated += r2.updated;
    totals.deleted += r2.deleted;
    out(`   ${r2.updated} updated, ${r2.unchanged} unchanged in ${seconds(Date.now() - s2)}`);
    const after = clerk.control.users().find((u) => u.id === idBefore);
    if (!after) throw new Error(`${CHANGED} was not updated in place: its Clerk user ${idBefore ?? "?"} is gone`);
    out(
      `   ${CHANGED} is still ${after.id}; Clerk now has roles ${JSON.stringify((after.public_metadata as { roles?: unknown }).roles)}`,
    );
    const membership = clerk.control.memberships({ userId: after.id })[0];
    if (!membership || membership.id !== membershipBefore?.id)
      throw new Error(`${CHANGED}'s membership was not updated in place: ${membershipBefore?.id ?? "?"} is gone`);
    out(`   its membership is still ${membership.id}; Clerk now has role ${membership.role}`);
    out();

    out("3. pulumi destroy");
    const s3 = Date.now();
    const r3 = await runner.destroy();
    upDone = false;
    totals.deleted += r3.deleted;
    out(`   ${r3.deleted} deleted in ${seconds(Date.now() - s3)}`);
    out();
    const left = showClerk(clerk);
    out();
    out(
      `Summary: created ${totals.created}, updated ${totals.updated}, deleted ${totals.deleted} in ${seconds(Date.now() - t0)}`,
    );
    if (left.users !== 0 || left.organizations !== 0) {
      process.stderr.write(
        `demo failed: Clerk (local) still holds ${count(left.users, "user")} and ` +
          `${count(left.organizations, "organization")} after destroy\n`,
      );
      return 1;
    }
    return 0;
  } catch (e) {
    process.stderr.write(`\ndemo failed: ${e instanceof Error ? e.message : String(e)}\n`);
    if (runner && upDone) {
      try {
        await runner.destroy(); // best effort: leave no users or organizations behind
      } catch {
        /* reported above */
      }
    }
    return 1;
  } finally {
    await runner?.close().catch(() => undefined);
    await clerk.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`demo failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
