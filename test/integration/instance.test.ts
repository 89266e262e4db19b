/**
 * `fetchInstanceIdentity` and the registry's per-instance `identity()` through the real @clerk/backend (`instance.get()`) against
 * two local Clerk instances on real ports: exact ids and environment types, the request each call sends, what a
 * wrong key or a `/v1`-suffixed URL answers, and the per-process cache. Does not prove the provider uses it
 * (the lead wires it into the gateway; host tests).
 */
import * as clerkBackend from "@clerk/backend";
import { defaultRequestsPer10sFor, fetchInstanceIdentity } from "../../src/clerk/instance";
import { instanceFor, resetInstances } from "../../src/clerk/registry";
import { resolveApiUrl } from "../../src/clerk/settings";
import { toProviderError } from "../../src/errors/toProviderError";
import { createScheduler } from "../../src/scheduler";
import { startLocalClerkPair, type LocalClerkPair } from "../local-clerk";

let pair: LocalClerkPair;
beforeAll(async () => {
  pair = await startLocalClerkPair({}, { b: { environmentType: "production" } });
});
afterAll(() => pair.close());
beforeEach(() => {
  pair.a.control.reset();
  pair.b.control.reset();
  resetInstances();
});

const settingsOf = (c: { url: string; secretKey: string }) => ({ apiUrl: c.url, secretKey: c.secretKey });
const instanceCalls = (c: LocalClerkPair["a"]) =>
  c.control.requests().map((r) => `${r.method} ${r.path} ${r.status} ${r.headers["authorization"]}`);

it("from settings: each instance answers its own id and type; one GET /v1/instance each", async () => {
  const { a, b } = pair;
  await expect(fetchInstanceIdentity(settingsOf(a))).resolves.toEqual({
    id: "ins_localA",
    environmentType: "development",
  });
  await expect(fetchInstanceIdentity(settingsOf(b))).resolves.toEqual({
    id: "ins_localB",
    environmentType: "production",
  });
  expect(instanceCalls(a)).toEqual(["GET /v1/instance 200 Bearer sk_…0000"]);
  expect(instanceCalls(b)).toEqual(["GET /v1/instance 200 Bearer sk_…0000"]);
  expect(b.secretKey.startsWith("sk_live_")).toBe(true);
  expect(defaultRequestsPer10sFor("production", b.secretKey)).toBe(1000);
});

it("from an SDK client, through a scheduler's run", async () => {
  const client = clerkBackend.createClerkClient({ secretKey: pair.a.secretKey, apiUrl: pair.a.url });
  const scheduler = createScheduler({ maxRequestsPer10s: 100 });
  const got = await fetchInstanceIdentity(client, { run: (label, attempt) => scheduler.run({ label }, attempt) });
  expect(got).toEqual({ id: "ins_localA", environmentType: "development" });
  expect(scheduler.stats().sent).toBe(1);
});

it("a key of the other instance is rejected (401 clerk_key_invalid), and the error never carries the key", async () => {
  const err = await fetchInstanceIdentity({ apiUrl: pair.b.url, secretKey: pair.a.secretKey }).catch((e: unknown) => e);
  const mapped = toProviderError(err, { operation: "read" });
  expect([mapped.status, mapped.clerkCode]).toEqual([401, "clerk_key_invalid"]);
  expect(mapped.message).not.toContain(pair.a.secretKey);
});

it("a URL ending in /v1 reaches /v1/v1 and gets a 404; normalised, it reaches the instance", async () => {
  const raw = `${pair.a.url}/v1/`;
  const err = await fetchInstanceIdentity({ apiUrl: raw, secretKey: pair.a.secretKey }).catch((e: unknown) => e);
  expect(toProviderError(err, { operation: "read" }).status).toBe(404);
  expect(pair.a.control.requests().map((r) => `${r.path} ${r.status}`)).toEqual(["/v1/v1/instance 404"]);
  const fixed = resolveApiUrl(raw, "CLERK_API_URL", "read");
  expect(fixed).toBe(pair.a.url);
  await expect(fetchInstanceIdentity({ apiUrl: fixed, secretKey: pair.a.secretKey })).resolves.toMatchObject({
    id: "ins_localA",
  });
});

it("the answer follows the instance's current settings", async () => {
  pair.a.control.setInstance({ id: "ins_rotated", environmentType: "production" });
  await expect(fetchInstanceIdentity(settingsOf(pair.a))).resolves.toEqual({
    id: "ins_rotated",
    environmentType: "production",
  });
});

describe("the registry's identity(): once per instance per process", () => {
  const identityOf = (c: { url: string; secretKey: string }, pin?: string) =>
    instanceFor({ ...settingsOf(c), ...(pin ? { instanceId: pin } : {}) }).identity();

  it("asks once per URL + key, shared by concurrent callers, through the instance's scheduler", async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => identityOf(pair.a)));
    expect(new Set(results.map((r) => r.id))).toEqual(new Set(["ins_localA"]));
    await identityOf(pair.a);
    await identityOf(pair.b);
    expect(pair.a.control.count({ path: "/v1/instance" })).toBe(1);
    expect(pair.b.control.count({ path: "/v1/instance" })).toBe(1);
  });

  it("does not keep a failure: the next call asks again", async () => {
    pair.a.control.inject({ match: { path: "/v1/instance" }, times: 1, kind: "status", status: 401 });
    const err = await identityOf(pair.a).catch((e: unknown) => e);
    expect(toProviderError(err, { operation: "read" }).status).toBe(401);
    await expect(identityOf(pair.a)).resolves.toMatchObject({ id: "ins_localA" });
    await identityOf(pair.a);
    expect(pair.a.control.requests().map((r) => r.status)).toEqual([401, 200]);
  });

  it("a pinned clerk:instanceId that names another instance fails with instance_mismatch, naming both", async () => {
    const err = toProviderError(await identityOf(pair.a, "ins_localB").catch((e: unknown) => e), {
      operation: "read",
    });
    expect(err.code).toBe("instance_mismatch");
    expect(err.message).toContain("belongs to Clerk instance ins_localA, but clerk:instanceId pins ins_localB");
    resetInstances();
    await expect(identityOf(pair.a, "ins_localA")).resolves.toMatchObject({ id: "ins_localA" });
  });
});
