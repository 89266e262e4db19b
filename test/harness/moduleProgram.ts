/**
 * A Pulumi program file as a program for the engine-shaped driver. Each run evaluates the file afresh, as each
 * `pulumi up` starts a new Node.js process, while its imports (`@pulumi/pulumi`, `pulumi-clerk`) resolve from the
 * program's own project and stay loaded, so the mocks the driver sets on that project's Pulumi SDK (Engine option
 * `pulumiFrom`) are the ones the program registers with.
 *
 * A `.ts` file is transpiled with the project's own `typescript`, without type checking, as Pulumi's Node.js runtime
 * runs TypeScript; `__dirname` is the file's directory, as there. The module's exports are the stack outputs; an
 * exported function is called and its result used, as Pulumi's runtime does.
 */
import * as fs from "node:fs";
import * as path from "node:path";

type TypeScript = {
  transpileModule(
    source: string,
    options: { compilerOptions: Record<string, unknown>; fileName: string },
  ): { outputText: string };
};

export function moduleProgram(file: string): () => Promise<unknown> {
  const dir = path.dirname(file);
  let source = fs.readFileSync(file, "utf8");
  if (file.endsWith(".ts")) {
    const ts = require(require.resolve("typescript", { paths: [dir] })) as TypeScript;
    const compilerOptions = { module: "commonjs", target: "es2022", esModuleInterop: true };
    source = ts.transpileModule(source, { compilerOptions, fileName: file }).outputText;
  }
  const load = (id: string): unknown =>
    require(id.startsWith(".") ? path.resolve(dir, id) : require.resolve(id, { paths: [dir] }));
  return async () => {
    const module = { exports: {} as unknown };
    const evaluate = new Function("exports", "require", "module", "__filename", "__dirname", source) as (
      ...args: unknown[]
    ) => void;
    evaluate(module.exports, load, module, file, dir);
    const exported = module.exports;
    return typeof exported === "function" ? await (exported as () => unknown)() : exported;
  };
}
