/**
 * Jest projects, cheapest first. `npm run test:unit` runs only `unit` (no build, no server, no child process);
 * `npm test` builds and runs them all. Each test file belongs to exactly one project (test/projects.test.ts).
 *
 * Tests are transpiled without type checking (tsconfig.jest.json): `npm run typecheck` checks them, once.
 *
 * @type {import('jest').Config}
 */
const shared = {
  testEnvironment: "node",
  rootDir: __dirname,
  modulePathIgnorePatterns: ["<rootDir>/dist/", "<rootDir>/examples/.*/node_modules/", "<rootDir>/.compat/"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.jest.json" }] },
  moduleNameMapper: require("./scripts/compat/jestModuleMap.js")(),
};

/** Pure code, fakes and in-process mocks: seconds. */
const unit = [
  "<rootDir>/test/projects.test.ts",
  "<rootDir>/test/unit/**/*.test.ts",
  "<rootDir>/test/sweep/**/*.test.ts",
  "<rootDir>/test/program/parseUsersConfig.test.ts",
  "<rootDir>/test/program/parseOrganizationsConfig.test.ts",
  "<rootDir>/test/program/rootProgram.test.ts",
  "<rootDir>/test/program/usersFile.test.ts",
  "<rootDir>/test/program/9-scenarios.test.ts",
  "<rootDir>/test/support/**/*.test.ts",
  "<rootDir>/test/harness-tests/capture.test.ts",
];
/** Against the local Clerk on a real port, in-process. */
const integration = [
  "<rootDir>/test/local-clerk-tests/**/*.test.ts",
  "<rootDir>/test/integration/**/*.test.ts",
  "<rootDir>/test/sweep/sweep.integration.test.ts",
];
/** Through Pulumi's real dynamic-provider host (a child process that loads dist/). */
const host = [
  "<rootDir>/test/harness-tests/engine.test.ts",
  "<rootDir>/test/harness-tests/host.test.ts",
  "<rootDir>/test/host/**/*.test.ts",
  "<rootDir>/test/program/rootLifecycle.test.ts",
  "<rootDir>/test/program/demo.test.ts",
  "<rootDir>/test/bench/**/*.test.ts",
];
/** The packed tarball installed into temporary projects outside the repository. */
const installed = ["<rootDir>/test/examples/**/*.test.ts", "<rootDir>/test/package/**/*.test.ts"];
/** Need something this machine may not have (a Pulumi CLI, a real Clerk); skip with a reason otherwise. */
const optin = ["<rootDir>/test/optin/**/*.test.ts"];

const project = (name, testMatch, extra = {}) => ({
  ...shared,
  displayName: name,
  testMatch,
  ...extra,
  testPathIgnorePatterns: ["/node_modules/", ...(extra.testPathIgnorePatterns ?? [])],
});

module.exports = {
  testTimeout: 60000,
  reporters: [["default", { summaryThreshold: 0 }], "<rootDir>/test/summary-reporter.js"],
  projects: [
    project("unit", unit, { testPathIgnorePatterns: ["<rootDir>/test/sweep/sweep.integration.test.ts"] }),
    project("integration", integration),
    project("host", host),
    // Packs the tarball once per run (test/package/globalSetup.ts).
    project("installed", installed, {
      globalSetup: "<rootDir>/test/package/globalSetup.ts",
      globalTeardown: "<rootDir>/test/package/globalTeardown.ts",
    }),
    project("optin", optin),
  ],
};
