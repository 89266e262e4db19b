/**
 * Opt-in: a real `pulumi up / refresh / destroy` through the Automation API, with a temporary file backend,
 * against the local Clerk. Runs only when a `pulumi` CLI is on PATH; otherwise skips with a one-line reason.
 * Follows pulumi/pulumi's integration sequence: up, up again (no changes), refresh (no changes), edit, destroy.
 */
import * as path from "node:path";
import { hasPulumiCli, startCliStack, type CliStack } from "../../scripts/lib/pulumiCli";
import { startLocalClerk, type LocalClerk } from "../local-clerk";

const REPO = path.resolve(__dirname, "../..");
const skipReason = hasPulumiCli() ? undefined : "no `pulumi` CLI on PATH";
const suite = skipReason ? describe.skip : describe;

suite(`real Pulumi CLI lifecycle${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  jest.setTimeout(300_000);
  let clerk: LocalClerk;
  let stack: CliStack;
  beforeAll(async () => {
    clerk = await startLocalClerk();
    stack = await startCliStack(REPO, `optin${Date.now()}`);
  });
  afterAll(async () => {
    await stack?.close();
    await clerk?.close();
  });

  const config = (firstName: string) => ({
    "clerk:secretKey": { secret: clerk.secretKey },
    "clerk:apiUrl": clerk.url,
    "pulumi-clerk:users": JSON.stringify([{ name: "cli-user", emailAddresses: ["cli-user@example.com"], firstName }]),
  });

  it("up, up again, edit, destroy", async () => {
    const noop = () => undefined;
    expect(await stack.up(config("One"), noop)).toMatchObject({ create: 1 });
    expect(clerk.control.users().map((u) => u.first_name)).toEqual(["One"]);
    expect(await stack.up(config("One"), noop)).toMatchObject({ create: 0, update: 0 });
    expect(await stack.up(config("Two"), noop)).toMatchObject({ update: 1 });
    expect(clerk.control.users().map((u) => u.first_name)).toEqual(["Two"]);
    expect(await stack.destroy(noop)).toMatchObject({ delete: 1 });
    expect(clerk.control.users()).toEqual([]);
  });
});

if (skipReason) {
  it.skip(`real Pulumi CLI: ${skipReason}`, () => undefined);
}
