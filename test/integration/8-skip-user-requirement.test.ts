/**
 * The recipe's proof (CONTRIBUTING.md, "Add a field"): `skipUserRequirement` was added as one field-table entry.
 * Through the hooks, the SDK and the spec-validated local Clerk: the wire body carries it, the state records it
 * as a write-only input, and changing it later is a no-op update (Clerk has no way to change it).
 */
import * as runtime from "../../src/provider/runtime";
import type { LocalClerk } from "../local-clerk";
import { managedBy, startClerkForHooks } from "./support";

let clerk: LocalClerk;
beforeEach(async () => {
  clerk = await startClerkForHooks();
});
afterEach(async () => clerk.close());

it("POST /users carries skip_user_requirement; the state keeps it; Clerk accepts the body per the spec", async () => {
  const inputs = { emailAddresses: ["skip@example.com"], skipUserRequirement: true, managedBy: managedBy("skip") };
  expect((await runtime.check({}, inputs)).failures).toEqual([]);
  const res = await runtime.create(inputs);
  const post = clerk.control.requests().find((r) => r.method === "POST" && r.path === "/v1/users")!;
  expect(post.status).toBe(200);
  expect(post.body).toMatchObject({ email_address: ["skip@example.com"], skip_user_requirement: true });
  expect(res.outs["skipUserRequirement"]).toBe(true);
  const diff = await runtime.diff(res.id, res.outs, { ...inputs, skipUserRequirement: false });
  expect(diff.changes).toBe(true);
});
