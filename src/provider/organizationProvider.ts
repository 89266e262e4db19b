import type * as pulumi from "@pulumi/pulumi";
import type * as Runtime from "./runtime";

/**
 * Loaded at call time inside the Pulumi host, from the project's node_modules (decision 0001). Never capture
 * anything from module scope here: the closure serializer copies these lines into every resource's state.
 */
function runtime(): typeof Runtime {
  return require("pulumi-clerk/provider-runtime");
}

/** The `pulumi.dynamic.ResourceProvider` behind `ClerkOrganization`: each hook delegates to `runtime().organization`. */
export const clerkOrganizationProvider: pulumi.dynamic.ResourceProvider = {
  async configure(req) {
    return runtime().configure(req);
  },
  async check(olds, news) {
    return runtime().organization.check(olds, news);
  },
  async diff(id, olds, news) {
    return runtime().organization.diff(id, olds, news);
  },
  async create(inputs) {
    return runtime().organization.create(inputs);
  },
  async read(id, props) {
    return runtime().organization.read(id, props ?? {});
  },
  async update(id, olds, news) {
    return runtime().organization.update(id, olds, news);
  },
  async delete(id, props) {
    return runtime().organization.remove(id, props);
  },
};
