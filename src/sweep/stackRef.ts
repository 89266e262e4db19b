import type { ManagedByMarker } from "../marker/managedByMarker";

/**
 * A stack named on the command line or by `pulumi stack ls`: `stack`, `project/stack` or
 * `org/project/stack`. Without a project it matches that stack name in every project (the cautious reading
 * when it protects stacks).
 */
export interface StackRef {
  project?: string;
  stack: string;
}

/** `dev` → {stack}; `proj/dev` → {project, stack}; `org/proj/dev` → {project, stack}. `undefined` when empty. */
export function parseStackRef(text: string): StackRef | undefined {
  const parts = text
    .trim()
    .split("/")
    .map((p) => p.trim());
  if (parts.some((p) => p === "")) return undefined;
  const stack = parts[parts.length - 1];
  if (stack === undefined) return undefined;
  if (parts.length === 1) return { stack };
  const project = parts[parts.length - 2];
  return project === undefined ? { stack } : { project, stack };
}

/** Comma-separated stack refs (`a,proj/b`); empty entries are ignored, malformed ones reported. */
export function parseStackList(text: string): { refs: StackRef[]; invalid: string[] } {
  const refs: StackRef[] = [];
  const invalid: string[] = [];
  for (const item of text.split(",")) {
    if (item.trim() === "") continue;
    const ref = parseStackRef(item);
    if (ref) refs.push(ref);
    else invalid.push(item.trim());
  }
  return { refs, invalid };
}

export function stackRefMatches(ref: StackRef, marker: ManagedByMarker): boolean {
  return ref.stack === marker.stack && (ref.project === undefined || ref.project === marker.project);
}

export function formatStackRef(ref: StackRef): string {
  return ref.project === undefined ? ref.stack : `${ref.project}/${ref.stack}`;
}
