/**
 * The public surface, pinned: a change to what `pulumi-clerk` exports shows up in review, and the provider
 * runtime keeps the hook names that serialized providers in existing state call (decisions/0001).
 */
import * as api from "../../src";
import * as runtime from "../../src/provider/runtime";

it("exports exactly the public API", () => {
  expect(Object.keys(api).sort()).toEqual([
    "ClerkOrganization",
    "ClerkOrganizationMembership",
    "ClerkProviderError",
    "ClerkUser",
    "ErrorCode",
    "MARKER_KEY",
    "clerkUserProvider",
    "readMarker",
  ]);
  expect(api.MARKER_KEY).toBe("pulumiClerk");
  expect(Object.values(api.ErrorCode).sort()).toEqual([
    "adopt_not_found",
    "already_member",
    "clerk_api_error",
    "clerk_unreachable",
    "credentials_missing",
    "identifier_conflict",
    "instance_mismatch",
    "invalid_input",
    "last_admin",
    "not_owner",
    "partial_create",
    "retry_budget_exhausted",
  ]);
});

it("the provider runtime keeps every hook that stored providers call", () => {
  expect(
    Object.keys(runtime)
      .filter((k) => typeof (runtime as Record<string, unknown>)[k] === "function")
      .sort(),
  ).toEqual(["check", "configure", "create", "diff", "read", "remove", "update"]);
  expect(Object.keys(api.clerkUserProvider).sort()).toEqual([
    "check",
    "configure",
    "create",
    "delete",
    "diff",
    "read",
    "update",
  ]);
});

it("package.json exports the runtime path the serialized provider requires", () => {
  const pkg = require("../../package.json") as { exports: Record<string, unknown>; bin: Record<string, string> };
  expect(Object.keys(pkg.exports).sort()).toEqual([".", "./package.json", "./provider-runtime"]);
  expect(pkg.bin).toEqual({ "clerk-sweep": "dist/src/sweep/cli.js" });
});
