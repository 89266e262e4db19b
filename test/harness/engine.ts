/**
 * An engine-shaped driver for dynamic resources: mimics `pulumi up / refresh / destroy` against the real
 * dynamic-provider host (provider-host.ts), using an in-memory, JSON-serializable state.
 *
 * Free of jest APIs: used by tests, the demo script and the benchmark.
 *
 * Model (a preview followed by an update, like `pulumi up`). The program runs under mocks (capture.ts): a
 * registration of an existing resource sees its previous outputs; a new one sees its own inputs.
 *  1. Preview: the program runs as a dry run (outputs of resources to be created are unknown), and every resource
 *     is checked; any failure aborts the whole `up`, nothing changes.
 *  2. Update, in rounds: the program runs against the state so far; every resource whose dependencies are settled
 *     is checked again and created / diffed+updated / replaced, with bounded concurrency, dependencies first. A
 *     resource whose dependency was created or changed in the same round waits for the next round, so real
 *     outputs of resources created in the same `up` flow into dependents' inputs, as with the real engine (which
 *     answers a registration only once its step is done). A program runs 2 + (depth of such chains) times.
 *  3. Delete what the program no longer declares (dependents first, and not at all once a dependent's delete
 *     failed), skipping retainOnDelete and refusing protected resources. `destroy` deletes the same way.
 *
 * `deletedWith` (pulumi/pulumi pkg/resource/deploy, step.go `isDeletedWith`): a delete whose resource names, in
 * its deletedWith option, a resource also deleted in the same operation (destroy, removed from the program, or a
 * replaced original) makes no provider call: the resource is dropped from state, as the deletion of the other one
 * takes it along. The deletedWith target also orders deletes like a dependency (dependency_graph.go).
 */
import { capture, DYNAMIC_TYPE_PREFIX, type Registration } from "./capture";
import { Semaphore } from "./concurrency";
import { CheckFailedError, HostCallError } from "./errors";
import type { ConfigValue, ProviderHost } from "./provider-host";
import { deepEqual, parseUrn, SECRET_SIG, SIG_KEY, wrapSecret } from "./wire";

export type EngineOp = "create" | "update" | "replace" | "delete" | "read" | "same";
export type EngineEventStatus = "started" | "succeeded" | "failed" | "skipped" | "retained";

export interface EngineEvent {
  op: EngineOp;
  urn: string;
  name: string;
  status: EngineEventStatus;
  /** Duration of the operation (0 for "started"). */
  ms: number;
  error?: string;
  /** On a "delete" that made no provider call: the URN of the deletedWith resource deleted in the same operation. */
  deletedWith?: string;
}

export interface StateEntry {
  urn: string;
  id: string;
  type: string;
  name: string;
  /** Checked inputs (includes `__provider`), plain values. */
  inputs: Record<string, unknown>;
  /** Provider outputs (includes `__provider`), plain values. */
  outputs: Record<string, unknown>;
  /** Output names that are secret: additionalSecretOutputs ∪ outputs named like a secret input. */
  secretOutputs: string[];
  /** Input names that were secret in the program. */
  secretInputs: string[];
  protect: boolean;
  retainOnDelete: boolean;
  deleteBeforeReplace: boolean;
  additionalSecretOutputs: string[];
  dependencies: string[];
  /** The `deletedWith` option: URN of the resource whose deletion takes this one along ("" for none). */
  deletedWith: string;
  /** Replaced (create-before-delete) resource whose delete has not succeeded yet. */
  pendingDelete?: boolean;
  /** Reasons from a "created/updated but failed to initialize" error. */
  initErrors?: string[];
}

export interface EngineSnapshot {
  version: 1;
  project: string;
  stack: string;
  resources: StateEntry[];
}

export interface EngineFailure {
  urn: string;
  name: string;
  op: EngineOp | "check";
  message: string;
  error: unknown;
}

export interface UpResult {
  created: number;
  updated: number;
  replaced: number;
  /** Resources removed from the program and deleted at the provider (replaced originals count as `replaced` only). */
  deleted: number;
  /** Resources dropped from state without a provider delete (retainOnDelete). */
  retained: number;
  /** Of `deleted`: resources dropped without a provider delete because their deletedWith resource was deleted. */
  deletedWith: number;
  unchanged: number;
  /** Resources not attempted because an earlier step failed (engine stops scheduling after an error). */
  skipped: number;
  failures: EngineFailure[];
  /** Highest number of concurrent provider operations observed. */
  maxConcurrency: number;
}

export interface RefreshResult {
  updated: number;
  deleted: number;
  unchanged: number;
  failures: EngineFailure[];
}

export interface DestroyResult {
  deleted: number;
  retained: number;
  /** Of `deleted`: resources dropped without a provider delete because their deletedWith resource was deleted. */
  deletedWith: number;
  failures: EngineFailure[];
  maxConcurrency: number;
}

export interface EngineOptions {
  host: ProviderHost;
  project: string;
  stack: string;
  /** Max concurrent provider operations (the engine's --parallel). Default 8. */
  parallel?: number;
  /** Stack config (namespaced keys). Sent to the host's Configure once and set as program config. */
  config?: Record<string, ConfigValue>;
  /** Initial state (e.g. from a previous `toJSON()`). */
  state?: EngineSnapshot;
  /** A project whose own `@pulumi/pulumi` runs the program (see CaptureOptions.pulumiFrom). */
  pulumiFrom?: string;
  /** Keep going after a failed step (the engine's --continue-on-error). Default false. */
  continueOnError?: boolean;
  /**
   * `pulumi up --skip-preview`: no separate preview. The first update round runs the program as a dry run (so a
   * value from a resource not created yet is unknown and its dependency is recorded), and checks and steps each
   * resource as soon as it registers, while the program goes on, as the real engine does: a check failure fails
   * that resource, not the whole update. The program runs one time fewer. Default false.
   */
  skipPreview?: boolean;
  onEvent?: (e: EngineEvent) => void;
  log?: (msg: string) => void;
}

const PROTECTED = (urn: string, what: string): string =>
  `unable to ${what} resource "${urn}" as it is currently marked for protection. To unprotect the resource, remove the \`protect\` flag from the resource in your Pulumi program and run \`pulumi up\``;

function errMessage(e: unknown): string {
  if (e instanceof HostCallError) return e.details;
  return e instanceof Error ? e.message : String(e);
}

function secretOutputsOf(outputs: Record<string, unknown>, secretInputs: string[], additional: string[]): string[] {
  const s = new Set<string>(additional);
  for (const k of secretInputs) if (k in outputs) s.add(k);
  return [...s].sort();
}

/** How a resource's step in an update ended: its outputs as the program saw them ("same"), new ones, or none. */
type Outcome = "same" | "changed" | "failed";
const changed = (ok: boolean): Outcome => (ok ? "changed" : "failed");

function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

export class Engine {
  readonly host: ProviderHost;
  readonly project: string;
  readonly stack: string;
  readonly parallel: number;
  private readonly opts: EngineOptions;
  /** Live resources by URN. */
  private live = new Map<string, StateEntry>();
  /** Replaced originals awaiting deletion. */
  private pending: StateEntry[] = [];
  private configured = false;
  private busy = false;
  /** URNs deleted (or being deleted) by the running operation: the engine's `stepGenerator.deletes`. */
  private deletes = new Set<string>();

  constructor(options: EngineOptions) {
    this.opts = options;
    this.host = options.host;
    this.project = options.project;
    this.stack = options.stack;
    this.parallel = options.parallel ?? 8;
    new Semaphore(this.parallel); // validates
    if (options.state) this.load(options.state);
  }

  // ---------------------------------------------------------------- state

  /** Current state (deep copies), live resources first, then pending deletes. */
  state(): StateEntry[] {
    return [...this.live.values(), ...this.pending].map(clone);
  }

  /** Full plaintext snapshot (what a passphrase-encrypted backend would decrypt to). Round-trips through `load`. */
  toJSON(): EngineSnapshot {
    return { version: 1, project: this.project, stack: this.stack, resources: this.state() };
  }

  load(snapshot: EngineSnapshot): void {
    this.live.clear();
    this.pending = [];
    for (const r of clone(snapshot.resources)) {
      r.deletedWith ??= ""; // snapshots written before the option was tracked
      if (r.pendingDelete) this.pending.push(r);
      else this.live.set(r.urn, r);
    }
  }

  /**
   * Like `pulumi stack export`: secret inputs/outputs are replaced by
   * `{"4dabf...": "1b47...", ciphertext: "<redacted>"}`; with `showSecrets`, by `{..., plaintext: JSON}`.
   */
  exportState(options: { showSecrets?: boolean } = {}): EngineSnapshot {
    const hide = (v: unknown): unknown =>
      options.showSecrets
        ? { [SIG_KEY]: SECRET_SIG, plaintext: JSON.stringify(v) }
        : { [SIG_KEY]: SECRET_SIG, ciphertext: "<redacted>" };
    const resources = this.state().map((r) => {
      const inputs = { ...r.inputs };
      const outputs = { ...r.outputs };
      for (const k of r.secretInputs) if (k in inputs) inputs[k] = hide(inputs[k]);
      for (const k of r.secretOutputs) if (k in outputs) outputs[k] = hide(outputs[k]);
      return { ...r, inputs, outputs };
    });
    return { version: 1, project: this.project, stack: this.stack, resources };
  }

  // ---------------------------------------------------------------- helpers

  private emit(e: EngineEvent): void {
    this.opts.onEvent?.(e);
  }

  private log(msg: string): void {
    this.opts.log?.(msg);
  }

  private async ensureConfigured(): Promise<void> {
    if (this.configured) return;
    await this.host.configure(this.opts.config ?? {});
    this.configured = true;
  }

  private async timed<T>(op: EngineOp, urn: string, fn: () => Promise<T>): Promise<T> {
    const name = parseUrn(urn).name;
    this.emit({ op, urn, name, status: "started", ms: 0 });
    const t0 = Date.now();
    try {
      const r = await fn();
      this.emit({ op, urn, name, status: "succeeded", ms: Date.now() - t0 });
      return r;
    } catch (e) {
      this.emit({ op, urn, name, status: "failed", ms: Date.now() - t0, error: errMessage(e) });
      throw e;
    }
  }

  private async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (this.busy) throw new Error("Engine: another operation is already running");
    this.busy = true;
    this.deletes = new Set();
    try {
      await this.ensureConfigured();
      return await fn();
    } finally {
      this.busy = false;
    }
  }

  private entryFrom(
    reg: Registration,
    id: string,
    inputs: Record<string, unknown>,
    outputs: Record<string, unknown>,
  ): StateEntry {
    return {
      urn: reg.urn,
      id,
      type: reg.type,
      name: reg.name,
      inputs,
      outputs,
      secretOutputs: secretOutputsOf(outputs, reg.secretInputs, reg.additionalSecretOutputs),
      secretInputs: [...reg.secretInputs],
      protect: reg.protect,
      retainOnDelete: reg.retainOnDelete,
      deleteBeforeReplace: reg.deleteBeforeReplace,
      additionalSecretOutputs: [...reg.additionalSecretOutputs],
      dependencies: [...reg.dependencies],
      deletedWith: reg.deletedWith,
    };
  }

  /** Outputs in wire form (secret outputs wrapped), for answering the mock monitor. */
  private wireOutputs(e: StateEntry): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(e.outputs)) out[k] = e.secretOutputs.includes(k) ? wrapSecret(v) : v;
    return out;
  }

  // ---------------------------------------------------------------- up

  /** Run the program and converge state to it (`pulumi up --yes --skip-preview`). */
  up(program: () => unknown): Promise<UpResult> {
    return this.exclusive(() => this.doUp(program));
  }

  /** The program's custom dynamic resources by URN, with the mock monitor answering from state. */
  private async desiredOf(
    program: () => unknown,
    preview: boolean,
    onRegister?: (reg: Registration) => void,
  ): Promise<Map<string, Registration>> {
    const { registrations } = await capture(program, {
      project: this.project,
      stack: this.stack,
      config: this.opts.config,
      ...(this.opts.pulumiFrom !== undefined ? { pulumiFrom: this.opts.pulumiFrom } : {}),
      preview,
      ...(onRegister ? { onRegister } : {}),
      resolve: (reg) => {
        const old = this.live.get(reg.urn);
        return old ? { id: old.id, state: this.wireOutputs(old) } : { id: undefined, state: reg.wireInputs };
      },
    });
    const desired = new Map<string, Registration>();
    for (const reg of registrations) {
      if (!reg.custom) continue;
      if (!reg.type.startsWith(DYNAMIC_TYPE_PREFIX)) {
        if (!preview) this.log(`ignoring non-dynamic custom resource ${reg.urn}`);
        continue;
      }
      if (desired.has(reg.urn)) throw new Error(`Duplicate resource URN '${reg.urn}'; try giving it a unique name`);
      desired.set(reg.urn, reg);
    }
    return desired;
  }

  /** The provider's check of one registration (ignoreChanges applied): checked inputs, or its failures. */
  private async checkOne(
    reg: Registration,
  ): Promise<{ inputs: Record<string, unknown> } | { failures: { property: string; reason: string }[] }> {
    const old = this.live.get(reg.urn);
    const olds = old ? old.inputs : {};
    const news = { ...reg.inputs };
    if (old) {
      for (const p of reg.ignoreChanges) {
        if (p in olds) news[p] = olds[p];
        else delete news[p];
      }
    }
    try {
      const r = await this.host.check(reg.urn, olds, news);
      return r.failures.length ? { failures: r.failures } : { inputs: r.inputs };
    } catch (e) {
      return { failures: [{ property: "", reason: errMessage(e) }] };
    }
  }

  private async doUp(program: () => unknown): Promise<UpResult> {
    const result: UpResult = {
      created: 0,
      updated: 0,
      replaced: 0,
      deleted: 0,
      retained: 0,
      deletedWith: 0,
      unchanged: 0,
      skipped: 0,
      failures: [],
      maxConcurrency: 0,
    };
    const sem = new Semaphore(this.parallel);

    // Preview: check everything, with unknowns where values come from resources not created or updated yet.
    // Any failure aborts before any change. With skipPreview the first update round is the dry run instead.
    const skipPreview = this.opts.skipPreview === true;
    let previewed = skipPreview ? undefined : await this.desiredOf(program, true);
    const checkFailures: { urn: string; name: string; property: string; reason: string }[] = [];
    await Promise.all(
      [...(previewed?.values() ?? [])].map((reg) =>
        sem.run(async () => {
          const r = await this.checkOne(reg);
          if ("failures" in r) for (const f of r.failures) checkFailures.push({ urn: reg.urn, name: reg.name, ...f });
        }),
      ),
    );
    if (checkFailures.length) throw new CheckFailedError(checkFailures);

    // Update, in rounds: each runs the program against the state so far, then checks and steps every resource whose
    // dependencies are settled (stepped in an earlier round, or unchanged in this one), dependencies first. One whose
    // dependency was created or changed in this round saw that dependency's old outputs: it waits for the next round,
    // which sees the new ones (the real engine resolves a registration only when its step is done).
    const exec = new Semaphore(this.parallel);
    let stopped = false;
    const fail = (reg: { urn: string; name: string }, op: EngineFailure["op"], e: unknown): void => {
      result.failures.push({ urn: reg.urn, name: reg.name, op, message: errMessage(e), error: e });
      if (!this.opts.continueOnError) stopped = true;
    };
    const skip = (reg: Registration): void => {
      settled.set(reg.urn, "failed");
      result.skipped++;
      const op = this.live.has(reg.urn) ? "update" : "create";
      this.emit({ op, urn: reg.urn, name: reg.name, status: "skipped", ms: 0 });
    };
    /** Outcome of each resource stepped (or skipped) in this update. */
    const settled = new Map<string, Outcome>();
    let desired: Map<string, Registration>;
    for (;;) {
      // With skipPreview the first round steps each resource as it registers (the real engine does not wait for
      // the program to finish); a registration's dependencies have registered before it.
      const streaming = previewed === undefined;
      let known = new Map<string, Registration>();
      const round = new Map<string, Promise<Outcome | "deferred">>();
      const run = (reg: Registration): Promise<Outcome | "deferred"> => {
        let p = round.get(reg.urn);
        if (!p) {
          p = (async (): Promise<Outcome | "deferred"> => {
            const before = settled.get(reg.urn);
            if (before !== undefined) return before === "failed" ? "failed" : "same"; // settled in an earlier round
            // The preview's dependencies too: a value from a resource not created yet is unknown there, but
            // undefined in an update run, and the SDK records no dependency for an undefined input.
            const deps = [
              ...reg.dependencies,
              ...(previewed?.get(reg.urn)?.dependencies ?? []),
              reg.deletedWith,
            ].filter((d) => d && d !== reg.urn && known.has(d));
            const got = await Promise.all(deps.map((d) => run(known.get(d)!)));
            if (got.includes("failed") || stopped) {
              skip(reg);
              return "failed";
            }
            if (got.some((g) => g !== "same")) return "deferred";
            const checked = await sem.run(() => this.checkOne(reg));
            if ("failures" in checked) {
              fail(
                reg,
                "check",
                new CheckFailedError(checked.failures.map((f) => ({ urn: reg.urn, name: reg.name, ...f }))),
              );
              settled.set(reg.urn, "failed");
              return "failed";
            }
            const outcome = await exec.run(() => this.step(reg, checked.inputs, result, fail));
            settled.set(reg.urn, outcome);
            return outcome;
          })();
          round.set(reg.urn, p);
        }
        return p;
      };
      const onRegister = (reg: Registration): void => {
        if (!reg.custom || !reg.type.startsWith(DYNAMIC_TYPE_PREFIX) || known.has(reg.urn)) return;
        known.set(reg.urn, reg);
        run(reg).catch(() => undefined); // awaited below, with the rest
      };
      desired = await this.desiredOf(program, streaming, streaming ? onRegister : undefined);
      known = desired;
      previewed ??= desired;
      const outcomes = await Promise.all([...desired.values()].map(run));
      if (stopped || !outcomes.includes("deferred")) break;
    }
    for (const reg of desired.values()) if (!settled.has(reg.urn)) skip(reg); // waiting when the update stopped

    // Deletes (resources gone from the program, then replaced originals), dependents first.
    if (!stopped) {
      const doomed = [...this.live.values()].filter((e) => !desired.has(e.urn));
      await this.deleteAll(doomed, [...this.pending], exec, result, fail);
    }
    result.maxConcurrency = Math.max(exec.maxActive, sem.maxActive);
    return result;
  }

  /** One resource: create, or diff then update/replace. */
  private async step(
    reg: Registration,
    inputs: Record<string, unknown>,
    result: UpResult,
    fail: (reg: { urn: string; name: string }, op: EngineFailure["op"], e: unknown) => void,
  ): Promise<Outcome> {
    const old = this.live.get(reg.urn);
    if (!old) return changed(await this.create(reg, inputs, "create", result, fail));

    let diff;
    try {
      diff = await this.host.diff(old.id, reg.urn, old.outputs, inputs);
    } catch (e) {
      this.emit({ op: "update", urn: reg.urn, name: reg.name, status: "failed", ms: 0, error: errMessage(e) });
      fail(reg, "update", e);
      return "failed";
    }
    let changes = diff.changes;
    let replace = diff.replaces.length > 0;
    if (changes === "unknown") changes = deepEqual(old.inputs, inputs) ? "none" : "some"; // engine's legacy input diff
    if (changes === "some" && !replace && reg.replaceOnChanges.length) {
      replace = reg.replaceOnChanges.some((p) => p === "*" || !deepEqual(old.inputs[p], inputs[p]));
    }
    // Option-only changes (protect, retainOnDelete, ...) are applied without a provider call, like the engine.
    const refreshOpts = (e: StateEntry): void => {
      e.protect = reg.protect;
      e.retainOnDelete = reg.retainOnDelete;
      e.deleteBeforeReplace = reg.deleteBeforeReplace;
      e.additionalSecretOutputs = [...reg.additionalSecretOutputs];
      e.secretInputs = [...reg.secretInputs];
      e.dependencies = [...reg.dependencies];
      e.deletedWith = reg.deletedWith;
      e.secretOutputs = secretOutputsOf(e.outputs, e.secretInputs, e.additionalSecretOutputs);
    };
    if (changes === "none") {
      refreshOpts(old);
      result.unchanged++;
      this.emit({ op: "same", urn: reg.urn, name: reg.name, status: "succeeded", ms: 0 });
      return "same";
    }
    if (!replace) {
      try {
        const r = await this.timed("update", reg.urn, () =>
          this.host.update(old.id, reg.urn, old.outputs, inputs, old.inputs),
        );
        old.inputs = inputs;
        old.outputs = r.properties;
        delete old.initErrors;
        refreshOpts(old);
        result.updated++;
        return "changed";
      } catch (e) {
        if (e instanceof HostCallError && e.initFailure) {
          old.inputs = inputs;
          old.outputs = e.initFailure.properties;
          old.initErrors = e.initFailure.reasons;
          refreshOpts(old);
        }
        fail(reg, "update", e);
        return "failed";
      }
    }

    // Replacement.
    if (old.protect || reg.protect) {
      const e = new Error(PROTECTED(reg.urn, "replace"));
      this.emit({ op: "replace", urn: reg.urn, name: reg.name, status: "failed", ms: 0, error: e.message });
      fail(reg, "replace", e);
      return "failed";
    }
    if (diff.deleteBeforeReplace || reg.deleteBeforeReplace) {
      this.deletes.add(reg.urn);
      try {
        await this.timed("delete", reg.urn, () => this.host.delete(old.id, reg.urn, old.outputs, old.inputs));
      } catch (e) {
        fail(reg, "delete", e);
        return "failed";
      }
      this.live.delete(reg.urn);
      return changed(await this.create(reg, inputs, "replace", result, fail));
    }
    const ok = await this.create(reg, inputs, "replace", result, fail);
    if (ok || this.live.get(reg.urn) !== old) {
      // The new resource took the URN (even if it failed to initialize): the original awaits deletion.
      this.pending.push({ ...old, pendingDelete: true });
    }
    return changed(ok);
  }

  private async create(
    reg: Registration,
    inputs: Record<string, unknown>,
    op: "create" | "replace",
    result: UpResult,
    fail: (reg: { urn: string; name: string }, op: EngineFailure["op"], e: unknown) => void,
  ): Promise<boolean> {
    try {
      const r = await this.timed(op, reg.urn, () => this.host.create(reg.urn, inputs));
      this.live.set(reg.urn, this.entryFrom(reg, r.id, inputs, r.properties));
      if (op === "create") result.created++;
      else result.replaced++;
      return true;
    } catch (e) {
      if (e instanceof HostCallError && e.initFailure) {
        // "Created but failed to initialize": the engine keeps the resource so it is not leaked.
        const entry = this.entryFrom(reg, e.initFailure.id, inputs, e.initFailure.properties);
        entry.initErrors = e.initFailure.reasons;
        this.live.set(reg.urn, entry);
      }
      fail(reg, op, e);
      return false;
    }
  }

  /**
   * Delete entries, each only after every doomed entry that depends on it (through its dependencies or its
   * deletedWith option), and not at all when one of those failed. An entry whose deletedWith resource is deleted in
   * this operation is only dropped from state.
   */
  private async deleteAll(
    doomed: StateEntry[],
    pendingDeletes: StateEntry[],
    exec: Semaphore,
    counts: { deleted: number; retained: number; deletedWith: number },
    fail: (reg: { urn: string; name: string }, op: EngineFailure["op"], e: unknown) => void,
  ): Promise<void> {
    const all = [...doomed, ...pendingDeletes];
    // Like the engine's step generator, every delete of the operation is known before the first one runs.
    for (const e of all) this.deletes.add(e.urn);
    /** Resolves true when the entry left state. */
    const done = new Map<StateEntry, Promise<boolean>>();
    const run = (e: StateEntry): Promise<boolean> => {
      let p = done.get(e);
      if (!p) {
        p = (async () => {
          const dependents = doomed.filter(
            (d) => d !== e && (d.dependencies.includes(e.urn) || d.deletedWith === e.urn),
          );
          const gone = await Promise.all(dependents.map(run));
          if (gone.includes(false)) {
            // As in the engine, a delete waits for its dependents' deletes: one failed, so this one never runs.
            this.emit({ op: "delete", urn: e.urn, name: e.name, status: "skipped", ms: 0 });
            return false;
          }
          if (e.protect && !e.pendingDelete) {
            const err = new Error(PROTECTED(e.urn, "delete"));
            this.emit({ op: "delete", urn: e.urn, name: e.name, status: "failed", ms: 0, error: err.message });
            fail(e, "delete", err);
            return false;
          }
          if (e.retainOnDelete) {
            this.forget(e);
            counts.retained++;
            this.emit({ op: "delete", urn: e.urn, name: e.name, status: "retained", ms: 0 });
            return true;
          }
          if (e.deletedWith && this.deletes.has(e.deletedWith)) {
            // Deleted along with its deletedWith resource: no provider call.
            this.forget(e);
            if (!e.pendingDelete) {
              counts.deleted++;
              counts.deletedWith++;
            }
            this.emit({
              op: "delete",
              urn: e.urn,
              name: e.name,
              status: "succeeded",
              ms: 0,
              deletedWith: e.deletedWith,
            });
            return true;
          }
          return exec.run(async () => {
            try {
              await this.timed("delete", e.urn, () => this.host.delete(e.id, e.urn, e.outputs, e.inputs));
              this.forget(e);
              if (!e.pendingDelete) counts.deleted++; // replaced originals are counted as `replaced`
              return true;
            } catch (err) {
              fail(e, "delete", err); // stays in state
              return false;
            }
          });
        })();
        done.set(e, p);
      }
      return p;
    };
    await Promise.all(all.map(run));
  }

  private forget(e: StateEntry): void {
    if (e.pendingDelete) this.pending = this.pending.filter((p) => p !== e);
    else if (this.live.get(e.urn) === e) this.live.delete(e.urn);
  }

  // ---------------------------------------------------------------- refresh

  /** `pulumi refresh --yes`: read every resource; a blank id drops it from state; returned inputs replace stored ones. */
  refresh(): Promise<RefreshResult> {
    return this.exclusive(async () => {
      const result: RefreshResult = { updated: 0, deleted: 0, unchanged: 0, failures: [] };
      const exec = new Semaphore(this.parallel);
      await Promise.all(
        [...this.live.values(), ...this.pending].map((e) =>
          exec.run(async () => {
            try {
              const r = await this.timed("read", e.urn, () => this.host.read(e.id, e.urn, e.outputs, e.inputs));
              if (!r.id) {
                this.forget(e);
                result.deleted++;
                return;
              }
              const inputs = r.inputs ?? e.inputs;
              const changed = r.id !== e.id || !deepEqual(r.properties, e.outputs) || !deepEqual(inputs, e.inputs);
              e.id = r.id;
              e.outputs = r.properties;
              e.inputs = inputs;
              e.secretOutputs = secretOutputsOf(e.outputs, e.secretInputs, e.additionalSecretOutputs);
              if (changed) result.updated++;
              else result.unchanged++;
            } catch (err) {
              result.failures.push({ urn: e.urn, name: e.name, op: "read", message: errMessage(err), error: err });
            }
          }),
        ),
      );
      return result;
    });
  }

  // ---------------------------------------------------------------- destroy

  /** `pulumi destroy --yes`: delete everything (dependents first), refusing protected resources. */
  destroy(): Promise<DestroyResult> {
    return this.exclusive(async () => {
      const result: DestroyResult = { deleted: 0, retained: 0, deletedWith: 0, failures: [], maxConcurrency: 0 };
      const exec = new Semaphore(this.parallel);
      const fail = (e: { urn: string; name: string }, op: EngineFailure["op"], err: unknown): void => {
        result.failures.push({ urn: e.urn, name: e.name, op, message: errMessage(err), error: err });
      };
      await this.deleteAll([...this.live.values()], [...this.pending], exec, result, fail);
      result.maxConcurrency = exec.maxActive;
      return result;
    });
  }
}
