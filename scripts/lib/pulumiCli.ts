/**
 * The demo's real-CLI path: the Automation API (`LocalWorkspace`) with a throwaway `file://` backend and
 * passphrase. The project directory is a temporary copy of the root project's settings whose `main` points at
 * the built root program and whose node_modules links to the repository's, so nothing is written into the
 * repository (no Pulumi.<stack>.yaml, no backend files) and `pulumi-clerk/provider-runtime` resolves as usual.
 */
import { spawnSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type * as automation from "@pulumi/pulumi/automation";
import type { ConfigValue } from "../../test/harness";

/** True when a `pulumi` CLI answers on PATH. */
export function hasPulumiCli(): boolean {
  const r = spawnSync("pulumi", ["version"], { stdio: "ignore", timeout: 30_000 });
  return r.status === 0;
}

export interface CliCounts {
  create: number;
  update: number;
  delete: number;
  same: number;
}

export interface CliStack {
  up(config: Record<string, ConfigValue>, onStep: StepHandler): Promise<CliCounts>;
  destroy(onStep: StepHandler): Promise<CliCounts>;
  close(): Promise<void>;
}

export type StepHandler = (op: string, name: string, ok: boolean) => void;

function counts(summary: { resourceChanges?: Record<string, number> }): CliCounts {
  const c = summary.resourceChanges ?? {};
  return { create: c["create"] ?? 0, update: c["update"] ?? 0, delete: c["delete"] ?? 0, same: c["same"] ?? 0 };
}

function onEvent(onStep: StepHandler): (e: automation.EngineEvent) => void {
  return (e) => {
    const m = e.resOutputsEvent?.metadata ?? e.resOpFailedEvent?.metadata;
    if (!m || !m.type.startsWith("pulumi-nodejs:dynamic") || m.op === "same") return;
    onStep(m.op, m.urn.split("::").pop() ?? m.urn, e.resOutputsEvent !== undefined);
  };
}

export async function startCliStack(repo: string, stackName: string): Promise<CliStack> {
  // Loaded lazily: only this path needs the Automation API.
  const { LocalWorkspace } = require("@pulumi/pulumi/automation") as typeof automation;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-clerk-demo-"));
  const backend = path.join(tmp, "backend");
  const projectDir = path.join(tmp, "project");
  fs.mkdirSync(backend);
  fs.mkdirSync(projectDir);
  fs.writeFileSync(
    path.join(projectDir, "Pulumi.yaml"),
    [
      "name: pulumi-clerk",
      "runtime:",
      "  name: nodejs",
      "  options:",
      "    typescript: false",
      `main: ${JSON.stringify(path.join(repo, "dist", "program", "index.js"))}`,
      "",
    ].join("\n"),
  );
  fs.symlinkSync(path.join(repo, "node_modules"), path.join(projectDir, "node_modules"), "dir");
  fs.writeFileSync(path.join(projectDir, "package.json"), JSON.stringify({ name: "pulumi-clerk-demo", private: true }));

  const envVars = {
    PULUMI_BACKEND_URL: `file://${backend}`,
    PULUMI_CONFIG_PASSPHRASE: crypto.randomBytes(16).toString("hex"),
    PULUMI_SKIP_UPDATE_CHECK: "true",
  };
  const stack = await LocalWorkspace.createOrSelectStack({ stackName, workDir: projectDir }, { envVars });

  return {
    async up(config, onStep) {
      const all: automation.ConfigMap = {};
      for (const [k, v] of Object.entries(config)) {
        all[k] = typeof v === "object" ? { value: v.secret, secret: true } : { value: v };
      }
      // usersFile is relative to the project directory, which is the temporary one here, and the program refuses
      // a file outside it (an absolute path, or a link leading out): the file is copied to the same relative path.
      const file = all["pulumi-clerk:usersFile"];
      if (file) {
        const copy = path.join(projectDir, file.value);
        fs.mkdirSync(path.dirname(copy), { recursive: true });
        fs.copyFileSync(path.resolve(repo, file.value), copy);
      }
      await stack.setAllConfig(all);
      const r = await stack.up({ onEvent: onEvent(onStep) });
      return counts(r.summary);
    },
    async destroy(onStep) {
      const r = await stack.destroy({ onEvent: onEvent(onStep), remove: true });
      return counts(r.summary);
    },
    async close() {
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}
