import * as pulumi from "@pulumi/pulumi";
import { capture, captureRegistrations, SECRET_SIG, SIG_KEY, UNKNOWN } from "../harness";
import { Counter, counterProvider } from "./fixtures";

const TYPE = "pulumi-nodejs:dynamic/hx:Counter";

test("captures registrations with engine-style URNs, serialized __provider and resource options", async () => {
  const regs = await captureRegistrations(
    () => {
      const a = new Counter(
        "a",
        { name: "alice", value: 1 },
        { protect: true, additionalSecretOutputs: ["token"], retainOnDelete: true },
      );
      new Counter(
        "b",
        { name: "bob", value: 2 },
        { dependsOn: [a], deleteBeforeReplace: true, ignoreChanges: ["value"], replaceOnChanges: ["name"] },
      );
    },
    { project: "proj", stack: "dev" },
  );
  expect(regs.map((r) => r.urn)).toEqual([
    "urn:pulumi:dev::proj::pulumi:pulumi:Stack::proj-dev",
    `urn:pulumi:dev::proj::${TYPE}::a`,
    `urn:pulumi:dev::proj::${TYPE}::b`,
  ]);
  const [stack, a, b] = regs;
  expect(stack!.custom).toBe(false);
  expect(a).toMatchObject({
    type: TYPE,
    name: "a",
    custom: true,
    protect: true,
    retainOnDelete: true,
    additionalSecretOutputs: ["token"],
    parent: stack!.urn,
  });
  expect(a!.inputs).toEqual({
    name: "alice",
    value: 1,
    __provider: expect.stringContaining("exports.handler = __f0;"),
  });
  expect(a!.secretInputs).toEqual([]);
  expect(b).toMatchObject({
    deleteBeforeReplace: true,
    ignoreChanges: ["value"],
    replaceOnChanges: ["name"],
    dependencies: [a!.urn],
  });
  // The serialized provider is identical for every resource using the same provider object (cached).
  expect(b!.inputs.__provider).toBe(a!.inputs.__provider);
  void counterProvider;
});

test("secret inputs arrive wrapped on the wire (and in mocks); config (incl. secret config) is readable by the program", async () => {
  let mockSaw: unknown;
  const res = await capture(
    () => {
      const cfg = new pulumi.Config("clerk");
      const c = new Counter("a", { name: "alice", value: 1, note: cfg.requireSecret("secretKey") });
      return {
        region: cfg.require("region"),
        key: cfg.requireSecret("secretKey"),
        id: c.id,
        isSecret: pulumi.isSecret(cfg.requireSecret("secretKey")),
      };
    },
    {
      project: "proj",
      stack: "dev",
      config: { "clerk:secretKey": { secret: "sk_live_123" }, "clerk:region": "eu" },
      resolve: (reg) => {
        mockSaw = reg.wireInputs.note;
        return { id: "id-1", state: reg.wireInputs };
      },
    },
  );
  const a = res.registrations[1]!;
  expect(a.wireInputs.note).toEqual({ [SIG_KEY]: SECRET_SIG, value: "sk_live_123" });
  expect(a.inputs.note).toBe("sk_live_123");
  expect(a.secretInputs).toEqual(["note"]);
  expect(mockSaw).toEqual({ [SIG_KEY]: SECRET_SIG, value: "sk_live_123" });
  expect(res.stackOutputs).toEqual({
    region: "eu",
    key: { [SIG_KEY]: SECRET_SIG, value: "sk_live_123" },
    id: "id-1",
    isSecret: true,
  });
});

test("plain pulumi.runtime.setMocks: newResource args.inputs keep secrets as wire-form objects", async () => {
  // Documents what users of setMocks see (our capture() runs the same MockMonitor in its own runtime store).
  const seen: Record<string, unknown>[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        seen.push(args.inputs);
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    "p",
    "s",
    false,
  );
  const c = new Counter("m", { name: "m", value: 1, note: pulumi.secret("hush") });
  await new Promise<void>((resolve) => c.urn.apply(() => resolve()));
  expect(seen[0]!.note).toEqual({ [SIG_KEY]: SECRET_SIG, value: "hush" });
  expect(typeof seen[0]!.__provider).toBe("string");
  const urnOf = (r: pulumi.Resource) => new Promise<string>((resolve) => r.urn.apply(resolve));
  // Raw MockMonitor URNs carry a `pulumi:pulumi:Stack$` prefix only when a stack resource is the parent; here
  // there is none (no runInPulumiStack), so the URN is plain.
  expect(await urnOf(c)).toBe("urn:pulumi:s::p::pulumi-nodejs:dynamic/hx:Counter::m");
  // Calling setMocks again (another project/stack) in the same process works sequentially.
  await pulumi.runtime.setMocks(
    { newResource: (a) => ({ id: "x", state: a.inputs }), call: (a) => a.inputs },
    "p2",
    "s2",
    false,
  );
  expect(await urnOf(new Counter("n", { name: "n", value: 1 }))).toBe(
    "urn:pulumi:s2::p2::pulumi-nodejs:dynamic/hx:Counter::n",
  );
});

test("preview: unknown outputs reach dependents' inputs as the UNKNOWN sentinel", async () => {
  const regs = await captureRegistrations(
    () => {
      const a = new Counter("a", { name: "alice", value: 1 });
      new Counter("b", { name: a.id, value: 2 });
    },
    { project: "proj", stack: "dev", preview: true, resolve: () => ({ id: undefined, state: {} }) },
  );
  expect(regs[2]!.inputs.name).toBe(UNKNOWN);
  expect(regs[2]!.dependencies).toEqual([regs[1]!.urn]);
});

test("several programs, projects and stacks in one process, even concurrently", async () => {
  const prog = (n: number) => () => {
    for (let i = 0; i < n; i++) new Counter(`r${i}`, { name: `n${i}`, value: i });
  };
  const [x, y, z] = await Promise.all([
    captureRegistrations(prog(3), { project: "p1", stack: "s1" }),
    captureRegistrations(prog(2), { project: "p2", stack: "s2" }),
    captureRegistrations(prog(1), { project: "p1", stack: "s3" }),
  ]);
  expect(x!.map((r) => r.urn).slice(1)).toEqual([0, 1, 2].map((i) => `urn:pulumi:s1::p1::${TYPE}::r${i}`));
  expect(y!.map((r) => r.urn).slice(1)).toEqual([0, 1].map((i) => `urn:pulumi:s2::p2::${TYPE}::r${i}`));
  expect(z!.map((r) => r.urn)).toEqual([
    "urn:pulumi:s3::p1::pulumi:pulumi:Stack::p1-s3",
    `urn:pulumi:s3::p1::${TYPE}::r0`,
  ]);
  const again = await captureRegistrations(prog(1), { project: "p9", stack: "s9" });
  expect(again[1]!.urn).toBe(`urn:pulumi:s9::p9::${TYPE}::r0`);
});

test("a program that throws rejects capture", async () => {
  await expect(
    captureRegistrations(
      () => {
        throw new Error("program bug");
      },
      { project: "p", stack: "s" },
    ),
  ).rejects.toThrow("program bug");
});
