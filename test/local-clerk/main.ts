#!/usr/bin/env node
import type { EnvironmentType } from "./instance";
import { startLocalClerk } from "./server";

/**
 * Manual use: `node dist/test/local-clerk/main.js [--port 0] [--host 127.0.0.1] [--key sk_test_…]... [--user-quota 100]
 * [--rate-limit 100] [--per-user-writes 10] [--per-organization-writes 10] [--per-membership-writes 10]
 * [--instance-id ins_…] [--environment-type development|production] [--organization-membership-limit 0]`.
 * Prints the URL and the secret key, one per line, then serves until SIGINT/SIGTERM.
 */
function parseArgs(argv: string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith("--")) throw new Error(`unexpected argument ${arg}`);
    const [name, inline] = arg.slice(2).split("=", 2) as [string, string | undefined];
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`--${name} needs a value`);
    out.set(name, [...(out.get(name) ?? []), value]);
  }
  return out;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const one = (name: string): string | undefined => args.get(name)?.at(-1);
  const num = (name: string): number | undefined => (one(name) === undefined ? undefined : Number(one(name)));
  const requestsPer10s = num("rate-limit");
  const perUser = num("per-user-writes");
  const perOrganization = num("per-organization-writes");
  const perMembership = num("per-membership-writes");
  const membershipLimit = num("organization-membership-limit");
  const quota = num("user-quota");
  const port = num("port");
  const host = one("host");
  const keys = args.get("key");
  const instanceId = one("instance-id");
  const environmentType = one("environment-type") as EnvironmentType | undefined;
  const clerk = await startLocalClerk({
    ...(port !== undefined ? { port } : {}),
    ...(host !== undefined ? { host } : {}),
    ...(keys ? { secretKeys: keys } : {}),
    ...(quota !== undefined ? { userQuota: quota } : {}),
    ...(instanceId !== undefined ? { instanceId } : {}),
    ...(environmentType !== undefined ? { environmentType } : {}),
    ...(membershipLimit !== undefined ? { organizationSettings: { maxAllowedMemberships: membershipLimit } } : {}),
    ...(requestsPer10s !== undefined
      ? {
          rateLimit: {
            requestsPer10s,
            ...(perUser !== undefined ? { perUserWritesPer10s: perUser } : {}),
            ...(perOrganization !== undefined ? { perOrganizationWritesPer10s: perOrganization } : {}),
            ...(perMembership !== undefined ? { perMembershipWritesPer10s: perMembership } : {}),
          },
        }
      : {}),
  });
  process.stdout.write(`${clerk.url}\n${clerk.secretKey}\n`);
  const stop = () => void clerk.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`local-clerk: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
