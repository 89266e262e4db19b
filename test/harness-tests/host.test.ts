import * as fs from "node:fs";
import {
  HostCallError,
  liveChildCount,
  serializeProvider,
  startProviderHost,
  UNKNOWN,
  type ProviderHost,
} from "../harness";
import {
  configProvider,
  counterProvider,
  hostFor,
  makeProject,
  readStore,
  throwingProvider,
  undefinedOutsProvider,
  writeStore,
} from "./fixtures";

const URN = "urn:pulumi:dev::x::pulumi-nodejs:dynamic/hx:Counter::a";
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

test("the host prints its port on the first stdout line and answers GetPluginInfo", async () => {
  host = await hostFor(project);
  expect(host.port).toBeGreaterThan(0);
  expect(host.stdout().split("\n")[0]).toBe(String(host.port));
  const info = await host.getPluginInfo();
  expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
  expect(typeof host.pid).toBe("number");
});

test("close() kills the host process and is idempotent", async () => {
  const h = await hostFor(project);
  const pid = h.pid;
  await h.close();
  await h.close();
  expect(h.exited()).toBe(true);
  expect(() => process.kill(pid, 0)).toThrow();
  expect(liveChildCount()).toBe(0);
  await expect(h.check(URN, {}, {})).rejects.toThrow(/closed/);
});

test("await using disposes the host", async () => {
  let pid = 0;
  {
    await using h = await hostFor(project);
    pid = h.pid;
  }
  expect(() => process.kill(pid, 0)).toThrow();
});

test("startProviderHost rejects with stderr when the host cannot start", async () => {
  await expect(startProviderHost({ cwd: "/nonexistent-dir-for-hx" })).rejects.toThrow();
});

test("configure delivers namespaced keys and unwrapped secrets; configure() hook runs once, lazily", async () => {
  const secret = "sk_test_SUPERSECRETVALUE123";
  host = await hostFor(project);
  const res = await host.configure({ "clerk:secretKey": { secret }, "clerk:region": "eu" });
  expect(res.acceptSecrets).toBe(false);
  expect(readStore(project.store).configureCalls).toBe(0); // lazy: no provider deserialized yet
  const p = await serializeProvider(configProvider);
  const c1 = await host.create(URN, { __provider: p });
  const c2 = await host.create(URN, { __provider: p });
  expect(c1.properties).toEqual({ configured: 1, region: "eu", __provider: p });
  expect(c2.properties.configured).toBe(1);
  const store = readStore(project.store);
  expect(store.configureCalls).toBe(1);
  expect(store.config).toEqual({
    secretKeyType: "string", // the wrapped secret arrives as a plain string
    secretKeyLength: secret.length,
    secretKeyPrefix: "sk_test_",
    region: "eu",
    bare: null, // un-namespaced get("secretKey") looks up ":secretKey" in the host
  });
  // A later Configure does not re-run the provider's configure for an already-loaded provider.
  await host.configure({ "clerk:region": "us" });
  await host.create(URN, { __provider: p });
  expect(readStore(project.store).configureCalls).toBe(1);
  // A failing hook logs to stderr; the secret must not appear anywhere.
  await expect(host.read("cfg-1", URN, { __provider: p })).rejects.toThrow(/read failed/);
  expect(await host.stderrContaining(["read failed while holding the key"])).toContain(
    "read failed while holding the key",
  );
  expect(host.stdout() + host.stderr()).not.toContain("SUPERSECRET");
});

test("each hook round-trips through the real host", async () => {
  host = await hostFor(project);
  const p = await serializeProvider(counterProvider);
  const news = { name: "alice", value: 1, __provider: p };

  const checked = await host.check(URN, {}, news);
  expect(checked).toEqual({ inputs: news, failures: [] });

  const bad = await host.check(URN, {}, { ...news, name: "bad-bob" });
  expect(bad.failures).toEqual([{ property: "name", reason: "invalid name bad-bob" }]);

  const created = await host.create(URN, checked.inputs);
  expect(created.id).toBe("c-1");
  expect(created.properties).toEqual({ name: "alice", value: 1, serial: 1, token: "tok-c-1", __provider: p });

  expect(await host.diff("c-1", URN, created.properties, news)).toEqual({
    changes: "none",
    replaces: [],
    deleteBeforeReplace: false,
  });
  expect(await host.diff("c-1", URN, created.properties, { ...news, value: 2 })).toEqual({
    changes: "some",
    replaces: [],
    deleteBeforeReplace: false,
  });
  expect(await host.diff("c-1", URN, created.properties, { ...news, name: "al", dbr: true })).toEqual({
    changes: "some",
    replaces: ["name"],
    deleteBeforeReplace: true,
  });

  const updated = await host.update("c-1", URN, created.properties, { ...news, value: 2 });
  expect(updated.properties).toEqual({ name: "alice", value: 2, serial: 1, token: "tok-c-1", __provider: p });

  const read = await host.read("c-1", URN, updated.properties, { ...news, value: 2 });
  expect(read).toEqual({
    id: "c-1",
    properties: updated.properties,
    inputs: { name: "alice", value: 2, __provider: p },
  });

  await host.delete("c-1", URN, updated.properties);
  expect(readStore(project.store).items).toEqual({});
  const gone = await host.read("c-1", URN, updated.properties);
  expect(gone.id).toBe(""); // provider returned no id: the engine drops the resource
  expect(gone.properties).toEqual({ __provider: p });
  expect(gone.inputs).toBeUndefined();
  expect(readStore(project.store).calls).toEqual(["create", "update", "delete"]);
});

test("a provider without diff/read/update: unknown diff, read echoes, update keeps only __provider", async () => {
  host = await hostFor(project);
  const p = await serializeProvider(undefinedOutsProvider);
  expect((await host.diff("u-1", URN, { a: 1, __provider: p }, { a: 2, __provider: p })).changes).toBe("unknown");
  expect(await host.read("u-1", URN, { a: 1, __provider: p })).toEqual({
    id: "u-1",
    properties: { a: 1, __provider: p },
  });
  expect((await host.update("u-1", URN, { a: 1, __provider: p }, { a: 2, __provider: p })).properties).toEqual({
    __provider: p,
  });
});

test("the unknown sentinel passes through check (whole field and inside a list)", async () => {
  host = await hostFor(project);
  const p = await serializeProvider(counterProvider);
  const news = { name: UNKNOWN, value: 1, tags: ["a", UNKNOWN], nested: { x: UNKNOWN }, __provider: p };
  const r = await host.check(URN, {}, news);
  expect(r.failures).toEqual([]);
  expect(r.inputs).toEqual(news);
});

test("an unknown __provider in news makes the host use the olds' provider", async () => {
  host = await hostFor(project);
  const p = await serializeProvider(counterProvider);
  const r = await host.check(URN, { name: "a", value: 1, __provider: p }, { name: "a", value: 1, __provider: UNKNOWN });
  expect(r.inputs.__provider).toBe(UNKNOWN);
});

test("undefined inside outs is rejected by the host's Struct encoding", async () => {
  host = await hostFor(project);
  const p = await serializeProvider(undefinedOutsProvider);
  const err = await host.create(URN, { __provider: p }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(HostCallError);
  const e = err as HostCallError;
  expect(e.method).toBe("create");
  expect(e.code).toBe(2); // UNKNOWN
  expect(e.details).toBe("Unexpected struct type.");
  expect(e.initFailure).toBeUndefined();
});

test("hook errors arrive as gRPC UNKNOWN with the message; check/diff/read/delete also log to stderr", async () => {
  host = await hostFor(project);
  const p = await serializeProvider(throwingProvider);
  const cases: [string, () => Promise<unknown>, string][] = [
    ["check", () => host!.check(URN, {}, { throwIn: "check", __provider: p }), "check exploded"],
    ["diff", () => host!.diff("t-1", URN, { __provider: p }, { __provider: p }), "diff exploded"],
    ["create", () => host!.create(URN, { __provider: p }), "create exploded"],
    ["read", () => host!.read("t-1", URN, { __provider: p }), "read exploded"],
    ["delete", () => host!.delete("t-1", URN, { __provider: p }), "delete exploded"],
  ];
  for (const [method, call, message] of cases) {
    const e = (await call().catch((x: unknown) => x)) as HostCallError;
    expect(e).toBeInstanceOf(HostCallError);
    expect({ method: e.method, code: e.code, details: e.details, init: e.initFailure }).toEqual({
      method,
      code: 2,
      details: message,
      init: undefined,
    });
  }
  const logged = ["check exploded", "diff exploded", "read exploded", "delete exploded"].map(
    (m) => `Error: ${m}: Error: ${m}`,
  );
  // The host logs after it answers: wait for the lines rather than read stderr at once (that was flaky).
  const stderr = await host.stderrContaining(logged);
  for (const line of logged) expect(stderr).toContain(line);
  expect(stderr).not.toContain("create exploded"); // create/update errors are not logged by the host
});

test("init failures on create and update decode from grpc-status-details-bin", async () => {
  host = await hostFor(project);
  const p = await serializeProvider(throwingProvider);
  const e = (await host
    .create(URN, { name: "z", initFail: true, __provider: p })
    .catch((x: unknown) => x)) as HostCallError;
  expect(e).toBeInstanceOf(HostCallError);
  expect(e.details).toBe("user created but initialization failed");
  expect(e.initFailure).toEqual({
    id: "half-1",
    properties: { name: "z", state: "partial" },
    reasons: ["password rejected", "retry later"],
  });

  const u = (await host
    .update("half-1", URN, { __provider: p }, { name: "y", __provider: p })
    .catch((x: unknown) => x)) as HostCallError;
  expect(u.method).toBe("update");
  expect(u.initFailure).toEqual({
    id: "half-1",
    properties: { name: "y", state: "half-updated" },
    reasons: ["metadata rejected"],
  });
});

test("one deserialized provider per __provider text: module state is shared across calls", async () => {
  host = await hostFor(project);
  const p = await serializeProvider(counterProvider);
  await Promise.all(
    [1, 2, 3, 4].map((i) => host!.create(URN, { name: `n${i}`, value: i, meet: 4, of: 4, __provider: p })),
  );
  const s = readStore(project.store);
  expect(Object.keys(s.items).sort()).toEqual(["c-1", "c-2", "c-3", "c-4"]);
  expect(s.maxActive).toBe(4); // the host runs hook calls concurrently
  writeStore(project.store, { ...s, items: {} });
  expect(fs.existsSync(project.store)).toBe(true);
});
