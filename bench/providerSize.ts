/**
 * (d) Serialized provider size: the text `pulumi.dynamic.Resource` stores as `__provider` in every resource's
 * inputs and outputs, measured two ways — `serializeProvider(clerkUserProvider)` directly, and the `__provider` of
 * a real `ClerkUser` registration captured from a program run under mocks.
 */
import { ClerkUser } from "../src";
import { clerkUserProvider } from "../src/provider/clerkUserProvider";
import { captureRegistrations, DYNAMIC_TYPE_PREFIX, serializeProvider } from "../test/harness";
import { PROJECT, userArgs } from "./common";

export interface ProviderSizeResult {
  /** UTF-8 bytes of `serializeProvider(clerkUserProvider)`. */
  serializedBytes: number;
  /** UTF-8 bytes of `__provider` in a captured ClerkUser registration. */
  registrationBytes: number;
  /** The serialized text requires the runtime module instead of embedding the provider's code. */
  requiresRuntime: boolean;
}

export async function measureProviderSize(): Promise<ProviderSizeResult> {
  const text = await serializeProvider(clerkUserProvider);
  const regs = await captureRegistrations(
    () => {
      new ClerkUser("size-probe", userArgs("size-probe", 0));
    },
    { project: PROJECT, stack: "bench", config: { "clerk:secretKey": { secret: "sk_test_size_probe" } } },
  );
  const reg = regs.find((r) => r.type.startsWith(DYNAMIC_TYPE_PREFIX));
  const provider = reg?.inputs["__provider"];
  if (typeof provider !== "string") throw new Error("bench: no __provider in the captured ClerkUser registration");
  return {
    serializedBytes: Buffer.byteLength(text),
    registrationBytes: Buffer.byteLength(provider),
    requiresRuntime: provider.includes("pulumi-clerk/provider-runtime"),
  };
}
