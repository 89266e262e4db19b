import fc from "fast-check";
import {
  configureSettings,
  normalizeApiUrl,
  resetConfiguredSettings,
  resolveApiUrl,
  resolveSettings,
} from "../../../src/clerk/settings";
import { ClerkProviderError } from "../../../src/errors/ClerkProviderError";

const config = (values: Record<string, string>) => ({ get: (k: string) => values[k] });
afterEach(() => resetConfiguredSettings());

it("stack config wins over the environment; keys are read namespaced", () => {
  configureSettings(config({ "clerk:secretKey": "sk_test_config", "clerk:apiUrl": "http://config" }));
  expect(resolveSettings("read", { CLERK_SECRET_KEY: "sk_test_env", CLERK_API_URL: "http://env" })).toEqual({
    secretKey: "sk_test_config",
    apiUrl: "http://config",
  });
});

it("falls back to the environment at call time, then to Clerk's API URL", () => {
  configureSettings(config({ secretKey: "bare-key-is-not-read" }));
  expect(resolveSettings("read", { CLERK_SECRET_KEY: "sk_test_env" })).toEqual({
    secretKey: "sk_test_env",
    apiUrl: "https://api.clerk.com",
  });
});

it("tuning knobs: numbers from config or env, converted to ms", () => {
  configureSettings(config({ "clerk:maxRequestsPer10s": "50", "clerk:requestTimeoutSeconds": "5" }));
  expect(
    resolveSettings("create", { CLERK_SECRET_KEY: "k", CLERK_MAX_CONCURRENCY: "4", CLERK_RETRY_TIMEOUT_SECONDS: "60" }),
  ).toEqual({
    secretKey: "k",
    apiUrl: "https://api.clerk.com",
    maxRequestsPer10s: 50,
    maxConcurrency: 4,
    requestTimeoutMs: 5000,
    retryBudgetMs: 60000,
  });
});

it("a missing key or a bad number is a clear error naming the setting, never echoing the key", () => {
  expect(() => resolveSettings("delete", {})).toThrow(
    "ClerkUser: delete failed [credentials_missing]: no Clerk secret key: run `pulumi config set --secret clerk:secretKey sk_...` or set CLERK_SECRET_KEY",
  );
  let err: unknown;
  try {
    resolveSettings("read", { CLERK_SECRET_KEY: "sk_test_secret123", CLERK_MAX_REQUESTS_PER_10S: "lots" });
  } catch (e) {
    err = e;
  }
  expect(ClerkProviderError.isInstance(err)).toBe(true);
  expect((err as Error).message).toContain(
    "clerk:maxRequestsPer10s / CLERK_MAX_REQUESTS_PER_10S must be a positive number",
  );
  expect((err as Error).message).not.toContain("sk_test_secret123");
});

describe("API URL hygiene", () => {
  it.each([
    ["https://api.clerk.com", "https://api.clerk.com"],
    ["https://api.clerk.com/", "https://api.clerk.com"],
    ["https://api.clerk.com/v1", "https://api.clerk.com"],
    ["https://api.clerk.com/v1/", "https://api.clerk.com"],
    ["https://api.clerk.com//v1//", "https://api.clerk.com"],
    ["  https://API.Clerk.com/v1\n", "https://api.clerk.com"],
    ["http://127.0.0.1:4010/v1", "http://127.0.0.1:4010"],
    ["https://api.clerk.com:443/", "https://api.clerk.com"],
    ["https://proxy.example.com/clerk/v1/", "https://proxy.example.com/clerk"],
    ["https://proxy.example.com/v1x", "https://proxy.example.com/v1x"],
    ["http://[::1]:8080/v1", "http://[::1]:8080"],
  ])("%j → %j", (input, expected) => {
    expect(normalizeApiUrl(input)).toEqual({ ok: true, url: expected });
  });

  it.each([
    ["", "it is empty"],
    ["   ", "it is empty"],
    ["sk_test_abcdefghijklmnop", "it looks like a Clerk key, not a URL (are the key and the URL settings swapped?)"],
    [
      "https://sk_live_abcdefghijklmnop",
      "it looks like a Clerk key, not a URL (are the key and the URL settings swapped?)",
    ],
    [
      "pk_test_Y2xlcmsuZXhhbXBsZS5jb20k",
      "it looks like a Clerk key, not a URL (are the key and the URL settings swapped?)",
    ],
    ["api.clerk.com", "it is not a URL"],
    ["not a url", "it is not a URL"],
    ["https://api.clerk .com", "it is not a URL"],
    ["https://api.clerk.com/\u001b[31m", "it is not a URL"],
    ["ftp://api.clerk.com", "it is not an http(s) URL"],
    ["file:///etc/passwd", "it is not an http(s) URL"],
    ["https://user:pass@api.clerk.com", "it must not contain credentials"],
    ["https://api.clerk.com/?key=1", "it must not contain a query or fragment"],
    ["https://api.clerk.com/?", "it must not contain a query or fragment"],
    ["https://api.clerk.com/#v1", "it must not contain a query or fragment"],
  ])("%j is refused: %s", (input, problem) => {
    expect(normalizeApiUrl(input)).toEqual({ ok: false, problem });
  });

  const segment = fc.stringMatching(/^[a-z0-9-]{1,8}$/);
  const urlArb = fc
    .record({
      scheme: fc.constantFrom("http", "https"),
      host: fc.constantFrom("api.clerk.com", "127.0.0.1", "localhost", "[::1]", "proxy.example.com"),
      port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
      path: fc.array(segment, { maxLength: 3 }),
      tail: fc.constantFrom("", "/", "/v1", "/v1/", "//", "/v1/v1/"),
      pad: fc.constantFrom("", " ", "\t", "\n "),
    })
    .map((p) => ({
      ...p,
      text: `${p.pad}${p.scheme}://${p.host}${p.port === undefined ? "" : `:${p.port}`}${p.path.map((s) => `/${s}`).join("")}${p.tail}${p.pad}`,
    }));

  it("is idempotent, never ends in / or /v1, and requests land on <base>/v1/… exactly once", () => {
    fc.assert(
      fc.property(urlArb, ({ text }) => {
        const once = normalizeApiUrl(text);
        if (!once.ok) throw new Error(`refused ${JSON.stringify(text)}: ${once.problem}`);
        expect(normalizeApiUrl(once.url)).toEqual(once);
        expect(once.url).not.toMatch(/\/$|\/v1$/);
        // the SDK joins apiUrl + "/v1" + path
        expect(new URL(`${once.url}/v1/users`).pathname).not.toContain("/v1/v1");
      }),
    );
  });

  it("a refusal never contains the value", () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.constantFrom("sk_live_", "https://x.example/sk_test_", "https://x.example/SECRET ?"),
        (junk, prefix) => {
          const value = `${prefix}${junk}`;
          const checked = normalizeApiUrl(value);
          expect(checked.ok).toBe(false);
          let message = "";
          try {
            resolveApiUrl(value, "CLERK_API_URL", "read");
          } catch (e) {
            message = (e as Error).message;
          }
          expect(message).toMatch(
            /^ClerkUser: read failed \[invalid_input\]: field "CLERK_API_URL": CLERK_API_URL must be/,
          );
          for (const text of [message, checked.ok ? "" : checked.problem]) {
            expect(text).not.toMatch(/sk_live_|sk_test_|SECRET|x\.example/);
          }
        },
      ),
    );
  });

  it("resolveSettings normalises the URL from config, env or an override, and names the source of a bad one", () => {
    configureSettings(config({ "clerk:apiUrl": "https://api.clerk.com/v1/" }));
    expect(resolveSettings("read", { CLERK_SECRET_KEY: "sk_test_k" }).apiUrl).toBe("https://api.clerk.com");
    resetConfiguredSettings();
    expect(
      resolveSettings("read", { CLERK_SECRET_KEY: "sk_test_k", CLERK_API_URL: " http://127.0.0.1:9/v1 " }).apiUrl,
    ).toBe("http://127.0.0.1:9");
    expect(
      resolveSettings(
        "clerk-sweep",
        { CLERK_SECRET_KEY: "sk_test_k", CLERK_API_URL: "sk_test_pasted_here" },
        { apiUrl: { value: "http://127.0.0.1:5/", source: "--api-url" } },
      ).apiUrl,
    ).toBe("http://127.0.0.1:5");

    const pasted = "sk_live_0123456789abcdefghij";
    expect(() => resolveSettings("delete", { CLERK_SECRET_KEY: "sk_test_k", CLERK_API_URL: pasted })).toThrow(
      'ClerkUser: delete failed [invalid_input]: field "CLERK_API_URL": CLERK_API_URL must be an http(s) URL such as ' +
        "https://api.clerk.com, but it looks like a Clerk key, not a URL (are the key and the URL settings swapped?); " +
        "the value is not shown because it may be a secret",
    );
    configureSettings(config({ "clerk:apiUrl": "ftp://x" }));
    let err: unknown;
    try {
      resolveSettings("read", { CLERK_SECRET_KEY: "sk_test_k", CLERK_API_URL: "https://fine.example" });
    } catch (e) {
      err = e;
    }
    expect(ClerkProviderError.isInstance(err)).toBe(true);
    expect(err).toMatchObject({ code: "invalid_input", field: "clerk:apiUrl" });
    expect((err as Error).message).not.toContain("ftp://x");
  });
});
