import { createInterface } from "node:readline";
import type { SweepInput, SweepOutput } from "./sweepIO";

/**
 * Asks a yes/no question on a TTY: the prompt goes to `output`, one line is read from `input`.
 * Only `y` / `yes` (any case) is a yes; anything else, or end of input, is a no.
 */
export function confirm(question: string, input: SweepInput, output: SweepOutput): Promise<boolean> {
  output.write(`${question} [y/N] `);
  const rl = createInterface({ input, terminal: false });
  return new Promise<boolean>((resolve) => {
    let answered = false;
    rl.once("line", (line) => {
      answered = true;
      rl.close();
      resolve(/^\s*y(es)?\s*$/i.test(line));
    });
    rl.once("close", () => {
      if (!answered) resolve(false);
    });
  });
}
