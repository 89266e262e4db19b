/**
 * Spawns the real Pulumi Node.js dynamic-provider host (`@pulumi/pulumi/cmd/dynamic-provider`) and drives it
 * over gRPC exactly as the engine does (Struct encoding, secret wrapping, init-failure trailers).
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as grpc from "@grpc/grpc-js";
import { Any } from "google-protobuf/google/protobuf/any_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import { Status } from "@pulumi/pulumi/proto/status_pb";
import { HostCallError, type HostMethod, type InitFailure } from "./errors";
import { killChild, trackChild } from "./processes";
import { fromStruct, parseUrn, toStruct, wrapSecret } from "./wire";

export type ConfigValue = string | { secret: string };

export interface CheckFailure {
  property: string;
  reason: string;
}
export interface CheckResult {
  inputs: Record<string, unknown>;
  failures: CheckFailure[];
}
export interface DiffResult {
  changes: "none" | "some" | "unknown";
  replaces: string[];
  deleteBeforeReplace: boolean;
}
export interface CreateResult {
  id: string;
  properties: Record<string, unknown>;
}
export interface ReadResult {
  /** "" when the provider reported the resource gone. */
  id: string;
  properties: Record<string, unknown>;
  /** Only when the provider's read returned `inputs` (pulumi >= 3.216). */
  inputs?: Record<string, unknown>;
}
export interface UpdateResult {
  properties: Record<string, unknown>;
}

export interface StartProviderHostOptions {
  /** Working directory of the host: a Pulumi project dir whose node_modules resolves what the providers require. */
  cwd: string;
  /** Extra environment variables, merged over process.env. */
  env?: Record<string, string | undefined>;
  /** Max time to wait for the port line (default 30 s). */
  startTimeoutMs?: number;
  /** Per-call deadline (default: none). */
  callTimeoutMs?: number;
}

export interface ProviderHost extends AsyncDisposable {
  readonly pid: number;
  readonly port: number;
  /** Sends ConfigureRequest. Keys must be namespaced (`clerk:secretKey`); `{secret}` values are wrapped as the engine wraps secrets. */
  configure(config: Record<string, ConfigValue>): Promise<{ acceptSecrets: boolean }>;
  check(urn: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<CheckResult>;
  diff(id: string, urn: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<DiffResult>;
  create(urn: string, properties: Record<string, unknown>, opts?: { preview?: boolean }): Promise<CreateResult>;
  read(
    id: string,
    urn: string,
    properties: Record<string, unknown>,
    inputs?: Record<string, unknown>,
  ): Promise<ReadResult>;
  update(
    id: string,
    urn: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
    oldInputs?: Record<string, unknown>,
  ): Promise<UpdateResult>;
  delete(
    id: string,
    urn: string,
    properties: Record<string, unknown>,
    oldInputs?: Record<string, unknown>,
  ): Promise<void>;
  getPluginInfo(): Promise<{ version: string }>;
  /** Everything the host wrote to stdout so far (includes the port line). */
  stdout(): string;
  /** Everything the host wrote to stderr so far (hook errors are logged here as `${e}: ${e.stack}`). */
  stderr(): string;
  /**
   * Resolves with stderr once it contains every one of `texts`: the host logs a hook error after it has answered
   * the call, so a test reading stderr right after the answer can be early. Rejects (with what stderr holds) after
   * `timeoutMs`, a safety net only.
   */
  stderrContaining(texts: readonly string[], timeoutMs?: number): Promise<string>;
  /** True once the host process has exited. */
  exited(): boolean;
  close(): Promise<void>;
}

/**
 * Absolute path of the real host entry point: the one installed in the project, as the engine starts the host from
 * the project's node_modules; the harness's own copy when the project has none.
 */
export function dynamicProviderHostPath(projectDir?: string): string {
  const entry = "@pulumi/pulumi/cmd/dynamic-provider";
  if (projectDir !== undefined) {
    try {
      return require.resolve(entry, { paths: [projectDir] });
    } catch {
      // no @pulumi/pulumi in or above the project: fall back to the harness's
    }
  }
  return require.resolve(entry);
}

const CLIENT_OPTIONS: Partial<grpc.ClientOptions> = {
  "grpc.max_receive_message_length": 1024 * 1024 * 400,
  "grpc.max_send_message_length": 1024 * 1024 * 400,
};

function decodeInitFailure(err: grpc.ServiceError): InitFailure | undefined {
  const raw = err.metadata?.get("grpc-status-details-bin") ?? [];
  for (const bin of raw) {
    const bytes = typeof bin === "string" ? Buffer.from(bin, "base64") : bin;
    const status = Status.deserializeBinary(new Uint8Array(bytes));
    for (const any of status.getDetailsList() as Any[]) {
      if (any.getTypeName() !== "pulumirpc.ErrorResourceInitFailed") continue;
      const detail = provproto.ErrorResourceInitFailed.deserializeBinary(any.getValue_asU8());
      const f: InitFailure = {
        id: detail.getId(),
        properties: fromStruct(detail.getProperties()),
        reasons: detail.getReasonsList(),
      };
      if (detail.hasInputs()) f.inputs = fromStruct(detail.getInputs());
      return f;
    }
  }
  return undefined;
}

/** Start the real dynamic-provider host. Always `close()` it (or use `await using`). */
export async function startProviderHost(options: StartProviderHostOptions): Promise<ProviderHost> {
  const child: ChildProcess = spawn(process.execPath, [dynamicProviderHostPath(options.cwd), "127.0.0.1:1"], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  trackChild(child);
  let out = "";
  let err = "";
  child.stdout!.setEncoding("utf8");
  child.stderr!.setEncoding("utf8");
  child.stderr!.on("data", (d: string) => (err += d));

  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `provider host did not print its port within ${options.startTimeoutMs ?? 30000} ms; stderr:\n${err}`,
            ),
          ),
        options.startTimeoutMs ?? 30000,
      );
      const onData = (d: string): void => {
        out += d;
        const nl = out.indexOf("\n");
        if (nl >= 0) {
          clearTimeout(timer);
          child.off("exit", onExit);
          const line = out.slice(0, nl).trim();
          const p = Number(line);
          if (!Number.isInteger(p) || p <= 0)
            reject(new Error(`unexpected first stdout line from host: ${JSON.stringify(line)}`));
          else resolve(p);
        }
      };
      const onExit = (code: number | null, sig: string | null): void => {
        clearTimeout(timer);
        reject(
          new Error(`provider host exited before printing its port (code ${code}, signal ${sig}); stderr:\n${err}`),
        );
      };
      child.stdout!.on("data", onData);
      child.once("exit", onExit);
      child.once("error", (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
  } catch (e) {
    await killChild(child);
    throw e;
  }
  // Keep capturing after the port line.
  child.stdout!.removeAllListeners("data");
  child.stdout!.on("data", (d: string) => (out += d));

  const client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), CLIENT_OPTIONS);
  let configured = false;
  let closed = false;

  function call<Req, Res>(
    method: HostMethod,
    fn: (
      req: Req,
      md: grpc.Metadata,
      opts: Partial<grpc.CallOptions>,
      cb: (e: grpc.ServiceError | null, r: Res) => void,
    ) => unknown,
    req: Req,
  ): Promise<Res> {
    if (closed) return Promise.reject(new Error(`provider host is closed (${method})`));
    const callOpts: Partial<grpc.CallOptions> = options.callTimeoutMs
      ? { deadline: Date.now() + options.callTimeoutMs }
      : {};
    return new Promise<Res>((resolve, reject) => {
      fn.call(client, req, new grpc.Metadata(), callOpts, (e: grpc.ServiceError | null, r: Res) => {
        if (e) {
          const init = method === "create" || method === "update" ? decodeInitFailure(e) : undefined;
          reject(new HostCallError(method, e.code, e.details ?? e.message, init));
        } else resolve(r);
      });
    });
  }

  async function configure(config: Record<string, ConfigValue>): Promise<{ acceptSecrets: boolean }> {
    const req = new provproto.ConfigureRequest();
    const args: Record<string, unknown> = {};
    const vars = req.getVariablesMap();
    for (const [k, v] of Object.entries(config)) {
      if (typeof v === "object" && v !== null) {
        args[k] = wrapSecret(v.secret);
        vars.set(k, v.secret);
      } else {
        args[k] = v;
        vars.set(k, v);
      }
    }
    req.setArgs(toStruct(args));
    req.setAcceptsecrets(true);
    req.setAcceptresources(true);
    const res = await call<provproto.ConfigureRequest, provproto.ConfigureResponse>("configure", client.configure, req);
    configured = true;
    return { acceptSecrets: res.getAcceptsecrets() };
  }

  // The engine always configures a provider before using it; the host crashes on hooks otherwise
  // (`this.config` is undefined). Mirror that with an empty config if the caller did not configure.
  async function ensureConfigured(): Promise<void> {
    if (!configured) await configure({});
  }

  function named<T extends { setUrn(v: string): unknown; setName(v: string): unknown; setType(v: string): unknown }>(
    req: T,
    urn: string,
  ): T {
    const p = parseUrn(urn);
    req.setUrn(urn);
    req.setName(p.name);
    req.setType(p.type);
    return req;
  }

  const host: ProviderHost = {
    pid: child.pid!,
    port,
    configure,
    async check(urn, olds, news) {
      await ensureConfigured();
      const req = named(new provproto.CheckRequest(), urn);
      req.setOlds(toStruct(olds));
      req.setNews(toStruct(news));
      const res = await call<provproto.CheckRequest, provproto.CheckResponse>("check", client.check, req);
      return {
        inputs: fromStruct(res.getInputs()),
        failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
      };
    },
    async diff(id, urn, olds, news) {
      await ensureConfigured();
      const req = named(new provproto.DiffRequest(), urn);
      req.setId(id);
      req.setOlds(toStruct(olds));
      req.setNews(toStruct(news));
      const res = await call<provproto.DiffRequest, provproto.DiffResponse>("diff", client.diff, req);
      const c = res.getChanges();
      const C = provproto.DiffResponse.DiffChanges;
      return {
        changes: c === C.DIFF_NONE ? "none" : c === C.DIFF_SOME ? "some" : "unknown",
        replaces: res.getReplacesList(),
        deleteBeforeReplace: res.getDeletebeforereplace(),
      };
    },
    async create(urn, properties, opts) {
      await ensureConfigured();
      const req = named(new provproto.CreateRequest(), urn);
      req.setProperties(toStruct(properties));
      req.setPreview(opts?.preview ?? false);
      const res = await call<provproto.CreateRequest, provproto.CreateResponse>("create", client.create, req);
      return { id: res.getId(), properties: fromStruct(res.getProperties()) };
    },
    async read(id, urn, properties, inputs) {
      await ensureConfigured();
      const req = named(new provproto.ReadRequest(), urn);
      req.setId(id);
      req.setProperties(toStruct(properties));
      if (inputs) req.setInputs(toStruct(inputs));
      const res = await call<provproto.ReadRequest, provproto.ReadResponse>("read", client.read, req);
      const r: ReadResult = { id: res.getId(), properties: fromStruct(res.getProperties()) };
      if (res.hasInputs()) r.inputs = fromStruct(res.getInputs());
      return r;
    },
    async update(id, urn, olds, news, oldInputs) {
      await ensureConfigured();
      const req = named(new provproto.UpdateRequest(), urn);
      req.setId(id);
      req.setOlds(toStruct(olds));
      req.setNews(toStruct(news));
      if (oldInputs) req.setOldInputs(toStruct(oldInputs));
      const res = await call<provproto.UpdateRequest, provproto.UpdateResponse>("update", client.update, req);
      return { properties: fromStruct(res.getProperties()) };
    },
    async delete(id, urn, properties, oldInputs) {
      await ensureConfigured();
      const req = named(new provproto.DeleteRequest(), urn);
      req.setId(id);
      req.setProperties(toStruct(properties));
      if (oldInputs) req.setOldInputs(toStruct(oldInputs));
      await call<provproto.DeleteRequest, Empty>("delete", client.delete, req);
    },
    async getPluginInfo() {
      const res = await call<Empty, { getVersion(): string }>("getPluginInfo", client.getPluginInfo, new Empty());
      return { version: res.getVersion() };
    },
    stdout: () => out,
    stderr: () => err,
    stderrContaining(texts, timeoutMs = 30000) {
      const done = (): boolean => texts.every((t) => err.includes(t));
      if (done()) return Promise.resolve(err);
      return new Promise<string>((resolve, reject) => {
        const onData = (): void => {
          if (!done()) return;
          finish();
          resolve(err);
        };
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`host stderr never held ${JSON.stringify(texts)}; it holds:\n${err}`));
        }, timeoutMs);
        const finish = (): void => {
          clearTimeout(timer);
          child.stderr!.off("data", onData);
        };
        // Registered after the accumulating listener, so `err` already holds the chunk when this runs.
        child.stderr!.on("data", onData);
      });
    },
    exited: () => child.exitCode !== null || child.signalCode !== null,
    async close() {
      if (closed) return;
      closed = true;
      client.close();
      await killChild(child);
    },
    [Symbol.asyncDispose]() {
      return host.close();
    },
  };
  return host;
}
