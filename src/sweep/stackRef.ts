import type { ManagedByMarker } from "../marker/managedByMarker";
import { escapeText } from "./escapeText";
import { SweepUsageError } from "./SweepUsageError";

/**
 * A stack named on the command line or by `pulumi stack ls`: `stack`, `project/stack` or
 * `org/project/stack`. Without a project it matches that stack name in every project (the cautious reading
 * when it protects stacks).
 */
export interface StackRef {
  project?: string;
  stack: string;
}

/**
 * `dev` → {stack}; `proj/dev` → {project, stack}; `org/proj/dev` → {project, stack}. `undefined` when a part
 * is empty or holds a control character.
 */
export function parseStackRef(text: string): StackRef | undefined {
  const parts = text
    .trim()
    .split("/")
    .map((p) => p.trim());
  // Stack and project names never hold control characters; a ref that does is a typo or an injection.
  if (parts.some((p) => p === "" || /[\u0000-\u001f\u007f-\u009f]/u.test(p))) return undefined;
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

/**
 * A stack list given to `flag` (`--keep-stacks`, `--live-stacks`), strictly: an empty value or an empty item
 * (`""`, `a,,b`, `a,`) is a usage error, because it is what an unset shell variable produces, and silently
 * protecting (or keeping alive) fewer stacks than meant is how users get deleted. Malformed items are errors too.
 *
 * @throws SweepUsageError naming the flag and the offending items (escaped).
 */
export function parseStackFlag(flag: string, text: string): StackRef[] {
  if (text.trim() === "") {
    throw new SweepUsageError(`${flag}: empty value (an unset variable?); name at least one stack, e.g. ${flag} prod`);
  }
  if (text.split(",").some((item) => item.trim() === "")) {
    throw new SweepUsageError(`${flag}: empty item in the list (an unset variable?); remove it or name the stack`);
  }
  const { refs, invalid } = parseStackList(text);
  if (invalid.length > 0) {
    throw new SweepUsageError(`${flag}: invalid stack name(s) ${invalid.map((s) => `"${escapeText(s)}"`).join(", ")}`);
  }
  return refs;
}

export function stackRefMatches(ref: StackRef, marker: ManagedByMarker): boolean {
  return ref.stack === marker.stack && (ref.project === undefined || ref.project === marker.project);
}

export function formatStackRef(ref: StackRef): string {
  return ref.project === undefined ? ref.stack : `${ref.project}/${ref.stack}`;
}
