import { createRedactor } from "../logic/redact";

/** Where `clerk-sweep` writes; `process.stdout` / `process.stderr` in the bin, string collectors in tests. */
export interface SweepOutput {
  write(chunk: string): unknown;
  /** The progress bar and prompts only appear on a TTY. */
  isTTY?: boolean;
}

/** Where a TTY confirmation is read from. */
export type SweepInput = NodeJS.ReadableStream & { isTTY?: boolean };

/** Everything `main` touches outside itself, injected so tests run the CLI in-process. */
export interface SweepIO {
  stdout: SweepOutput;
  stderr: SweepOutput;
  stdin: SweepInput;
  env: NodeJS.ProcessEnv;
  /** Wall-clock ms, for user ages. */
  now: () => number;
}

export function processIO(): SweepIO {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, now: Date.now };
}

/**
 * True when nobody can answer a prompt: `CI` set to anything but `false`/`0`, or stdin not a TTY.
 */
export function isNonInteractive(io: Pick<SweepIO, "env" | "stdin">): boolean {
  const ci = io.env["CI"];
  const inCi = ci !== undefined && ci !== "" && ci.toLowerCase() !== "false" && ci !== "0";
  return inCi || io.stdin.isTTY !== true;
}

/**
 * The same IO with every line written to stdout and stderr passed through the redactor of the secret key (and
 * any other secret value in `secrets`): the one redactor, applied where the sweeper's text leaves it.
 */
export function redactingIO(io: SweepIO, secrets: Iterable<string | undefined>): SweepIO {
  const redactor = createRedactor([...secrets].filter((s): s is string => typeof s === "string" && s !== ""));
  if (redactor.size === 0) return io;
  const wrap = (out: SweepOutput): SweepOutput => ({
    write: (chunk: string) => out.write(redactor.redact(chunk)),
    ...(out.isTTY !== undefined ? { isTTY: out.isTTY } : {}),
  });
  return { ...io, stdout: wrap(io.stdout), stderr: wrap(io.stderr) };
}
