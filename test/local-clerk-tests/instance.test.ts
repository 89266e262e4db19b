/**
 * `GET /v1/instance` through the real @clerk/backend client (`instance.get()`), the instance settings of a local
 * Clerk (start options, in-process and HTTP control, reset) and the two-instance helper. Response bodies are
 * validated against the spec in contract.test.ts.
 */
import * as clerk from "@clerk/backend";
import {
  instanceIdOf,
  secretKeyOf,
  startLocalClerk,
  startLocalClerkPair,
  startLocalClerks,
  type LocalClerk,
} from "../local-clerk";
import { CLERK_ID_PATTERN } from "../local-clerk/ids";
import { clerkError, raw } from "./helpers";

const clientOf = (c: LocalClerk, key = c.secretKey) => clerk.createClerkClient({ secretKey: key, apiUrl: c.url });

async function control(c: LocalClerk, method: string, path: string, body?: unknown) {
  const res = await fetch(`${c.url}/__control${path}`, {
    method,
    headers: { "Content-Type": "application/json" },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, json: (await res.json()) as unknown };
}

describe("GET /v1/instance", () => {
  it("answers the configured id and environment type, exactly as the spec's Instance", async () => {
    await using c = await startLocalClerk({ instanceId: "ins_2configuredA1", environmentType: "production" });
    const res = await raw(c, "GET", "/v1/instance");
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      object: "instance",
      id: "ins_2configuredA1",
      environment_type: "production",
      allowed_origins: null,
      workspace_id: null,
    });
    const instance = await clientOf(c).instance.get();
    expect({ id: instance.id, environmentType: instance.environmentType }).toEqual({
      id: "ins_2configuredA1",
      environmentType: "production",
    });
    expect(c.control.requests().map((r) => `${r.method} ${r.path} ${r.status} ${r.operationId}`)).toEqual([
      "GET /v1/instance 200 GetInstance",
      "GET /v1/instance 200 GetInstance",
    ]);
  });

  it("defaults: a fresh Clerk-shaped id per server; the environment type follows the key prefix", async () => {
    await using dev = await startLocalClerk();
    await using other = await startLocalClerk();
    await using live = await startLocalClerk({ secretKeys: ["sk_live_local_abc"] });
    expect(dev.instanceId).toMatch(CLERK_ID_PATTERN);
    expect(dev.instanceId.startsWith("ins_")).toBe(true);
    expect(other.instanceId).not.toBe(dev.instanceId);
    expect(dev.environmentType).toBe("development");
    expect(live.environmentType).toBe("production");
    expect((await clientOf(live).instance.get()).environmentType).toBe("production");
  });

  it("needs a valid key like every Backend API route", async () => {
    await using c = await startLocalClerk();
    const err = await clerkError(clientOf(c, "sk_test_wrong").instance.get());
    expect(err.status).toBe(401);
    expect(err.errors[0]!.code).toBe("clerk_key_invalid");
  });

  it("refuses a malformed id or environment type at start", async () => {
    await expect(startLocalClerk({ instanceId: "user_123" })).rejects.toThrow(
      "local-clerk: instance id must match /^ins_[0-9A-Za-z]+$/",
    );
    await expect(startLocalClerk({ environmentType: "staging" as "production" })).rejects.toThrow(
      "local-clerk: environmentType must be one of development, production",
    );
  });
});

describe("instance control", () => {
  it("in-process: setInstance changes what GET /v1/instance answers; reset restores the start values", async () => {
    await using c = await startLocalClerk({ instanceId: "ins_start" });
    expect(c.control.instance()).toEqual({ id: "ins_start", environmentType: "development" });
    expect(c.control.setInstance({ environmentType: "production" })).toEqual({
      id: "ins_start",
      environmentType: "production",
    });
    expect(c.control.setInstance({ id: "ins_moved" })).toEqual({ id: "ins_moved", environmentType: "production" });
    expect(c.instanceId).toBe("ins_moved");
    const got = await clientOf(c).instance.get();
    expect([got.id, got.environmentType]).toEqual(["ins_moved", "production"]);
    expect(() => c.control.setInstance({ id: "ins_bad id" })).toThrow("instance id must match");
    expect(c.control.instance()).toEqual({ id: "ins_moved", environmentType: "production" });
    c.control.reset();
    expect(c.control.instance()).toEqual({ id: "ins_start", environmentType: "development" });
  });

  it("over HTTP: GET and PATCH /__control/instance, with loud 400s for bad input", async () => {
    await using c = await startLocalClerk({ instanceId: "ins_http" });
    expect(await control(c, "GET", "/instance")).toEqual({
      status: 200,
      json: { id: "ins_http", environmentType: "development" },
    });
    expect(await control(c, "PATCH", "/instance", { id: "ins_patched", environmentType: "production" })).toEqual({
      status: 200,
      json: { id: "ins_patched", environmentType: "production" },
    });
    expect((await raw(c, "GET", "/v1/instance")).json).toMatchObject({
      id: "ins_patched",
      environment_type: "production",
    });
    expect(await control(c, "PATCH", "/instance", { environment_type: "production" })).toEqual({
      status: 400,
      json: { error: "unknown instance field(s): environment_type" },
    });
    expect(await control(c, "PATCH", "/instance", { environmentType: "staging" })).toEqual({
      status: 400,
      json: { error: "local-clerk: environmentType must be one of development, production" },
    });
    expect(await control(c, "PATCH", "/instance", [])).toEqual({
      status: 400,
      json: { error: "instance must be a JSON object" },
    });
    await control(c, "POST", "/reset");
    expect((await control(c, "GET", "/instance")).json).toEqual({ id: "ins_http", environmentType: "development" });
  });
});

describe("two local instances", () => {
  it("startLocalClerkPair: different ports, ids, keys and stores; a key of one is rejected by the other", async () => {
    await using pair = await startLocalClerkPair();
    const { a, b } = pair;
    expect([a.instanceId, b.instanceId]).toEqual([instanceIdOf(0), instanceIdOf(1)]);
    expect([a.instanceId, b.instanceId]).toEqual(["ins_localA", "ins_localB"]);
    expect([a.secretKey, b.secretKey]).toEqual([secretKeyOf(0), secretKeyOf(1)]);
    expect(a.secretKey).not.toBe(b.secretKey);
    expect(a.url).not.toBe(b.url);
    expect((await clientOf(a).instance.get()).id).toBe("ins_localA");
    expect((await clientOf(b).instance.get()).id).toBe("ins_localB");
    const user = await clientOf(a).users.createUser({ emailAddress: ["a-only@example.com"] });
    expect(b.control.getUser(user.id)).toBeUndefined();
    const wrongKey = await clerkError(clientOf(b, a.secretKey).users.getUser(user.id));
    expect(wrongKey.status).toBe(401);
    // the scenario tests need: a valid key of the other instance answers 404 for the first one's user
    const notHere = await clerkError(clientOf(b).users.getUser(user.id));
    expect(notHere.status).toBe(404);
  });

  it("per-instance options: a production instance gets an sk_live_ key; close() stops every server", async () => {
    const clerks = await startLocalClerks([{}, { environmentType: "production" }, { instanceId: "ins_custom" }]);
    const [dev, prod, custom] = clerks.all as [LocalClerk, LocalClerk, LocalClerk];
    expect([dev.environmentType, prod.environmentType, custom.environmentType]).toEqual([
      "development",
      "production",
      "development",
    ]);
    expect(prod.secretKey).toBe(secretKeyOf(1, true));
    expect(prod.secretKey.startsWith("sk_live_")).toBe(true);
    expect(custom.instanceId).toBe("ins_custom");
    await clerks.close();
    await expect(fetch(`${dev.url}/__control/instance`)).rejects.toThrow("fetch failed");
  });
});
