/**
 * Tiny dynamic providers and helpers for the harness tests. The providers are serialized by value into
 * `__provider` (they only use Node built-ins, read at call time through `require`), and keep their state in a
 * JSON file named by the host's `HX_STORE` environment variable so tests can inspect and tamper with it.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { startProviderHost, type ProviderHost } from "../harness";

export interface StoreItem {
  name: string;
  value: number;
  failDelete?: boolean;
  /** Name of the item this one lives in: deleting that item deletes this one too (as an organization its members). */
  within?: string;
}
export interface Store {
  nextId: number;
  items: Record<string, StoreItem>;
  active: number;
  maxActive: number;
  /** Hook calls started so far, per operation (create, update, delete). */
  started?: Record<string, number>;
  calls: string[];
  configureCalls: number;
  config?: Record<string, unknown>;
}

/** Temp Pulumi project dir usable as the host's cwd, with a fresh store file. */
export function makeProject(): { dir: string; store: string; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hx-project-"));
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: x\nruntime: nodejs\n");
  const store = path.join(dir, "store.json");
  return { dir, store, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export function readStore(file: string): Store {
  return fs.existsSync(file)
    ? (JSON.parse(fs.readFileSync(file, "utf8")) as Store)
    : { nextId: 0, items: {}, active: 0, maxActive: 0, calls: [], configureCalls: 0 };
}

export function writeStore(file: string, s: Store): void {
  fs.writeFileSync(file, JSON.stringify(s));
}

/** Start a host for a temp project, with HX_STORE pointing at its store file. */
export async function hostFor(
  project: { dir: string; store: string },
  env: Record<string, string> = {},
): Promise<ProviderHost> {
  return startProviderHost({ cwd: project.dir, env: { HX_STORE: project.store, ...env } });
}

// ----------------------------------------------------------------------------------------------------------------
// Provider helpers. Everything below runs inside the host process after (de)serialization, so it may only use what
// it closes over by value and `require` of Node built-ins.

/* eslint-disable @typescript-eslint/no-explicit-any */
function load(): Store {
  const f = process.env.HX_STORE as string;
  const fsm = require("fs");
  return fsm.existsSync(f)
    ? JSON.parse(fsm.readFileSync(f, "utf8"))
    : { nextId: 0, items: {}, active: 0, maxActive: 0, calls: [], configureCalls: 0 };
}
function save(s: Store): void {
  require("fs").writeFileSync(process.env.HX_STORE as string, JSON.stringify(s));
}
/** Synchronous read-modify-write: atomic in the single-threaded host. */
function mutate<T>(fn: (s: Store) => T): T {
  const s = load();
  const r = fn(s);
  save(s);
  return r;
}
/**
 * How a hook call waits before it acts. `delayMs`: a fixed pause. `meet` of `of`: the calls of one operation are
 * numbered as they start, in groups of `meet`; each waits until every call of its group has started (the last
 * group may be smaller). So a group is in flight at once however slowly the calls arrive: concurrency is proven
 * by the calls meeting, never by a pause being long enough.
 */
interface Hold {
  delayMs?: number;
  meet?: number;
  of?: number;
}

/** Track concurrent in-flight hook calls in the store while `fn` runs (after the hold). */
async function tracked<T>(op: string, hold: Hold, fn: () => T): Promise<T> {
  const n = mutate((s) => {
    s.active++;
    s.maxActive = Math.max(s.maxActive, s.active);
    s.calls.push(op);
    s.started = { ...s.started, [op]: (s.started?.[op] ?? 0) + 1 };
    return s.started[op]!;
  });
  try {
    if (hold.delayMs) await new Promise((r) => setTimeout(r, hold.delayMs));
    if (hold.meet && hold.of) {
      const target = Math.min(hold.of, Math.ceil(n / hold.meet) * hold.meet);
      while ((load().started?.[op] ?? 0) < target) await new Promise((r) => setTimeout(r, 5));
    }
    return fn();
  } finally {
    mutate((s) => {
      s.active--;
    });
  }
}

const UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** An in-memory-ish (file-backed) "counter" provider with every hook. */
export const counterProvider: pulumi.dynamic.ResourceProvider = {
  async check(_olds: any, news: any) {
    const failures: pulumi.dynamic.CheckFailure[] = [];
    if (typeof news.name !== "string") failures.push({ property: "name", reason: "name must be a string" });
    else if (news.name !== UNKNOWN_SENTINEL && news.name.startsWith("bad"))
      failures.push({ property: "name", reason: `invalid name ${news.name}` });
    return { inputs: news, failures };
  },
  async diff(_id: string, olds: any, news: any) {
    const replaces = olds.name !== news.name ? ["name"] : [];
    const changes = replaces.length > 0 || olds.value !== news.value || olds.failDelete !== news.failDelete;
    return { changes, replaces, deleteBeforeReplace: news.dbr === true };
  },
  async create(inputs: any) {
    return tracked("create", inputs, () =>
      mutate((s) => {
        const id = `c-${++s.nextId}`;
        s.items[id] = {
          name: inputs.name,
          value: inputs.value,
          ...(inputs.failDelete ? { failDelete: true } : {}),
          ...(inputs.within !== undefined ? { within: inputs.within } : {}),
        };
        return {
          id,
          outs: {
            name: inputs.name,
            value: inputs.value,
            serial: s.nextId,
            token: `tok-${id}`,
            ...(inputs.failDelete ? { failDelete: true } : {}),
            ...(inputs.within !== undefined ? { within: inputs.within } : {}),
            ...(inputs.delayMs !== undefined ? { delayMs: inputs.delayMs } : {}),
            ...(inputs.meet !== undefined ? { meet: inputs.meet, of: inputs.of } : {}),
          },
        };
      }),
    );
  },
  async read(id: string, props: any) {
    const item = load().items[id];
    if (!item) return { props: {} }; // definite not-found: no id
    const outs = { ...props, name: item.name, value: item.value };
    const inputs: any = { name: item.name, value: item.value };
    if (props.delayMs !== undefined) inputs.delayMs = props.delayMs;
    if (props.meet !== undefined) Object.assign(inputs, { meet: props.meet, of: props.of });
    if (props.failDelete) inputs.failDelete = true;
    if (props.within !== undefined) inputs.within = props.within;
    return { id, props: outs, inputs };
  },
  async update(id: string, olds: any, news: any) {
    return tracked("update", news, () =>
      mutate((s) => {
        const within = s.items[id]?.within;
        s.items[id] = {
          name: news.name,
          value: news.value,
          ...(news.failDelete ? { failDelete: true } : {}),
          ...(within !== undefined ? { within } : {}),
        };
        const outs: any = { ...olds, name: news.name, value: news.value };
        delete outs.__provider;
        if (news.failDelete) outs.failDelete = true;
        else delete outs.failDelete;
        return { outs };
      }),
    );
  },
  async delete(id: string, props: any) {
    await tracked("delete", props, () =>
      mutate((s) => {
        if (s.items[id]?.failDelete) throw new Error(`refusing to delete ${id}`);
        const gone = s.items[id];
        delete s.items[id];
        for (const [k, item] of Object.entries(s.items)) if (gone && item.within === gone.name) delete s.items[k];
      }),
    );
  },
};

/** Every hook throws; create/update throw "created but failed to initialize" errors when asked. */
export const throwingProvider: pulumi.dynamic.ResourceProvider = {
  async check(_olds: any, news: any) {
    if (news.throwIn === "check") throw new Error("check exploded");
    return { inputs: news };
  },
  async diff() {
    throw new Error("diff exploded");
  },
  async create(inputs: any) {
    if (inputs.initFail) {
      const err: any = new Error("user created but initialization failed");
      err.id = "half-1";
      err.properties = {
        name: inputs.name,
        state: "partial",
        ...(inputs.keepProvider ? { __provider: inputs.__provider } : {}),
      };
      err.reasons = ["password rejected", "retry later"];
      throw err;
    }
    throw new Error("create exploded");
  },
  async read() {
    throw new Error("read exploded");
  },
  async update(id: string, _olds: any, news: any) {
    const err: any = new Error("update half-applied");
    err.id = id;
    err.properties = { name: news.name, state: "half-updated" };
    err.reasons = ["metadata rejected"];
    throw err;
  },
  async delete() {
    throw new Error("delete exploded");
  },
};

/** Records what `configure` received, in the store. Never returns or logs the secret itself. */
export const configProvider: pulumi.dynamic.ResourceProvider = {
  async configure(req: pulumi.dynamic.ConfigureRequest) {
    mutate((s) => {
      s.configureCalls++;
      const key = req.config.get("clerk:secretKey");
      s.config = {
        secretKeyType: typeof key,
        secretKeyLength: typeof key === "string" ? key.length : -1,
        secretKeyPrefix: typeof key === "string" ? key.slice(0, 8) : null,
        region: req.config.get("clerk:region") ?? null,
        bare: req.config.get("secretKey") ?? null,
      };
    });
  },
  async create() {
    const s = load();
    return { id: "cfg-1", outs: { configured: s.configureCalls, region: (s.config?.region as string) ?? "none" } };
  },
  async read() {
    throw new Error("read failed while holding the key");
  },
};

/** Returns `undefined` inside outs, which the host's Struct encoding rejects. */
export const undefinedOutsProvider: pulumi.dynamic.ResourceProvider = {
  async create() {
    return { id: "u-1", outs: { fine: 1, missing: undefined } };
  },
};
/* eslint-enable @typescript-eslint/no-explicit-any */

// ----------------------------------------------------------------------------------------------------------------
// Resource classes for programs.

export interface CounterArgs {
  name: pulumi.Input<string>;
  value: pulumi.Input<number>;
  delayMs?: number;
  /** Calls meet in groups of `meet` (of `of` calls per operation) before acting; see `Hold`. */
  meet?: number;
  of?: number;
  dbr?: boolean;
  failDelete?: boolean;
  note?: pulumi.Input<string>;
  /** See StoreItem.within. */
  within?: pulumi.Input<string>;
}

export class Counter extends pulumi.dynamic.Resource {
  declare readonly name: pulumi.Output<string>;
  declare readonly value: pulumi.Output<number>;
  declare readonly serial: pulumi.Output<number>;
  declare readonly token: pulumi.Output<string>;
  constructor(name: string, args: CounterArgs, opts?: pulumi.CustomResourceOptions) {
    super(counterProvider, name, { ...args, serial: undefined, token: undefined }, opts, "hx", "Counter");
  }
}

export class Thrower extends pulumi.dynamic.Resource {
  constructor(name: string, args: Record<string, pulumi.Input<unknown>>, opts?: pulumi.CustomResourceOptions) {
    super(throwingProvider, name, args, opts, "hx", "Thrower");
  }
}
