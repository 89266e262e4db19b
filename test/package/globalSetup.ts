/**
 * Packs the tarball once per Jest run for the installed-layout tests (examples, README program, package contents),
 * unless the caller already did (PULUMI_CLERK_TARBALL, e.g. the compatibility run). Needs `npm run build`.
 */
import * as path from "node:path";
import { packTarball, tempProjectDir } from "../../scripts/lib/installedProject";

export default function globalSetup(): void {
  if (process.env["PULUMI_CLERK_TARBALL"]) return;
  process.env["PULUMI_CLERK_TARBALL"] = packTarball(tempProjectDir("pack"));
  process.env["PULUMI_CLERK_TARBALL_OWNED"] = path.dirname(process.env["PULUMI_CLERK_TARBALL"]);
}
