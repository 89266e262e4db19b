/**
 * The root Pulumi program (`Pulumi.yaml` → `main: dist/program/index.js`): one ClerkUser per entry of the stack
 * config's `users` list and of the optional `usersFile`, and one ClerkOrganization (with a
 * ClerkOrganizationMembership per member) per entry of their `organizations` lists. See docs/root-project.md.
 * The logic lives in src/program/ so tests, the demo and the examples can run it under the harness.
 */
import { usersProgram } from "../src/program/usersProgram";

export = () => usersProgram();
