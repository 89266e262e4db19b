/**
 * Opt-in: the provider runtime against a REAL Clerk development instance. Runs only with CLERK_SECRET_KEY and
 * CLERK_LIVE_TESTS=1 (never a production key); otherwise skips with a one-line reason. Every user it creates
 * carries a unique email and is deleted in `finally`, so a failed run leaves nothing behind.
 */
import { randomBytes } from "node:crypto";
import { resetGateways } from "../../src/clerk/gateway";
import { resetConfiguredSettings } from "../../src/clerk/settings";
import * as runtime from "../../src/provider/runtime";

const key = process.env["CLERK_SECRET_KEY"] ?? "";
const skipReason =
  process.env["CLERK_LIVE_TESTS"] !== "1" || !key
    ? "set CLERK_SECRET_KEY and CLERK_LIVE_TESTS=1 to run against a real Clerk development instance"
    : key.startsWith("sk_live_")
      ? "refusing to run against a production key (sk_live_)"
      : undefined;
const suite = skipReason ? describe.skip : describe;

suite(`live Clerk${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  jest.setTimeout(120_000);
  beforeAll(() => {
    resetGateways();
    resetConfiguredSettings();
  });

  it("create → read → update in place (name, metadata, email) → delete → delete again", async () => {
    const tag = randomBytes(4).toString("hex");
    const inputs = {
      emailAddresses: [`pulumi-clerk-live-${tag}@example.com`],
      firstName: "Live",
      publicMetadata: { role: "qa", tag },
      skipPasswordRequirement: true,
      managedBy: { project: "pulumi-clerk-live", stack: tag, name: "live" },
    };
    const created = await runtime.create(inputs);
    try {
      const read = await runtime.read(created.id, created.outs as Record<string, unknown>);
      expect(read.id).toBe(created.id);
      expect(read.inputs).toMatchObject({ firstName: "Live", publicMetadata: { role: "qa", tag } });
      const news = {
        ...inputs,
        firstName: "Live2",
        publicMetadata: { role: "lead" },
        emailAddresses: [`pulumi-clerk-live-${tag}-b@example.com`],
      };
      const updated = await runtime.update(created.id, created.outs as Record<string, unknown>, news);
      expect(updated.outs).toMatchObject({
        userId: created.id,
        firstName: "Live2",
        publicMetadata: { role: "lead" },
        emailAddresses: [`pulumi-clerk-live-${tag}-b@example.com`],
      });
    } finally {
      await runtime.remove(created.id, {});
      await expect(runtime.remove(created.id, {})).resolves.toBeUndefined();
    }
    const gone = await runtime.read(created.id, {});
    expect(gone.id).toBe("");
  });
});

if (skipReason) {
  it.skip(`live Clerk: ${skipReason}`, () => undefined);
}
