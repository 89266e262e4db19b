/**
 * One Pulumi stack run against the embedded local Clerk without the Pulumi CLI: the local Clerk server, the real
 * dynamic-provider host (cwd = the Pulumi project directory, so `require("pulumi-clerk/provider-runtime")`
 * resolves the way it does under `pulumi up`) and the engine-shaped driver. Used by `npm run demo` and the tests.
 */
import { Engine, startProviderHost, type ConfigValue, type EngineEvent, type ProviderHost } from "../../test/harness";
import { startLocalClerk, type LocalClerk } from "../../test/local-clerk";

export interface LocalStackOptions {
  /** Pulumi project name (the program's config namespace). */
  project: string;
  stack: string;
  /** The Pulumi project directory: the provider host's cwd. */
  projectDir: string;
  /** Stack config, namespaced keys. `clerk:secretKey` and `clerk:apiUrl` are set to the local Clerk's. */
  config: Record<string, ConfigValue>;
  /** A running local Clerk to use (default: start one, closed by `close()`). */
  clerk?: LocalClerk;
  parallel?: number;
  /** The program imports its own `@pulumi/pulumi` from this project (an installed layout); see Engine `pulumiFrom`. */
  pulumiFrom?: string;
  onEvent?: (e: EngineEvent) => void;
}

export interface LocalStack {
  clerk: LocalClerk;
  host: ProviderHost;
  engine: Engine;
  /** The config the engine runs with (local Clerk credentials included). */
  config: Record<string, ConfigValue>;
  close(): Promise<void>;
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const ownClerk = options.clerk === undefined;
  const clerk = options.clerk ?? (await startLocalClerk());
  let host: ProviderHost | undefined;
  try {
    // No CLERK_* variables from the caller's environment may leak into the host: config alone decides.
    host = await startProviderHost({
      cwd: options.projectDir,
      env: { CLERK_SECRET_KEY: undefined, CLERK_API_URL: undefined },
    });
    const config: Record<string, ConfigValue> = {
      ...options.config,
      "clerk:secretKey": { secret: clerk.secretKey },
      "clerk:apiUrl": clerk.url,
    };
    const engine = new Engine({
      host,
      project: options.project,
      stack: options.stack,
      config,
      parallel: options.parallel ?? 8,
      ...(options.pulumiFrom !== undefined ? { pulumiFrom: options.pulumiFrom } : {}),
      ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    });
    const h = host;
    return {
      clerk,
      host: h,
      engine,
      config,
      async close() {
        await h.close();
        if (ownClerk) await clerk.close();
      },
    };
  } catch (e) {
    await host?.close();
    if (ownClerk) await clerk.close();
    throw e;
  }
}
