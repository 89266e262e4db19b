import * as path from "node:path";
import { startLocalClerk, type LocalClerk } from "../local-clerk";
import * as fs from "node:fs";
import { dynamicProviderHostPath, Engine, startProviderHost, type ProviderHost } from "../harness";
import type { EngineOptions } from "../harness/engine";

/**
 * Where the provider host runs: the repository root, a Pulumi project whose node_modules links `pulumi-clerk` to this
 * checkout; or, in the compatibility run (scripts/compat/run.ts), a project with the packed tarball and another
 * `@pulumi/pulumi` installed.
 */
export const PROJECT_DIR = process.env["PULUMI_CLERK_HOST_PROJECT_DIR"] || path.resolve(__dirname, "../..");

export interface Stack extends AsyncDisposable {
  clerk: LocalClerk;
  host: ProviderHost;
  engine: Engine;
}

export interface StackOptions {
  /** Pass the key through stack config (`clerk:secretKey`, the default) or only through the environment. */
  credentials?: "config" | "env";
  stack?: string;
  parallel?: number;
  clerk?: LocalClerk;
  engine?: Partial<EngineOptions>;
  env?: NodeJS.ProcessEnv;
  /** Extra stack config. */
  config?: Record<string, string>;
}

/**
 * A local Clerk, the real dynamic-provider host (cwd = the project, as the engine starts it) and the
 * engine-shaped driver, wired the way `pulumi up` wires them.
 */
export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  assertCompatLeg();
  const clerk = opts.clerk ?? (await startLocalClerk());
  const viaEnv = opts.credentials === "env";
  const host = await startProviderHost({
    cwd: PROJECT_DIR,
    env: {
      ...process.env,
      CLERK_SECRET_KEY: "",
      CLERK_API_URL: "",
      // Tests are not about throttling unless they say so.
      CLERK_MAX_REQUESTS_PER_10S: "100000",
      ...(viaEnv ? { CLERK_SECRET_KEY: clerk.secretKey, CLERK_API_URL: clerk.url } : {}),
      ...opts.env,
    },
  });
  const config: Record<string, string | { secret: string }> = viaEnv
    ? { ...opts.config }
    : { "clerk:secretKey": { secret: clerk.secretKey }, "clerk:apiUrl": clerk.url, ...opts.config };
  const engine = new Engine({
    host,
    project: "pulumi-clerk",
    stack: opts.stack ?? "test",
    parallel: opts.parallel ?? 8,
    config,
    ...opts.engine,
  });
  const ownClerk = opts.clerk === undefined;
  return {
    clerk,
    host,
    engine,
    async [Symbol.asyncDispose]() {
      await host.close();
      if (ownClerk) await clerk.close();
    },
  };
}

/**
 * In the compatibility run, proves the leg is what it claims: the tests' Pulumi SDK and the provider host both come
 * from the leg's project, at the leg's version. Anything else would pass while proving nothing.
 */
function assertCompatLeg(): void {
  const want = process.env["PULUMI_CLERK_PULUMI_VERSION"];
  if (!process.env["PULUMI_CLERK_HOST_PROJECT_DIR"] || !want) return;
  const sdk = (require("@pulumi/pulumi/package.json") as { version: string }).version;
  const host = dynamicProviderHostPath(PROJECT_DIR);
  const runtime = require.resolve("pulumi-clerk/provider-runtime", { paths: [PROJECT_DIR] });
  const inProject = (file: string) => fs.realpathSync(file).startsWith(fs.realpathSync(PROJECT_DIR));
  if (sdk !== want || !inProject(host) || !inProject(runtime))
    throw new Error(`compat leg mismatch: SDK ${sdk} (want ${want}), host ${host}, runtime ${runtime}`);
}
