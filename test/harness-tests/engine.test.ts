import * as pulumi from "@pulumi/pulumi";
import { CheckFailedError, Engine, type EngineEvent, type ProviderHost } from "../harness";
import { Counter, hostFor, makeProject, readStore, Thrower, writeStore } from "./fixtures";

const TYPE = "pulumi-nodejs:dynamic/hx:Counter";
const urn = (name: string, t = TYPE) => `urn:pulumi:dev::proj::${t}::${name}`;

let project: ReturnType<typeof makeProject>;
let host: ProviderHost | undefined;

beforeEach(() => {
  project = makeProject();
});
afterEach(async () => {
  await host?.close();
  host = undefined;
  project.cleanup();
});

async function engine(opts: Partial<ConstructorParameters<typeof Engine>[0]> = {}): Promise<Engine> {
  host = await hostFor(project);
  return new Engine({ host, project: "proj", stack: "dev", ...opts });
}

const counts = (r: {
  created: number;
  updated: number;
  replaced: number;
  deleted: number;
  unchanged: number;
  failures: unknown[];
}) => ({
  created: r.created,
  updated: r.updated,
  replaced: r.replaced,
  deleted: r.deleted,
  unchanged: r.unchanged,
  failures: r.failures.length,
});

test("up → up (no changes) → refresh → edit → up → destroy", async () => {
  const events: EngineEvent[] = [];
  const e = await engine({ onEvent: (ev) => events.push(ev) });
  const v1 = () => {
    new Counter("a", { name: "alice", value: 1 });
    new Counter("b", { name: "bob", value: 1 });
    new Counter("c", { name: "carol", value: 1 });
  };
  expect(counts(await e.up(v1))).toEqual({
    created: 3,
    updated: 0,
    replaced: 0,
    deleted: 0,
    unchanged: 0,
    failures: 0,
  });
  expect(Object.keys(readStore(project.store).items)).toHaveLength(3);
  const s1 = e.state();
  expect(s1.map((r) => r.urn).sort()).toEqual([urn("a"), urn("b"), urn("c")]);
  const a1 = s1.find((r) => r.name === "a")!;
  expect(a1).toMatchObject({
    type: TYPE,
    inputs: { name: "alice", value: 1 },
    outputs: { name: "alice", value: 1, token: `tok-${a1.id}` },
  });
  expect(typeof a1.outputs.__provider).toBe("string");

  expect(counts(await e.up(v1))).toEqual({
    created: 0,
    updated: 0,
    replaced: 0,
    deleted: 0,
    unchanged: 3,
    failures: 0,
  });
  expect(await e.refresh()).toEqual({ updated: 0, deleted: 0, unchanged: 3, failures: [] });
  expect(counts(await e.up(v1))).toEqual({
    created: 0,
    updated: 0,
    replaced: 0,
    deleted: 0,
    unchanged: 3,
    failures: 0,
  });

  const v2 = () => {
    new Counter("a", { name: "alice", value: 2 }); // update
    new Counter("b", { name: "bobby", value: 1 }); // replace (name is a replace key)
    new Counter("d", { name: "dave", value: 1 }); // create; c is deleted
  };
  expect(counts(await e.up(v2))).toEqual({
    created: 1,
    updated: 1,
    replaced: 1,
    deleted: 1,
    unchanged: 0,
    failures: 0,
  });
  const store = readStore(project.store);
  expect(
    Object.values(store.items)
      .map((i) => `${i.name}=${i.value}`)
      .sort(),
  ).toEqual(["alice=2", "bobby=1", "dave=1"]);
  expect(e.state().find((r) => r.name === "a")!.id).toBe(a1.id); // updated in place
  expect(e.state().find((r) => r.name === "b")!.id).not.toBe(s1.find((r) => r.name === "b")!.id);
  // create-before-delete order for the replacement of b
  const bOps = events.filter((ev) => ev.name === "b" && ev.status === "succeeded").map((ev) => ev.op);
  expect(bOps.slice(-2)).toEqual(["replace", "delete"]);
  expect(counts(await e.up(v2))).toEqual({
    created: 0,
    updated: 0,
    replaced: 0,
    deleted: 0,
    unchanged: 3,
    failures: 0,
  });

  const d = await e.destroy();
  expect(d).toMatchObject({ deleted: 3, retained: 0, failures: [] });
  expect(e.state()).toEqual([]);
  expect(readStore(project.store).items).toEqual({});
  for (const ev of events) expect(["started", "succeeded", "failed", "skipped", "retained"]).toContain(ev.status);
});

test("refresh: drift updates state and returned inputs; a vanished resource is dropped", async () => {
  const e = await engine();
  const prog = () => {
    new Counter("a", { name: "alice", value: 1 });
    new Counter("b", { name: "bob", value: 1 });
  };
  await e.up(prog);
  const ids = Object.fromEntries(e.state().map((r) => [r.name, r.id]));
  const s = readStore(project.store);
  s.items[ids.a!]!.value = 7; // out-of-band edit
  delete s.items[ids.b!]; // out-of-band delete
  writeStore(project.store, s);
  expect(await e.refresh()).toEqual({ updated: 1, deleted: 1, unchanged: 0, failures: [] });
  const a = e.state().find((r) => r.name === "a")!;
  expect(a.outputs.value).toBe(7);
  expect(a.inputs).toMatchObject({ name: "alice", value: 7 });
  expect(e.state()).toHaveLength(1);
  // The program still says value 1: up updates a back and recreates b.
  expect(counts(await e.up(prog))).toEqual({
    created: 1,
    updated: 1,
    replaced: 0,
    deleted: 0,
    unchanged: 0,
    failures: 0,
  });
});

test("check failures abort up before any change, naming the resource", async () => {
  const e = await engine();
  const err = await e
    .up(() => {
      new Counter("ok", { name: "fine", value: 1 });
      new Counter("nope", { name: "bad-name", value: 1 });
    })
    .catch((x: unknown) => x);
  expect(err).toBeInstanceOf(CheckFailedError);
  expect((err as Error).message).toBe("check failed: nope: name: invalid name bad-name");
  expect((err as CheckFailedError).failures).toEqual([
    { urn: urn("nope"), name: "nope", property: "name", reason: "invalid name bad-name" },
  ]);
  expect(e.state()).toEqual([]);
  expect(readStore(project.store).items).toEqual({});
});

test("replace with deleteBeforeReplace deletes first", async () => {
  const events: EngineEvent[] = [];
  const e = await engine({ onEvent: (ev) => events.push(ev) });
  await e.up(() => {
    new Counter("a", { name: "one", value: 1, dbr: true });
  });
  const r = await e.up(() => {
    new Counter("a", { name: "two", value: 1, dbr: true });
  });
  expect(counts(r)).toEqual({ created: 0, updated: 0, replaced: 1, deleted: 0, unchanged: 0, failures: 0 });
  expect(events.filter((ev) => ev.status === "succeeded").map((ev) => ev.op)).toEqual(["create", "delete", "replace"]);
});

test("create init failure keeps the resource in state; failed delete keeps it too", async () => {
  const e = await engine();
  const r = await e.up(() => {
    new Thrower("t", { name: "z", initFail: true, keepProvider: true });
  });
  expect(r.failures).toHaveLength(1);
  expect(r.failures[0]).toMatchObject({ name: "t", op: "create", message: "user created but initialization failed" });
  expect(r.created).toBe(0);
  const [t] = e.state();
  expect(t).toMatchObject({
    id: "half-1",
    outputs: { name: "z", state: "partial" },
    initErrors: ["password rejected", "retry later"],
  });
  const d = await e.destroy();
  expect(d.deleted).toBe(0);
  expect(d.failures.map((f) => f.message)).toEqual(["delete exploded"]);
  expect(e.state()).toHaveLength(1);
});

test("GOTCHA: init-failure properties without __provider make every later hook fail in the host", async () => {
  // The engine stores the error's `properties` verbatim as outputs; the host needs `__provider` in them to
  // deserialize the provider for delete/read/diff. Providers must copy `inputs.__provider` into err.properties.
  const e = await engine();
  await e.up(() => {
    new Thrower("t", { name: "z", initFail: true });
  });
  expect(e.state()[0]!.outputs.__provider).toBeUndefined();
  const d = await e.destroy();
  expect(d.failures.map((f) => f.message)).toEqual(["code must be a string, not undefined"]);
});

test("protect refuses deletion; retainOnDelete drops from state without deleting", async () => {
  const e = await engine();
  await e.up(() => {
    new Counter("p", { name: "prot", value: 1 }, { protect: true });
    new Counter("r", { name: "keep", value: 1 }, { retainOnDelete: true });
  });
  const r = await e.up(() => undefined);
  expect(r.deleted).toBe(0);
  expect(r.retained).toBe(1);
  expect(r.failures.map((f) => f.message)).toEqual([
    expect.stringContaining(`unable to delete resource "${urn("p")}"`),
  ]);
  expect(e.state().map((s) => s.name)).toEqual(["p"]);
  expect(
    Object.values(readStore(project.store).items)
      .map((i) => i.name)
      .sort(),
  ).toEqual(["keep", "prot"]);
  // Unprotect (option-only change: no provider call), then destroy.
  const unprotect = () => {
    new Counter("p", { name: "prot", value: 1 });
  };
  expect(counts(await e.up(unprotect))).toMatchObject({ unchanged: 1, failures: 0 });
  expect((await e.destroy()).deleted).toBe(1);
});

test("a failed step stops scheduling: later steps are skipped and deletes do not run", async () => {
  const e = await engine({ parallel: 1 });
  await e.up(() => {
    new Counter("old", { name: "old", value: 1 });
  });
  const r = await e.up(() => {
    const t = new Thrower("t", { name: "x" }); // create throws
    new Counter("after", { name: "after", value: 1 }, { dependsOn: [t] });
  });
  expect(r.failures.map((f) => `${f.name}:${f.op}:${f.message}`)).toEqual(["t:create:create exploded"]);
  expect(r.skipped).toBe(1);
  expect(r.deleted).toBe(0);
  expect(e.state().map((s) => s.name)).toEqual(["old"]);
});

test("secret-ness: secret inputs and additionalSecretOutputs are tracked; export redacts them", async () => {
  const e = await engine({ config: { "clerk:secretKey": { secret: "sk_test_TOPSECRET" } } });
  await e.up(() => {
    const key = new pulumi.Config("clerk").requireSecret("secretKey");
    new Counter("s", { name: "sec", value: 1, note: key }, { additionalSecretOutputs: ["token"] });
  });
  const [s] = e.state();
  expect(s!.secretInputs).toEqual(["note"]);
  expect(s!.secretOutputs).toEqual(["token"]); // "note" is not an output of the counter provider
  expect(s!.inputs.note).toBe("sk_test_TOPSECRET");
  const exported = JSON.stringify(e.exportState());
  expect(exported).not.toContain("TOPSECRET");
  expect(exported).not.toContain(`tok-${s!.id}`);
  expect(JSON.stringify(e.exportState({ showSecrets: true }))).toContain("TOPSECRET");
  expect(host!.stdout() + host!.stderr()).not.toContain("TOPSECRET");
  // The plaintext snapshot round-trips into a new engine.
  const e2 = new Engine({ host: host!, project: "proj", stack: "dev", state: JSON.parse(JSON.stringify(e.toJSON())) });
  expect(e2.state()).toEqual(e.state());
  expect((await e2.destroy()).deleted).toBe(1);
});

test("parallel bound is honoured", async () => {
  const e = await engine({ parallel: 3 });
  const prog = (value: number) => () => {
    for (let i = 0; i < 10; i++) new Counter(`r${i}`, { name: `n${i}`, value, meet: 3, of: 10 });
  };
  const r = await e.up(prog(1));
  expect(r.created).toBe(10);
  expect(r.maxConcurrency).toBe(3);
  expect(readStore(project.store).maxActive).toBe(3);
  const u = await e.up(prog(2));
  expect(u.updated).toBe(10);
  expect(readStore(project.store).maxActive).toBe(3);
  const d = await e.destroy();
  expect(d.deleted).toBe(10);
  expect(d.maxConcurrency).toBe(3);
  expect(readStore(project.store)).toMatchObject({ maxActive: 3, active: 0, items: {} });
});

test("dependencies: dependents are created after, and deleted before, what they depend on", async () => {
  const events: EngineEvent[] = [];
  const e = await engine({ onEvent: (ev) => ev.status === "succeeded" && events.push(ev) });
  await e.up(() => {
    const base = new Counter("base", { name: "base", value: 1, delayMs: 100 });
    new Counter("child", { name: "child", value: 1 }, { dependsOn: [base] });
  });
  expect(events.map((ev) => ev.name)).toEqual(["base", "child"]);
  events.length = 0;
  await e.destroy();
  expect(events.map((ev) => ev.name)).toEqual(["child", "base"]);
});

describe("deletedWith (the engine's isDeletedWith: no provider delete when the named resource goes in the same operation)", () => {
  const deletesCalled = () => readStore(project.store).calls.filter((c) => c === "delete").length;
  const itemNames = () =>
    Object.values(readStore(project.store).items)
      .map((i) => i.name)
      .sort();

  test("destroy deletes the target only; what is deleted with it leaves state without a provider call", async () => {
    const events: EngineEvent[] = [];
    const e = await engine({ onEvent: (ev) => ev.op === "delete" && ev.status !== "started" && events.push(ev) });
    await e.up(() => {
      const org = new Counter("org", { name: "org", value: 1 });
      // failDelete: a provider delete of these would fail the destroy.
      new Counter("m1", { name: "m1", value: 1, within: "org", failDelete: true }, { deletedWith: org });
      new Counter("m2", { name: "m2", value: 1, within: "org", failDelete: true }, { deletedWith: org });
      new Counter("solo", { name: "solo", value: 1 });
    });
    expect(Object.fromEntries(e.state().map((s) => [s.name, s.deletedWith]))).toEqual({
      org: "",
      m1: urn("org"),
      m2: urn("org"),
      solo: "",
    });
    const d = await e.destroy();
    expect(d).toMatchObject({ deleted: 4, deletedWith: 2, retained: 0, failures: [] });
    expect(deletesCalled()).toBe(2); // org and solo
    expect(readStore(project.store).items).toEqual({});
    expect(e.state()).toEqual([]);
    const byName = (n: string) => events.findIndex((ev) => ev.name === n);
    expect(
      events.filter((ev) => ev.deletedWith !== undefined).map((ev) => [ev.name, ev.status, ev.deletedWith]),
    ).toEqual(
      expect.arrayContaining([
        ["m1", "succeeded", urn("org")],
        ["m2", "succeeded", urn("org")],
      ]),
    );
    expect(events.filter((ev) => ev.deletedWith !== undefined)).toHaveLength(2);
    // The deletedWith target orders deletes like a dependency: what goes with it is dropped first.
    expect(byName("m1")).toBeLessThan(byName("org"));
    expect(byName("m2")).toBeLessThan(byName("org"));
  });

  test("up: a dependent removed alone is deleted; removed together with its target, it is not", async () => {
    const e = await engine();
    const v = (members: string[]) => () => {
      const org = new Counter("org", { name: "org", value: 1 });
      for (const m of members) new Counter(m, { name: m, value: 1, within: "org" }, { deletedWith: org });
    };
    await e.up(v(["m1", "m2"]));
    const r = await e.up(v(["m1"])); // the organization stays: m2's delete is a real one
    expect(r).toMatchObject({ deleted: 1, deletedWith: 0, failures: [] });
    expect(deletesCalled()).toBe(1);
    expect(itemNames()).toEqual(["m1", "org"]);

    const gone = await e.up(() => undefined);
    expect(gone).toMatchObject({ deleted: 2, deletedWith: 1, failures: [] });
    expect(deletesCalled()).toBe(2); // + org only
    expect(itemNames()).toEqual([]);
    expect(e.state()).toEqual([]);
  });

  test("as in the engine, a target retained or failing to delete still counts as deleted in this operation", async () => {
    const e = await engine();
    await e.up(() => {
      const kept = new Counter("kept", { name: "kept", value: 1 }, { retainOnDelete: true });
      new Counter("k1", { name: "k1", value: 1, within: "kept" }, { deletedWith: kept });
      const stuck = new Counter("stuck", { name: "stuck", value: 1, failDelete: true });
      new Counter("s1", { name: "s1", value: 1, within: "stuck" }, { deletedWith: stuck });
    });
    const d = await e.destroy();
    expect(d).toMatchObject({ deleted: 2, deletedWith: 2, retained: 1 });
    expect(d.failures.map((f) => `${f.name}:${f.op}`)).toEqual(["stuck:delete"]);
    expect(deletesCalled()).toBe(1); // stuck's failed attempt
    expect(itemNames()).toEqual(["k1", "kept", "s1", "stuck"]);
    expect(e.state().map((s) => s.name)).toEqual(["stuck"]);
  });

  test("the option round-trips through a snapshot; a snapshot without it means none", async () => {
    const e = await engine();
    await e.up(() => {
      const org = new Counter("org", { name: "org", value: 1 });
      new Counter("m", { name: "m", value: 1, within: "org" }, { deletedWith: org });
    });
    const snap = JSON.parse(JSON.stringify(e.toJSON())) as ReturnType<Engine["toJSON"]>;
    expect(new Engine({ host: host!, project: "proj", stack: "dev", state: snap }).state()).toEqual(e.state());
    for (const r of snap.resources) delete (r as Partial<typeof r>).deletedWith;
    const old = new Engine({ host: host!, project: "proj", stack: "dev", state: snap });
    expect(old.state().map((s) => s.deletedWith)).toEqual(["", ""]);
    expect(await old.destroy()).toMatchObject({ deleted: 2, deletedWith: 0, failures: [] });
    expect(deletesCalled()).toBe(2);
  });
});

describe("outputs of resources created or changed in the same up flow into their dependents (as the engine answers a registration once its step is done)", () => {
  test("a chain of creates sees real ids and outputs; an update's new outputs reach its dependents in the same up", async () => {
    const e = await engine();
    const chain = (value: number) => () => {
      const a = new Counter("a", { name: "a", value });
      const b = new Counter("b", { name: "b", value: a.value, within: a.id, note: a.token });
      new Counter("c", { name: "c", value: b.value, within: b.id });
    };
    expect(counts(await e.up(chain(1)))).toEqual({
      created: 3,
      updated: 0,
      replaced: 0,
      deleted: 0,
      unchanged: 0,
      failures: 0,
    });
    const id = (n: string) => e.state().find((s) => s.name === n)!.id;
    const store = readStore(project.store);
    expect(store.items[id("b")]).toEqual({ name: "b", value: 1, within: id("a") });
    expect(store.items[id("c")]).toEqual({ name: "c", value: 1, within: id("b") });
    expect(e.state().find((s) => s.name === "b")!.inputs.note).toBe(`tok-${id("a")}`);

    expect(counts(await e.up(chain(1)))).toMatchObject({ unchanged: 3, updated: 0 });
    expect(counts(await e.up(chain(5)))).toMatchObject({ updated: 3, unchanged: 0, failures: 0 });
    expect(
      Object.values(readStore(project.store).items)
        .map((i) => `${i.name}=${i.value}`)
        .sort(),
    ).toEqual(["a=5", "b=5", "c=5"]);
  });

  test("skipPreview: the same chain, with the program run once fewer", async () => {
    const e = await engine({ skipPreview: true });
    let runs = 0;
    const chain = (value: number | string) => () => {
      runs++;
      const a = new Counter("a", { name: "a", value: 1 });
      const b = new Counter("b", { name: "b", value: a.value, within: a.id });
      new Counter("c", { name: "c", value: value as number, within: b.id });
    };
    expect(counts(await e.up(chain(1)))).toMatchObject({ created: 3, failures: 0 });
    expect(runs).toBe(3); // a, then b, then c: one dry-run round and two update rounds (with a preview: 4)
    const id = (n: string) => e.state().find((s) => s.name === n)!.id;
    expect(readStore(project.store).items[id("c")]).toEqual({ name: "c", value: 1, within: id("b") });
    runs = 0;
    expect(counts(await e.up(chain(1)))).toMatchObject({ unchanged: 3, updated: 0 });
    expect(runs).toBe(1);
  });

  test("skipPreview steps a resource as it registers, before the program has finished", async () => {
    const e = await engine({ skipPreview: true });
    const created = (name: string) => Object.values(readStore(project.store).items).some((i) => i.name === name);
    // The program goes on only once the provider has created "a": an engine that waits for the whole program
    // before its first step never gets there (the wait gives up and the up fails).
    const program = async () => {
      new Counter("a", { name: "a", value: 1 });
      for (let i = 0; i < 600 && !created("a"); i++) await new Promise((resolve) => setTimeout(resolve, 50));
      if (!created("a")) throw new Error("a was not created while the program ran");
      new Counter("b", { name: "b", value: 2 });
    };
    expect(counts(await e.up(program))).toMatchObject({ created: 2, failures: 0 });
  });

  test("an input taken only from an output the provider adds (no input echo) waits for it too", async () => {
    const e = await engine();
    await e.up(() => {
      const a = new Counter("a", { name: "a", value: 1 });
      new Counter("b", { name: "b", value: 1, note: a.token });
    });
    const a = e.state().find((s) => s.name === "a")!;
    const b = e.state().find((s) => s.name === "b")!;
    expect(b.inputs.note).toBe(`tok-${a.id}`);
    expect(b.dependencies).toEqual([a.urn]);
  });

  test("a value unknown in preview is checked again once known: a failure then stops the update", async () => {
    const e = await engine();
    const r = await e.up(() => {
      const a = new Counter("a", { name: "a", value: 1 });
      new Counter("b", { name: a.token.apply((t) => `bad-${t}`), value: 1 });
    });
    expect(r.failures.map((f) => `${f.name}:${f.op}:${f.message}`)).toEqual([
      expect.stringMatching(/^b:check:check failed: b: name: invalid name bad-tok-c-\d+$/),
    ]);
    expect(r.created).toBe(1);
    expect(Object.values(readStore(project.store).items).map((i) => i.name)).toEqual(["a"]);
    expect(e.state().map((s) => s.name)).toEqual(["a"]);
  });
});

test("a delete waits for its dependents' deletes, and does not run when one failed", async () => {
  const events: EngineEvent[] = [];
  const e = await engine({ onEvent: (ev) => ev.op === "delete" && ev.status !== "started" && events.push(ev) });
  await e.up(() => {
    const base = new Counter("base", { name: "base", value: 1 });
    new Counter("child", { name: "child", value: 1, failDelete: true }, { dependsOn: [base] });
  });
  const d = await e.destroy();
  expect(d).toMatchObject({ deleted: 0, deletedWith: 0 });
  expect(d.failures.map((f) => `${f.name}:${f.op}`)).toEqual(["child:delete"]);
  expect(events.map((ev) => `${ev.name}:${ev.status}`)).toEqual(["child:failed", "base:skipped"]);
  expect(e.state().map((s) => s.name)).toEqual(["base", "child"]);
  expect(readStore(project.store).calls.filter((c) => c === "delete")).toHaveLength(1);
  expect(Object.keys(readStore(project.store).items)).toHaveLength(2);
});
