/**
 * Runs a Pulumi program in-process against a mock resource monitor (the machinery behind
 * `pulumi.runtime.setMocks`) and records every resource registration in wire form.
 *
 * Each run gets its own Pulumi runtime store (`withLocalStorage`, the mechanism the Automation API's
 * inline-program server uses), so several programs / projects / stacks can run in one process, one after another
 * or even concurrently.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { MockMonitor, setMocks } from "@pulumi/pulumi/runtime/mocks";
import type * as resproto from "@pulumi/pulumi/proto/resource_pb";
import type { ConfigValue } from "./provider-host";
import { containsSecret, fromStruct, makeUrn, unwrapSecrets } from "./wire";

/** The parts of one copy of the Pulumi SDK that run a program under mocks. */
interface PulumiSdk {
  pulumi: typeof pulumi;
  MockMonitor: typeof MockMonitor;
  setMocks: typeof setMocks;
  // Internal runtime modules (not in the public .d.ts).
  state: {
    withLocalStorage<T>(cb: () => Promise<T>): Promise<T>;
    getStore(): { settings: { monitor: unknown } };
  };
  stack: { runInPulumiStack(init: () => Promise<unknown>): Promise<Record<string, unknown> | undefined> };
  settings: { waitForRPCs(): Promise<void> };
}

/**
 * The SDK copy a program uses: the harness's own, or the one installed in `projectDir` (as `pulumi up` runs a program
 * with the project's `@pulumi/pulumi`). A program's resources register with the copy it imports, so the mocks must be
 * set on that copy.
 */
function loadSdk(projectDir?: string): PulumiSdk {
  const load = (id: string): unknown =>
    projectDir === undefined ? require(id) : require(require.resolve(id, { paths: [projectDir] }));
  const mocks = load("@pulumi/pulumi/runtime/mocks") as { MockMonitor: typeof MockMonitor; setMocks: typeof setMocks };
  return {
    pulumi: load("@pulumi/pulumi") as typeof pulumi,
    MockMonitor: mocks.MockMonitor,
    setMocks: mocks.setMocks,
    state: load("@pulumi/pulumi/runtime/state") as PulumiSdk["state"],
    stack: load("@pulumi/pulumi/runtime/stack") as PulumiSdk["stack"],
    settings: load("@pulumi/pulumi/runtime/settings") as PulumiSdk["settings"],
  };
}

export const STACK_TYPE = "pulumi:pulumi:Stack";
export const DYNAMIC_TYPE_PREFIX = "pulumi-nodejs:dynamic";

export interface Registration {
  urn: string;
  type: string;
  name: string;
  custom: boolean;
  /** Parent URN ("" for the stack itself). */
  parent: string;
  /**
   * Inputs as the engine hands them to a provider that does not accept secrets: secrets unwrapped,
   * unknowns (preview) kept as the UNKNOWN sentinel, `__provider` included as plain text.
   */
  inputs: Record<string, unknown>;
  /** Inputs exactly as they crossed the wire (secrets as `{"4dabf...": "1b47...", value}`). */
  wireInputs: Record<string, unknown>;
  /** Top-level input names whose value is, or contains, a secret (`__provider` when the closure captured a secret). */
  secretInputs: string[];
  /** `importId` when `opts.import` was used, else "". */
  importId: string;
  protect: boolean;
  retainOnDelete: boolean;
  deleteBeforeReplace: boolean;
  additionalSecretOutputs: string[];
  ignoreChanges: string[];
  replaceOnChanges: string[];
  /** URNs this resource depends on (dependsOn + resources whose outputs flowed into inputs). */
  dependencies: string[];
  deletedWith: string;
  /** Provider reference ("" for dynamic resources, which use the default provider). */
  provider: string;
}

export interface MockResult {
  id?: string | undefined;
  state?: Record<string, unknown>;
}

export interface CaptureOptions {
  project: string;
  stack: string;
  /** Stack config, namespaced keys (`clerk:secretKey`). `{secret}` marks a secret config value. */
  config?: Record<string, ConfigValue> | undefined;
  /** Run as preview (pulumi.runtime.isDryRun() === true). Default false. */
  preview?: boolean;
  /**
   * What the mock monitor answers for a registration. Default: id `<name>-id` (undefined in preview),
   * state = the registration's wire inputs (so Outputs of the program resolve to the inputs).
   */
  resolve?: (reg: Registration) => MockResult | Promise<MockResult>;
  /**
   * Called as each resource registers (its inputs resolved), before the program has finished: the engine steps a
   * resource as its registration arrives, as the real engine does.
   */
  onRegister?: (reg: Registration) => void;
  /** A project with its own `@pulumi/pulumi` that the program imports (default: the harness's copy). */
  pulumiFrom?: string;
  /** Answer for invokes (`pulumi.runtime.invoke`). Default: returns the args. */
  call?: (args: pulumi.runtime.MockCallArgs) => Record<string, unknown> | Promise<Record<string, unknown>>;
}

export interface CaptureResult {
  registrations: Registration[];
  /** The stack outputs the program returned (secrets as wire-form secrets, like the engine stores them). */
  stackOutputs: Record<string, unknown>;
}

type Program = () => unknown;

function optBool(v: boolean | undefined): boolean {
  return v === true;
}

function describe(req: resproto.RegisterResourceRequest, urn: string): Registration {
  const wireInputs = fromStruct(req.getObject());
  return {
    urn,
    type: req.getType(),
    name: req.getName(),
    custom: req.getCustom(),
    parent: req.getParent(),
    inputs: unwrapSecrets<Record<string, unknown>>(wireInputs),
    wireInputs,
    secretInputs: Object.keys(wireInputs).filter((k) => containsSecret(wireInputs[k])),
    importId: req.getImportid(),
    protect: optBool(req.getProtect()),
    retainOnDelete: optBool(req.getRetainondelete()),
    deleteBeforeReplace: req.getDeletebeforereplace(),
    additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
    ignoreChanges: req.getIgnorechangesList(),
    replaceOnChanges: req.getReplaceonchangesList(),
    dependencies: req.getDependenciesList(),
    deletedWith: req.getDeletedwith(),
    provider: req.getProvider(),
  };
}

/** Run `program` under mocks and return every registration (stack resource included) plus the stack outputs. */
export async function capture(program: Program, options: CaptureOptions): Promise<CaptureResult> {
  const { project, stack } = options;
  const sdk = loadSdk(options.pulumiFrom);
  const { MockMonitor } = sdk;
  const registrations: Registration[] = [];
  let stackOutputs: Record<string, unknown> = {};
  // The registration being answered: MockMonitor.registerResource calls mocks.newResource synchronously.
  let current: Registration | undefined;
  const errors: unknown[] = [];

  const mocks: pulumi.runtime.Mocks = {
    newResource(args) {
      const reg = current;
      current = undefined;
      if (reg === undefined) return { id: args.id || undefined, state: args.inputs }; // readResource (`.get`)
      if (options.resolve) {
        const fallback = { id: undefined, state: reg.wireInputs };
        // A rejected registration would surface as an unhandled rejection inside the SDK: record and rethrow later.
        return Promise.resolve()
          .then(() => options.resolve!(reg))
          .then(
            (r) => ({ id: r.id, state: r.state ?? {} }),
            (e: unknown) => {
              errors.push(e);
              return fallback;
            },
          );
      }
      return { id: options.preview ? undefined : `${reg.name}-id`, state: reg.wireInputs };
    },
    call(args) {
      return options.call ? options.call(args) : args.inputs;
    },
  };

  function urnFor(parent: string, type: string, name: string): string {
    const parentType = parent ? (parent.split("::")[2] ?? "").split("$").pop() : undefined;
    const qualified = parentType && parentType !== STACK_TYPE ? `${parentType}$${type}` : type;
    return makeUrn(stack, project, qualified, name);
  }

  class RecordingMonitor extends MockMonitor {
    constructor(m: pulumi.runtime.Mocks) {
      super(m);
      // The engine's rule (resource.NewURN): children of the root stack get no `pulumi:pulumi:Stack$` prefix.
      // MockMonitor.newUrn (private) prefixes every parented type, which differs from real URNs.
      (this as unknown as { newUrn: (p: string, t: string, n: string) => string }).newUrn = urnFor;
    }
    override registerResource(
      req: resproto.RegisterResourceRequest,
      callback: (err: unknown, res?: unknown) => void,
    ): Promise<void> {
      const reg = describe(req, urnFor(req.getParent(), req.getType(), req.getName()));
      registrations.push(reg);
      current = reg;
      options.onRegister?.(reg);
      return super.registerResource(req, callback);
    }
    override registerResourceOutputs(
      req: resproto.RegisterResourceOutputsRequest,
      callback: (err: unknown, res?: unknown) => void,
    ): void {
      if (req.getUrn().includes(`::${STACK_TYPE}::`)) stackOutputs = fromStruct(req.getOutputs());
      super.registerResourceOutputs(req, callback);
    }
  }

  return sdk.state.withLocalStorage(async () => {
    await sdk.setMocks(mocks, project, stack, options.preview ?? false);
    // Same store and options as setMocks set up; only the monitor is swapped for the recording subclass.
    sdk.state.getStore().settings.monitor = new RecordingMonitor(mocks);

    const plain: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [k, v] of Object.entries(options.config ?? {})) {
      if (typeof v === "object") {
        plain[k] = v.secret;
        secretKeys.push(k);
      } else plain[k] = v;
    }
    sdk.pulumi.runtime.setAllConfig(plain, secretKeys);

    // Errors thrown by the program are caught inside the stack's init: letting them escape makes the SDK leave an
    // unhandled rejection behind, which kills a jest worker.
    await sdk.stack.runInPulumiStack(async () => {
      try {
        return (await program()) as Record<string, unknown> | undefined;
      } catch (e) {
        errors.push(e);
        return undefined;
      }
    });
    await sdk.settings.waitForRPCs();
    if (errors.length) throw errors[0];
    return { registrations, stackOutputs };
  });
}

/** Run `program` under mocks and return every resource registration (the stack resource included). */
export async function captureRegistrations(program: Program, options: CaptureOptions): Promise<Registration[]> {
  return (await capture(program, options)).registrations;
}
