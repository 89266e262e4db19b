import { Readable } from "node:stream";
import { confirm } from "../../src/sweep/confirm";
import { createProgress, PROGRESS_MIN_USERS } from "../../src/sweep/progress";
import { isNonInteractive } from "../../src/sweep/sweepIO";

const tty = (isTTY: boolean) => Object.assign(Readable.from([]), { isTTY });

describe("isNonInteractive", () => {
  it.each([
    [{ CI: "true" }, true, true],
    [{ CI: "1" }, true, true],
    [{ CI: "false" }, true, false],
    [{ CI: "0" }, true, false],
    [{ CI: "" }, true, false],
    [{}, true, false],
    [{}, false, true],
  ])("env %j, stdin TTY %s → %s", (env, isTTY, expected) => {
    expect(isNonInteractive({ env, stdin: tty(isTTY) })).toBe(expected);
  });
});

describe("confirm", () => {
  const ask = async (input: string[]) => {
    let prompt = "";
    const answer = await confirm("Delete 3 users?", Readable.from(input), { write: (s: string) => (prompt += s) });
    return { answer, prompt };
  };
  it("writes the prompt and accepts only y/yes", async () => {
    expect(await ask(["y\n"])).toEqual({ answer: true, prompt: "Delete 3 users? [y/N] " });
    expect((await ask(["YES\n"])).answer).toBe(true);
    expect((await ask(["n\n"])).answer).toBe(false);
    expect((await ask(["\n"])).answer).toBe(false);
    expect((await ask(["yep\n"])).answer).toBe(false);
  });
  it("treats end of input as no", async () => {
    expect((await ask([])).answer).toBe(false);
  });
});

describe("createProgress", () => {
  it("draws nothing unless the stream is a TTY and the run is long", () => {
    const writes: string[] = [];
    const stream = { write: (s: string) => writes.push(s), isTTY: false };
    const p = createProgress(stream, 500, "deleting");
    p.update(10);
    p.stop();
    const short = createProgress({ ...stream, isTTY: true }, PROGRESS_MIN_USERS, "deleting");
    short.update(1);
    short.stop();
    expect(writes).toEqual([]);
  });

  it("draws a bar on a TTY for a long run and clears it at the end", () => {
    let out = "";
    const stream = { write: (s: string) => ((out += s), true), isTTY: true, columns: 120 };
    const p = createProgress(stream, 50, "deleting");
    p.update(25);
    p.stop();
    expect(out).toContain("deleting [");
    expect(out).toContain("/50");
  });
});
