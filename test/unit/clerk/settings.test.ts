import { configureSettings, resetConfiguredSettings, resolveSettings } from "../../../src/clerk/settings";
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
