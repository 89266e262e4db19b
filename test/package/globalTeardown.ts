/** Removes the tarball globalSetup packed (not one the caller passed in). */
import * as fs from "node:fs";

export default function globalTeardown(): void {
  const owned = process.env["PULUMI_CLERK_TARBALL_OWNED"];
  if (owned) fs.rmSync(owned, { recursive: true, force: true });
}
