import { submittedValues } from "../local-clerk";
import { clerkError, firstError, raw, startHarness, type Harness } from "./helpers";

/**
 * The echo fault (test/local-clerk/echo.ts): while on, 422 and 5xx error bodies repeat what the request
 * submitted. These tests pin the exact wire shape, so the provider's redaction tests know what they face.
 */

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.server.close();
});
beforeEach(() => h.server.control.reset());

/** Seven characters (too short for Clerk), with a quote and a backslash to show the escaped forms. */
const PW = 'Pw"s\\1!';

describe("echo fault off (the default)", () => {
  it("a 422 names the field but not the value", async () => {
    expect(h.server.control.echoesSubmittedValues()).toBe(false);
    const r = await raw(h.server, "POST", "/v1/users", { body: { email_address: ["e@example.com"], password: PW } });
    expect(r.status).toBe(422);
    expect(firstError(r)).toEqual({
      code: "form_password_length_too_short",
      message: "Passwords must be 8 characters or more.",
      long_message: "Passwords must be 8 characters or more.",
      meta: { param_name: "password" },
    });
    expect(r.text).not.toContain("Pw");
    expect(h.server.control.requests()[0]!.echoed).toBeUndefined();
  });
});

describe("echo fault on", () => {
  beforeEach(() => h.server.control.setEchoSubmittedValues(true));

  it("a 422 repeats every submitted value in message (raw), long_message (JSON-quoted) and meta", async () => {
    const body = { email_address: ["e@example.com"], password: PW };
    const r = await raw(h.server, "POST", "/v1/users", { body });
    expect(r.status).toBe(422);
    expect(firstError(r)).toEqual({
      code: "form_password_length_too_short",
      message: `Passwords must be 8 characters or more. (submitted: e@example.com, ${PW})`,
      long_message: `Passwords must be 8 characters or more. You sent: "e@example.com", "Pw\\"s\\\\1!".`,
      meta: {
        param_name: "password",
        identifiers: ["e@example.com", PW],
        data: { body, query: {} },
        description: `request body: ${JSON.stringify(body)}; query: (none)`,
      },
    });
    expect(h.server.control.requests()[0]).toMatchObject({ status: 422, echoed: true });
    expect(h.server.control.users()).toEqual([]);
  });

  it("every error of a multi-error 422 is rewritten", async () => {
    const body = { email_address: ["not-an-email"], created_at: "yesterday" };
    const r = await raw(h.server, "POST", "/v1/users", { body });
    const errors = (r.json as { errors: Array<{ message: string; meta: { identifiers: string[] } }> }).errors;
    expect(r.status).toBe(422);
    expect(errors.length).toBeGreaterThan(1);
    for (const e of errors) {
      expect(e.message).toMatch(/\(submitted: not-an-email, yesterday\)$/);
      expect(e.meta.identifiers).toEqual(["not-an-email", "yesterday"]);
    }
  });

  it("an injected 500 repeats nested string leaves (private metadata, backup codes)", async () => {
    h.server.control.inject({ match: { method: "POST", path: "/v1/users" }, kind: "status", status: 500 });
    const body = {
      email_address: ["m@example.com"],
      backup_codes: ["aaaa1111", "bbbb2222"],
      private_metadata: { stripe: { customer: "cus_9s8d7f6g" }, n: 42, ok: true },
    };
    const r = await raw(h.server, "POST", "/v1/users", { body });
    expect(r.status).toBe(500);
    const e = firstError(r);
    expect(e.code).toBe("internal_clerk_error");
    expect(e.message).toBe(
      "Oops, an unexpected error occurred (submitted: m@example.com, aaaa1111, bbbb2222, cus_9s8d7f6g)",
    );
    expect(e.meta).toEqual({
      identifiers: ["m@example.com", "aaaa1111", "bbbb2222", "cus_9s8d7f6g"],
      data: { body, query: {} },
      description: `request body: ${JSON.stringify(body)}; query: (none)`,
    });
    expect(h.server.control.requests()[0]).toMatchObject({ status: 500, fault: "status", echoed: true });
  });

  it("a 5xx repeats query values, decoded in the lists and URL-encoded in the description", async () => {
    h.server.control.inject({ match: { method: "GET", path: "/v1/users" }, kind: "status", status: 503 });
    const r = await raw(h.server, "GET", "/v1/users?email_address=a%2Bb%40example.com&limit=5");
    expect(r.status).toBe(503);
    const e = firstError(r);
    expect(e.message).toBe("System under maintenance (submitted: a+b@example.com, 5)");
    expect(e.meta).toEqual({
      identifiers: ["a+b@example.com", "5"],
      data: { body: null, query: { email_address: ["a+b@example.com"], limit: "5" } },
      description: "request body: (none); query: email_address=a%2Bb%40example.com&limit=5",
    });
  });

  it("reaches the provider's side intact: @clerk/backend keeps message, longMessage and these meta keys", async () => {
    const err = await clerkError(h.client.users.createUser({ emailAddress: ["sdk@example.com"], password: PW }));
    const e = err.errors[0]! as (typeof err.errors)[0] & {
      meta: { identifiers?: string[]; data?: { body: Record<string, unknown> }; description?: string };
    };
    expect(err.status).toBe(422);
    expect(e.message).toContain(PW);
    expect(e.longMessage).toContain(JSON.stringify(PW));
    expect(e.meta.paramName).toBe("password");
    expect(e.meta.identifiers).toEqual(["sdk@example.com", PW]);
    expect(e.meta.data!.body["password"]).toBe(PW);
    expect(e.meta.description).toContain(JSON.stringify(PW));
  });

  it("leaves other statuses alone: 2xx, 400, 401, 404, 429", async () => {
    h.server.control.inject({ match: { method: "POST" }, kind: "status", status: 429, retryAfterSeconds: 1 });
    const cases = [
      await raw(h.server, "POST", "/v1/users", { body: { email_address: ["x@example.com"], password: PW } }),
      await raw(h.server, "POST", "/v1/users", { rawBody: `{"password": "${PW}`, headers: {} }),
      await raw(h.server, "POST", "/v1/users", { body: { password: PW }, key: "sk_test_wrong" }),
      await raw(h.server, "PATCH", "/v1/users/user_missing", { body: { first_name: "Pw-name" } }),
    ];
    expect(cases.map((r) => r.status)).toEqual([429, 400, 401, 404]);
    for (const r of cases) expect(r.text).not.toContain("Pw");
    const ok = await raw(h.server, "POST", "/v1/users", { body: { email_address: ["ok@example.com"] } });
    expect(ok.status).toBe(200);
    expect(h.server.control.requests().filter((e) => e.echoed)).toEqual([]);
  });

  it("a 5xx for a request that submitted nothing goes out unchanged", async () => {
    h.server.control.inject({ match: { method: "DELETE" }, kind: "status", status: 502 });
    const r = await raw(h.server, "DELETE", "/v1/users/user_x");
    expect(firstError(r)).toEqual({
      code: "bad_gateway",
      message: "Bad gateway",
      long_message: "Bad gateway (injected by local-clerk)",
      meta: {},
    });
    expect(h.server.control.requests()[0]!.echoed).toBeUndefined();
  });

  it("reset turns it off", async () => {
    h.server.control.reset();
    expect(h.server.control.echoesSubmittedValues()).toBe(false);
    const r = await raw(h.server, "POST", "/v1/users", { body: { email_address: ["e@example.com"], password: PW } });
    expect(r.text).not.toContain("Pw");
  });
});

describe("echo fault over HTTP control", () => {
  const control = async (method: string, body?: unknown) => {
    const res = await fetch(`${h.server.url}/__control/echo-submitted-values`, {
      method,
      ...(body !== undefined ? { body: JSON.stringify(body), headers: { "Content-Type": "application/json" } } : {}),
    });
    return { status: res.status, json: (await res.json()) as unknown };
  };

  it("POST {enabled} switches it, GET reads it, a bad body is a 400", async () => {
    expect(await control("GET")).toEqual({ status: 200, json: { enabled: false } });
    expect(await control("POST", { enabled: true })).toEqual({ status: 200, json: { ok: true, enabled: true } });
    expect(h.server.control.echoesSubmittedValues()).toBe(true);
    expect(await control("GET")).toEqual({ status: 200, json: { enabled: true } });
    const r = await raw(h.server, "POST", "/v1/users", { body: { email_address: ["e@example.com"], password: PW } });
    expect(firstError(r).message).toContain(PW);
    expect(await control("POST", { enabled: "yes" })).toEqual({
      status: 400,
      json: { error: 'echo-submitted-values body must be {"enabled": true|false}' },
    });
    expect(await control("POST", { enabled: false })).toEqual({ status: 200, json: { ok: true, enabled: false } });
    expect(h.server.control.echoesSubmittedValues()).toBe(false);
  });
});

describe("submittedValues", () => {
  it("string leaves of the body depth-first, then query values; empty strings and non-strings skipped; once each", () => {
    expect(
      submittedValues({
        body: { a: "1", b: ["2", { c: "3", d: 4, e: null, f: true }], g: "", h: "1" },
        query: { q: ["5", "2"], r: "6" },
      }),
    ).toEqual(["1", "2", "3", "5", "6"]);
    expect(submittedValues({ body: "not json {", query: {} })).toEqual(["not json {"]);
    expect(submittedValues({ body: undefined, query: {} })).toEqual([]);
  });
});
