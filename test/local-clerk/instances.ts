import { startLocalClerk, type LocalClerk, type LocalClerkOptions } from "./server";

/**
 * Several local Clerk servers at once, each playing its own instance: its own port, secret key, instance id
 * and store. This is how tests stand in for "a valid key of another Clerk instance": point the provider at
 * `b` with state written against `a`.
 */

const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

function letter(index: number): string {
  const l = LETTERS[index];
  if (l === undefined) throw new RangeError(`local-clerk: at most ${LETTERS.length} instances`);
  return l;
}

/** The default instance id of the `index`-th server: `ins_localA`, `ins_localB`, … (stable, easy to assert). */
export function instanceIdOf(index: number): string {
  return `ins_local${letter(index)}`;
}

/**
 * The default secret key of the `index`-th server: `sk_test_localA_…` (`sk_live_` when `live`), distinct per
 * index, so a key of one server is rejected (401) by the others.
 */
export function secretKeyOf(index: number, live = false): string {
  return `sk_${live ? "live" : "test"}_local${letter(index)}_${"0".repeat(26)}`;
}

export interface LocalClerks extends AsyncDisposable {
  readonly all: readonly LocalClerk[];
  close(): Promise<void>;
}

/**
 * Starts one server per entry of `options` (in parallel). Each gets `instanceIdOf(i)` and `secretKeyOf(i)`
 * unless its options say otherwise. `close()` (or `await using`) stops them all.
 */
export async function startLocalClerks(options: readonly LocalClerkOptions[]): Promise<LocalClerks> {
  const settled = await Promise.allSettled(
    options.map((o, i) => {
      const live = o.environmentType === "production";
      return startLocalClerk({
        ...o,
        instanceId: o.instanceId ?? instanceIdOf(i),
        secretKeys: o.secretKeys && o.secretKeys.length > 0 ? o.secretKeys : [secretKeyOf(i, live)],
      });
    }),
  );
  const started = settled.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failed) {
    await Promise.all(started.map((c) => c.close()));
    throw failed.reason;
  }
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => (closed ??= Promise.all(started.map((c) => c.close())).then(() => undefined));
  return { all: started, close, [Symbol.asyncDispose]: close };
}

export interface LocalClerkPair extends LocalClerks {
  /** `ins_localA`, key `sk_test_localA_…` unless overridden. */
  readonly a: LocalClerk;
  /** `ins_localB`, key `sk_test_localB_…` unless overridden. */
  readonly b: LocalClerk;
}

/** Two instances, `a` and `b`, with different ids and keys; `common` applies to both, `a`/`b` to one each. */
export async function startLocalClerkPair(
  common: LocalClerkOptions = {},
  each: { a?: LocalClerkOptions; b?: LocalClerkOptions } = {},
): Promise<LocalClerkPair> {
  const clerks = await startLocalClerks([
    { ...common, ...each.a },
    { ...common, ...each.b },
  ]);
  const [a, b] = clerks.all as [LocalClerk, LocalClerk];
  return { ...clerks, a, b };
}
