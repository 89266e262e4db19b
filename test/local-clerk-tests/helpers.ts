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

/** A local Clerk on an ephemeral port plus a real @clerk/backend client pointed at it. */
export async function startHarness(opts: LocalClerkOptions = {}): Promise<Harness> {
  const server = await startLocalClerk(opts);
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
