/**
 * Fault injection: explicit faults (consumed in injection order, each for `times` matching requests) and
 * seeded random faults. Control requests never get faults.
 *
 * - status: answer that status with a Clerk error body (429 also sets Retry-After); the request is not applied.
 * - reset: destroy the socket before answering; the request is not applied.
 * - commitThenDrop: apply the request, then destroy the socket without a response (the "did it happen?" case).
 * - latency: wait `ms`, then handle normally.
 *
 * And one standing fault, on until turned off or reset: echo submitted values (see echo.ts) — every 422 and 5xx
 * error body repeats the request's values in `message`, `long_message` and `meta`.
 */
export type PathMatcher = string | RegExp;

export interface FaultMatch {
  method?: string;
  /** Exact path without query (e.g. `/v1/users`), or a RegExp tested against it. */
  path?: PathMatcher;
}

export type FaultAction =
  | { kind: "status"; status: number; code?: string; retryAfterSeconds?: number }
  | { kind: "reset" }
  | { kind: "commitThenDrop" }
  | { kind: "latency"; ms: number };

export type FaultSpec = FaultAction & { match?: FaultMatch; times?: number };

export type RandomFaultKind = "429" | "500" | "503" | "reset" | "commitThenDrop";

export interface RandomFaultConfig {
  /** Probability (0..1) that a request gets a fault. */
  rate: number;
  kinds: RandomFaultKind[];
  seed: number;
}

export interface PendingFault {
  spec: FaultSpec;
  remaining: number;
}

/** mulberry32: tiny, fast, good enough for reproducible fault sequences. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function matches(match: FaultMatch | undefined, method: string, path: string): boolean {
  if (!match) return true;
  if (match.method !== undefined && match.method.toUpperCase() !== method.toUpperCase()) return false;
  if (match.path === undefined) return true;
  if (typeof match.path === "string") return match.path === path;
  match.path.lastIndex = 0; // a /g or /y RegExp is stateful
  return match.path.test(path);
}

function randomAction(kind: RandomFaultKind): FaultAction {
  switch (kind) {
    case "429":
      return { kind: "status", status: 429, retryAfterSeconds: 1 };
    case "500":
      return { kind: "status", status: 500 };
    case "503":
      return { kind: "status", status: 503 };
    case "reset":
      return { kind: "reset" };
    case "commitThenDrop":
      return { kind: "commitThenDrop" };
  }
}

export class FaultPlan {
  private queue: PendingFault[] = [];
  private random: { config: RandomFaultConfig; next: () => number } | undefined;
  /** The echo-submitted-values fault (echo.ts). */
  echoSubmittedValues = false;

  inject(spec: FaultSpec): void {
    const times = spec.times ?? 1;
    if (!Number.isInteger(times) || times < 1) throw new Error("local-clerk: fault `times` must be a positive integer");
    if (spec.kind === "status" && !(spec.status >= 100 && spec.status <= 599))
      throw new Error("local-clerk: bad fault status");
    if (spec.kind === "latency" && !(spec.ms >= 0)) throw new Error("local-clerk: bad fault latency");
    this.queue.push({ spec, remaining: times });
  }

  clear(): void {
    this.queue = [];
  }

  pending(): PendingFault[] {
    return this.queue.map((f) => ({ spec: f.spec, remaining: f.remaining }));
  }

  setRandom(config: RandomFaultConfig | null): void {
    if (config === null) {
      this.random = undefined;
      return;
    }
    if (!(config.rate >= 0 && config.rate <= 1)) throw new Error("local-clerk: random fault rate must be within 0..1");
    if (config.kinds.length === 0) throw new Error("local-clerk: random fault kinds must not be empty");
    this.random = { config, next: mulberry32(config.seed) };
  }

  /** The fault for this request, consuming one use of it; explicit faults win over random ones. */
  take(method: string, path: string): FaultAction | undefined {
    const index = this.queue.findIndex((f) => matches(f.spec.match, method, path));
    const hit = this.queue[index];
    if (hit) {
      hit.remaining -= 1;
      if (hit.remaining <= 0) this.queue.splice(index, 1);
      return hit.spec;
    }
    if (this.random) {
      const { config, next } = this.random;
      // always draw twice so the sequence depends only on the seed and the request count
      const roll = next();
      const pick = next();
      if (roll < config.rate) return randomAction(config.kinds[Math.floor(pick * config.kinds.length)]!);
    }
    return undefined;
  }
}
