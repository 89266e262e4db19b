/**
 * Pulumi property paths for check failures (`emailAddresses[1]`, `publicMetadata.plan`,
 * `publicMetadata["two words"]`), so the CLI points at the exact offending value.
 */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === "number") return `${parent}[${key}]`;
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}
