import type * as pulumi from "@pulumi/pulumi";
import type * as Runtime from "./runtime";

/**
 * Loaded at call time inside the Pulumi host, from the project's node_modules. The closure serializer copies
 * only these few lines into `__provider` (stored in every resource's state): no client, no key, no code
 * beyond a module name. Never capture anything from module scope here.
 */
function runtime(): typeof Runtime {
  return require("pulumi-clerk/provider-runtime");
}

/**
 * The `pulumi.dynamic.ResourceProvider` behind `ClerkUser`: each hook delegates to `provider/runtime.ts`.
 */
export const clerkUserProvider: pulumi.dynamic.ResourceProvider = {
  async configure(req) {
    return runtime().configure(req);
  },
  async check(olds, news) {
    return runtime().check(olds, news);
  },
  async diff(id, olds, news) {
    return runtime().diff(id, olds, news);
  },
  async create(inputs) {
    return runtime().create(inputs);
  },
  async read(id, props) {
    return runtime().read(id, props ?? {});
  },
  async update(id, olds, news) {
    return runtime().update(id, olds, news);
  },
  async delete(id, props) {
    return runtime().remove(id, props);
  },
};
