// Jest moduleNameMapper for the compatibility run (scripts/compat/run.ts). With PULUMI_CLERK_COMPAT_DIR set to a
// project where another @pulumi/pulumi is installed, the tests' in-process Pulumi runtime (programs under mocks,
// the harness's gRPC client) comes from that project, like the provider host that runs there. Otherwise: nothing.
const path = require("node:path");

const SHARED = ["@pulumi/pulumi", "@grpc/grpc-js", "google-protobuf"];

module.exports = function jestModuleMap(env = process.env) {
  const dir = env.PULUMI_CLERK_COMPAT_DIR;
  if (!dir) return {};
  const map = {};
  for (const name of SHARED) {
    const root = path.join(dir, "node_modules", name);
    const escaped = name.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    map[`^${escaped}$`] = root;
    map[`^${escaped}/(.*)$`] = `${root}/$1`;
  }
  return map;
};
