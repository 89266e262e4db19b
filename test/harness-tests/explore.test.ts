import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { capture, startProviderHost, serializeProvider } from "../harness";

const counter: pulumi.dynamic.ResourceProvider = {
  async create(inputs) {
    const n = (globalThis as any).__n = ((globalThis as any).__n ?? 0) + 1;
    return { id: `c-${n}`, outs: { ...inputs, n } };
  },
};

class Counter extends pulumi.dynamic.Resource {}

test("explore", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hx-"));
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: x\nruntime: nodejs\n");
  const text = await serializeProvider(counter);
  console.log(text);
  const res = await capture(() => {
    const cfg = new pulumi.Config("clerk");
    const r = new Counter(counter, "a", { x: 1, s: pulumi.secret("shh"), k: cfg.requireSecret("secretKey") }, { protect: true, additionalSecretOutputs: ["n"] }, "t", "Counter");
    return { id: r.id, s: pulumi.secret("x") };
  }, { project: "p", stack: "s", config: { "clerk:secretKey": { secret: "sk_1" } } });
  console.log(JSON.stringify(res, (k, v) => (k === "__provider" ? String(v).slice(0, 40) : v), 2));
  const host = await startProviderHost({ cwd: dir });
  try {
    console.log(host.stdout());
    const c = await host.create("urn:pulumi:s::p::t::a", { x: 1, __provider: text });
    console.log(c);
  } finally {
    console.log(host.stderr());
    await host.close();
  }
});
