/**
 * The baseline of (b): a plain loop of `@clerk/backend` calls — `createUser`, `getUser`, `deleteUser` for N users,
 * at most `concurrency` in flight — with no scheduler, no batcher, no Pulumi.
 *
 * It runs in its own Node process (forked from overhead.ts), as the provider runs in the host process, so the
 * client never shares a thread with the local Clerk server in the benchmark process. Commands come over IPC;
 * timings are taken inside this process.
 */
import { createClerkClient } from "@clerk/backend";
import { nowMs, plainCreateParams, pool, round } from "./users";

export interface PlainRunRequest {
  kind: "run";
  seq: number;
  url: string;
  secretKey: string;
  users: number;
  concurrency: number;
  stack: string;
  prefix: string;
}

export interface PlainRunResult {
  kind: "result";
  seq: number;
  createMs: number;
  readMs: number;
  deleteMs: number;
  totalMs: number;
  error?: string;
}

type Client = ReturnType<typeof createClerkClient>;
const clients = new Map<string, Client>();

export async function plainLifecycle(
  req: Omit<PlainRunRequest, "kind" | "seq">,
): Promise<Omit<PlainRunResult, "kind" | "seq">> {
  const key = `${req.url}#${req.secretKey}`;
  let client = clients.get(key);
  if (!client) {
    client = createClerkClient({ secretKey: req.secretKey, apiUrl: req.url, userAgent: "pulumi-clerk-bench" });
    clients.set(key, client);
  }
  const c = client;
  const idx = Array.from({ length: req.users }, (_, i) => i);
  const ids: string[] = new Array<string>(req.users);
  const t0 = nowMs();
  await pool(idx, req.concurrency, async (i) => {
    const u = await c.users.createUser(
      plainCreateParams(req.stack, req.prefix, i) as Parameters<Client["users"]["createUser"]>[0],
    );
    ids[i] = u.id;
  });
  const t1 = nowMs();
  await pool(ids, req.concurrency, async (id) => {
    await c.users.getUser(id);
  });
  const t2 = nowMs();
  await pool(ids, req.concurrency, async (id) => {
    await c.users.deleteUser(id);
  });
  const t3 = nowMs();
  return {
    createMs: round(t1 - t0, 1),
    readMs: round(t2 - t1, 1),
    deleteMs: round(t3 - t2, 1),
    totalMs: round(t3 - t0, 1),
  };
}

function describe(e: unknown): string {
  const errors = (e as { errors?: Array<{ message?: string; longMessage?: string }> } | null)?.errors;
  if (Array.isArray(errors) && errors[0]) return `${errors[0].message ?? ""} ${errors[0].longMessage ?? ""}`.trim();
  return e instanceof Error ? e.message : String(e);
}

if (require.main === module && typeof process.send === "function") {
  process.on("message", (msg: PlainRunRequest) => {
    if (msg?.kind !== "run") return;
    plainLifecycle(msg).then(
      (r) => process.send!({ kind: "result", seq: msg.seq, ...r } satisfies PlainRunResult),
      (e: unknown) =>
        process.send!({
          kind: "result",
          seq: msg.seq,
          createMs: NaN,
          readMs: NaN,
          deleteMs: NaN,
          totalMs: NaN,
          error: describe(e),
        } satisfies PlainRunResult),
    );
  });
  process.on("disconnect", () => process.exit(0));
}
