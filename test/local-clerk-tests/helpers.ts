import * as clerk from "@clerk/backend";
import { isClerkAPIResponseError } from "@clerk/backend/errors";
import { startLocalClerk, type LocalClerk, type LocalClerkOptions } from "../local-clerk";

export type ClerkClient = ReturnType<typeof clerk.createClerkClient>;
export type ApiError = Parameters<typeof isClerkAPIResponseError>[0] & {
  status: number | undefined;
  errors: Array<{ code: string; message: string; longMessage?: string; meta?: { paramName?: string } }>;
  retryAfter?: number;
  clerkTraceId?: string;
};

export interface Harness {
  server: LocalClerk;
  client: ClerkClient;
}

/** 2026-01-01T00:00:00Z: where a harness's clock starts. */
export const CLOCK_START = Date.UTC(2026, 0, 1);

/**
 * A clock that moves 1 ms every time it is read. Timestamps strictly increase whatever the machine's speed, and a
 * rate-limit window (10 s) never runs out between two requests of a test, however slow the machine is.
 */
export function tickingClock(start = CLOCK_START): () => number {
  let t = start;
  return () => (t += 1);
}

/** A local Clerk on an ephemeral port (on a ticking clock unless `now` is given) plus a real @clerk/backend client. */
export async function startHarness(opts: LocalClerkOptions = {}): Promise<Harness> {
  const server = await startLocalClerk({ now: tickingClock(), ...opts });
  const client = clerk.createClerkClient({ secretKey: server.secretKey, apiUrl: server.url });
  return { server, client };
}

/** Awaits a rejection and returns it as the SDK's ClerkAPIResponseError. */
export async function clerkError(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (err) {
    if (isClerkAPIResponseError(err)) return err as unknown as ApiError;
    throw err;
  }
  throw new Error("expected the Clerk call to fail");
}

export interface RawResponse {
  status: number;
  headers: Headers;
  json: unknown;
  text: string;
}

/** A raw HTTP call, for wire details the SDK hides (exact bodies, headers, malformed input). */
export async function raw(
  server: LocalClerk,
  method: string,
  path: string,
  opts: { body?: unknown; rawBody?: string; key?: string | null; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  const headers: Record<string, string> = { "Content-Type": "application/json", ...opts.headers };
  if (opts.key !== null) headers["Authorization"] = `Bearer ${opts.key ?? server.secretKey}`;
  const init: RequestInit = { method, headers };
  if (opts.rawBody !== undefined) init.body = opts.rawBody;
  else if (opts.body !== undefined) init.body = JSON.stringify(opts.body);
  const res = await fetch(`${server.url}${path}`, init);
  const text = await res.text();
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}

export interface ErrorJson {
  errors: Array<{ code: string; message: string; long_message: string; meta: { param_name?: string } }>;
  clerk_trace_id: string;
}

export const firstError = (r: RawResponse) => (r.json as ErrorJson).errors[0]!;
