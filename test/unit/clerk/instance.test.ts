import fc from "fast-check";
import {
  EnvironmentType,
  INSTANCE_REQUEST_LABEL,
  defaultRequestsPer10sFor,
  fetchInstanceIdentity,
} from "../../../src/clerk/instance";
import { ClerkProviderError } from "../../../src/errors/ClerkProviderError";
import { DEV_REQUESTS_PER_10S, PROD_REQUESTS_PER_10S } from "../../../src/scheduler";

/** The pure half of instance identity. The wire half (the real SDK against the local Clerk) is test/integration/instance.test.ts. */

const anyKey = fc.oneof(
  fc.string(),
  fc.string().map((s) => `sk_live_${s}`),
  fc.string().map((s) => `sk_test_${s}`),
);

describe("defaultRequestsPer10sFor", () => {
  it("environment_type decides whatever the key prefix says", () => {
    fc.assert(
      fc.property(anyKey, (key) => {
        expect(defaultRequestsPer10sFor(EnvironmentType.Production, key)).toBe(PROD_REQUESTS_PER_10S);
        expect(defaultRequestsPer10sFor(EnvironmentType.Development, key)).toBe(DEV_REQUESTS_PER_10S);
      }),
    );
    expect(defaultRequestsPer10sFor("production", "sk_test_x")).toBe(1000);
    expect(defaultRequestsPer10sFor("development", "sk_live_x")).toBe(100);
  });

  it("without a known environment_type the key prefix decides: only sk_live_ gets the production limit", () => {
    fc.assert(
      fc.property(
        fc.option(
          fc.string().filter((s) => s !== "production" && s !== "development"),
          { nil: undefined },
        ),
        anyKey,
        (env, key) => {
          expect(defaultRequestsPer10sFor(env, key)).toBe(key.startsWith("sk_live_") ? 1000 : 100);
        },
      ),
    );
    expect(defaultRequestsPer10sFor(undefined, "sk_live_abc")).toBe(1000);
    expect(defaultRequestsPer10sFor("staging", "sk_test_abc")).toBe(100);
    expect(defaultRequestsPer10sFor("Production", "sk_test_abc")).toBe(100);
  });
});

describe("fetchInstanceIdentity with a client-ish object", () => {
  const client = (answer: unknown) => ({ instance: { get: () => Promise.resolve(answer) } });

  it("reads the SDK's Instance (camelCase) and raw JSON (snake_case)", async () => {
    await expect(fetchInstanceIdentity(client({ id: "ins_1", environmentType: "production" }))).resolves.toEqual({
      id: "ins_1",
      environmentType: "production",
    });
    await expect(fetchInstanceIdentity(client({ id: "ins_2", environment_type: "development" }))).resolves.toEqual({
      id: "ins_2",
      environmentType: "development",
    });
    await expect(fetchInstanceIdentity(client({ id: "ins_3" }))).resolves.toEqual({
      id: "ins_3",
      environmentType: undefined,
    });
  });

  it("routes the attempt through `run` with a stable label", async () => {
    const labels: string[] = [];
    const got = await fetchInstanceIdentity(client({ id: "ins_run", environmentType: "development" }), {
      run: (label, attempt) => {
        labels.push(label);
        return attempt();
      },
    });
    expect(got.id).toBe("ins_run");
    expect(labels).toEqual([INSTANCE_REQUEST_LABEL]);
    expect(INSTANCE_REQUEST_LABEL).toBe("GET /instance");
  });

  it.each([[null], [{}], [{ id: "" }], [{ id: "user_123" }], [{ id: 7 }], ["ins_1"]])(
    "an answer without an instance id (%j) is a clear clerk_api_error",
    async (answer) => {
      const err = await fetchInstanceIdentity(client(answer)).catch((e: unknown) => e);
      expect(ClerkProviderError.isInstance(err)).toBe(true);
      expect((err as Error).message).toBe(
        "ClerkUser: GET /instance failed [clerk_api_error]: Clerk's answer to GET /v1/instance carries no instance id (ins_…); check the API URL",
      );
    },
  );

  it("errors of the SDK propagate unchanged", async () => {
    const boom = Object.assign(new Error("x"), { status: 401 });
    await expect(fetchInstanceIdentity({ instance: { get: () => Promise.reject(boom) } })).rejects.toBe(boom);
  });
});
