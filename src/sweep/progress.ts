import { Presets, SingleBar } from "cli-progress";
import type { SweepOutput } from "./sweepIO";

/** Runs with more users than this get a progress bar (on a TTY). */
export const PROGRESS_MIN_USERS = 20;

export interface Progress {
  update(done: number): void;
  stop(): void;
}

const NO_PROGRESS: Progress = { update: () => undefined, stop: () => undefined };

/**
 * A `cli-progress` bar on `stream` for `total` items, or a no-op when the stream is not a TTY (CI logs,
 * pipes, tests) or the run is short: a bar must never garble captured output.
 */
export function createProgress(stream: SweepOutput, total: number, label: string): Progress {
  if (stream.isTTY !== true || total <= PROGRESS_MIN_USERS) return NO_PROGRESS;
  const bar = new SingleBar(
    {
      stream: stream as unknown as NodeJS.WritableStream,
      format: `${label} [{bar}] {value}/{total} {percentage}% | eta {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: true,
      fps: 10,
    },
    Presets.shades_classic,
  );
  bar.start(total, 0);
  return { update: (done) => bar.update(done), stop: () => bar.stop() };
}
