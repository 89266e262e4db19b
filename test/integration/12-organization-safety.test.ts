/**
 * ClerkOrganization's promises against the local Clerk, attacked: it never touches an organization it does not
 * own, believes "gone" only from the right instance and never when Clerk is unreachable, recovers its own create
 * after a lost answer, and no private-metadata value reaches an error. Hooks in-process, real @clerk/backend.
 */
import { gatewayFor } from "../../src/clerk/gateway";
import { resolveSettings } from "../../src/clerk/settings";
import { MARKER_KEY, mintOwnerId } from "../../src/marker/managedByMarker";
import { createOrganization } from "../../src/provider/organizationCreate";
import { organization } from "../../src/provider/runtime";
import type { LocalClerk } from "../local-clerk";
import { resetGateways } from "../../src/clerk/gateway";
import { managedBy, startClerkForHooks } from "./support";

let clerk: LocalClerk;
beforeEach(async () => {
  // The hooks' retry and take-over lines go to pulumi.log, which outside a Pulumi program prints with console.warn:
  // the tests that care assert them through their own log callback; here they would only fill CI's output.
  jest.spyOn(console, "warn").mockImplementation(() => undefined);
  clerk = await startClerkForHooks();
});
afterEach(async () => {
  jest.restoreAllMocks();
  await clerk.close();
});

type Props = Record<string, unknown>;
const org = (name: string, extra: Props = {}): Props => ({ name: `Org ${name}`, managedBy: managedBy(name), ...extra });
const failure = async (p: Promise<unknown>) =>
  (await p.then(() => undefined).catch((e: unknown) => e)) as Error & Props;
const calls = () => clerk.control.requests().map((r) => `${r.method} ${r.path} ${r.status}`);
const otherMarker = (name = "elsewhere") => ({
  v: 2,
  project: "other",
  stack: "prod",
  name,
  ownerId: mintOwnerId(),
  instanceId: clerk.control.instance().id,
  adopted: false,
});

async function created(inputs: Props): Promise<{ id: string; state: Props }> {
  const { inputs: checked } = await organization.check({}, inputs);
  const res = await organization.create(checked);
  return { id: res.id, state: { ...checked, ...res.outs } };
}

describe("ownership", () => {
  it("adopt by slug: an unmarked organization is taken, undeclared fields kept, the marker says adopted", async () => {
    const existing = clerk.control.putOrganization({ name: "Legacy", slug: "legacy", public_metadata: { keep: 1 } });
    const warnings: string[] = [];
    const inputs = org("adopter", { slug: "legacy", adopt: true });
    const res = await createOrganization(
      gatewayFor(resolveSettings("create")),
      inputs,
      { operation: "create", resource: "adopter" },
      (m) => warnings.push(m),
    );
    expect(res.id).toBe(existing.id);
    expect(clerk.control.getOrganization(existing.id)).toMatchObject({
      name: "Org adopter",
      public_metadata: { keep: 1 },
      private_metadata: { [MARKER_KEY]: expect.objectContaining({ adopted: true, name: "adopter" }) },
    });
    expect(res.outs).toMatchObject({ adopted: true, publicMetadata: { keep: 1 } });
    expect(warnings).toEqual([
      `ClerkOrganization "adopter": took over existing organization ${existing.id}; this changes name ` +
        "(fields the program does not declare are left as they are)",
    ]);
    expect(clerk.control.organizations()).toHaveLength(1);
  });

  it("adopt refuses an organization another resource owns, writing nothing", async () => {
    const theirs = otherMarker();
    const existing = clerk.control.putOrganization({
      name: "Theirs",
      slug: "theirs",
      private_metadata: { [MARKER_KEY]: theirs },
    });
    const err = await failure(
      organization.create((await organization.check({}, org("mine", { slug: "theirs", adopt: true }))).inputs),
    );
    expect(err).toMatchObject({ code: "not_owner", clerkId: existing.id });
    expect(err.message).toContain(`refusing to touch organization ${existing.id}: another resource manages it`);
    expect(err.message).toContain(`handOverFrom: "${theirs.ownerId}"`);
    expect(calls()).toEqual(["GET /v1/instance 200", "GET /v1/organizations/theirs 200"]);
  });

  it("handOverFrom naming the owner takes the organization over deliberately, keeping how it came to be", async () => {
    const theirs = otherMarker();
    const existing = clerk.control.putOrganization({
      name: "Theirs",
      slug: "given",
      private_metadata: { [MARKER_KEY]: theirs },
    });
    const inputs = org("taker", { slug: "given", adopt: true, handOverFrom: theirs.ownerId });
    const { id, state } = await created(inputs);
    expect(id).toBe(existing.id);
    expect(clerk.control.getOrganization(id)!.private_metadata).toEqual({
      [MARKER_KEY]: { ...theirs, project: "proj", stack: "dev", name: "taker", ownerId: state["ownerId"] },
    });
    expect(state).toMatchObject({ adopted: false, name: "Org taker" });
  });

  it("update and delete refuse an organization handed over to another owner since; it stays", async () => {
    const { id, state } = await created(org("handed", { slug: "handed" }));
    clerk.control.patchOrganization(id, { private_metadata: { [MARKER_KEY]: otherMarker("taker") } });
    clerk.control.clearRequests();
    expect(await failure(organization.update(id, state, org("handed", { slug: "handed", name: "X" })))).toMatchObject({
      code: "not_owner",
    });
    expect(await failure(organization.remove(id, state))).toMatchObject({ code: "not_owner" });
    expect(calls().filter((c) => !c.startsWith("GET"))).toEqual([]);
    expect(clerk.control.getOrganization(id)).toMatchObject({ name: "Org handed" });
  });

  it("a slug another organization holds: identifier_conflict naming it; one another resource owns: not_owner", async () => {
    const plain = clerk.control.putOrganization({ name: "Plain", slug: "plain" });
    const conflict = await failure(organization.create(org("a", { slug: "plain" })));
    expect(conflict).toMatchObject({ code: "identifier_conflict", field: "slug", status: 422 });
    expect(conflict.message).toContain(
      `the slug belongs to organization ${plain.id}, which this resource does not manage`,
    );
    clerk.control.putOrganization({ name: "Owned", slug: "owned", private_metadata: { [MARKER_KEY]: otherMarker() } });
    expect(await failure(organization.create(org("b", { slug: "owned" })))).toMatchObject({ code: "not_owner" });
    expect(clerk.control.organizations()).toHaveLength(2);
  });

  it("commit-then-drop on POST: the retry meets its own slug, reads it, finds its ownership id; exactly one", async () => {
    clerk.control.inject({ match: { method: "POST", path: "/v1/organizations" }, times: 1, kind: "commitThenDrop" });
    const { id } = await created(org("dropped", { slug: "dropped" }));
    expect(clerk.control.organizations().map((o) => o.id)).toEqual([id]);
    expect(calls()).toEqual([
      "GET /v1/instance 200",
      "POST /v1/organizations 200",
      "POST /v1/organizations 422",
      "GET /v1/organizations/dropped 200",
    ]);
  });
});

describe("gone, only from the right instance", () => {
  it("a 404 under another instance's key is instance_mismatch for read and delete; nothing is dropped or sent", async () => {
    const { id, state } = await created(org("pinned"));
    const recorded = state["instanceId"];
    clerk.control.removeOrganization(id);
    clerk.control.setInstance({ id: "ins_elsewhere" });
    resetGateways();
    clerk.control.clearRequests();
    const read = await failure(organization.read(id, state));
    expect(read).toMatchObject({ code: "instance_mismatch" });
    expect(read.message).toContain(`the state says Clerk instance ${recorded} holds this organization`);
    expect(await failure(organization.remove(id, state))).toMatchObject({ code: "instance_mismatch" });
    expect(calls()).toEqual([
      `GET /v1/organizations/${id} 404`,
      "GET /v1/instance 200",
      `GET /v1/organizations/${id} 404`,
    ]);
  });

  it("state without an instance id cannot prove a 404", async () => {
    const { id, state } = await created(org("legacy-state"));
    clerk.control.removeOrganization(id);
    const { instanceId: _drop, ...older } = state;
    expect(await failure(organization.read(id, older))).toMatchObject({ code: "instance_mismatch", status: 404 });
  });

  it("Clerk unreachable (connection resets past the budget) or refusing (403 organizations disabled): an error, never gone", async () => {
    const { id, state } = await created(org("kept"));
    process.env["CLERK_RETRY_TIMEOUT_SECONDS"] = "1";
    resetGateways();
    clerk.control.inject({ match: { path: `/v1/organizations/${id}` }, times: 1000, kind: "reset" });
    expect(await failure(organization.read(id, state))).toMatchObject({
      code: expect.stringMatching(/^(clerk_unreachable|retry_budget_exhausted)$/),
    });
    expect(await failure(organization.remove(id, state))).toMatchObject({
      code: expect.stringMatching(/^(clerk_unreachable|retry_budget_exhausted)$/),
    });
    clerk.control.clearFaults();
    clerk.control.setOrganizationSettings({ enabled: false });
    expect(await failure(organization.read(id, state))).toMatchObject({
      status: 403,
      clerkCode: "organization_not_enabled_in_instance",
    });
    clerk.control.setOrganizationSettings({ enabled: true });
    expect(clerk.control.getOrganization(id)).toBeDefined();
  });
});

describe("secrets", () => {
  const SECRET = "s3cr3t-billing-token-8841";

  it("a private-metadata value Clerk echoes never reaches the error (create, update); nor does the key", async () => {
    clerk.control.setEchoSubmittedValues(true);
    clerk.control.inject({ match: { method: "POST" }, times: 1, kind: "status", status: 422 });
    const onCreate = await failure(
      organization.create(org("echo", { slug: "echo", privateMetadata: { token: SECRET } })),
    );
    expect(clerk.control.requests().find((r) => r.echoed)).toBeDefined();
    const { id, state } = await created(org("echo2", { slug: "echo2", privateMetadata: { token: SECRET } }));
    clerk.control.inject({ match: { method: "PUT" }, times: 1, kind: "status", status: 422 });
    const onUpdate = await failure(
      organization.update(id, state, org("echo2", { slug: "echo2", privateMetadata: { token: `${SECRET}-2` } })),
    );
    for (const e of [onCreate, onUpdate]) {
      const text = `${e.message}\n${e.stack}\n${JSON.stringify(e)}`;
      expect(text).not.toContain("s3cr3t-billing");
      expect(text).not.toContain(clerk.secretKey);
      expect(text).toContain("[redacted]");
    }
  });
});
