/** Errors raised by the harness. */

export type HostMethod = "configure" | "check" | "diff" | "create" | "read" | "update" | "delete" | "getPluginInfo";

/** Decoded `pulumirpc.ErrorResourceInitFailed`: "created but failed to initialize". */
export interface InitFailure {
  id: string;
  properties: Record<string, unknown>;
  reasons: string[];
  inputs?: Record<string, unknown>;
}

/** A failed gRPC call to the provider host. */
export class HostCallError extends Error {
  override readonly name = "HostCallError";
  constructor(
    readonly method: HostMethod,
    /** gRPC status code (the host uses UNKNOWN = 2 for every hook error). */
    readonly code: number,
    /** The gRPC `details` text: for hook errors, the thrown error's message. */
    readonly details: string,
    /** create/update only: the decoded init failure, when the thrown error carried an `id`. */
    readonly initFailure?: InitFailure,
  ) {
    super(`${method}: ${details}`);
  }
}

/** `check` returned failures for one or more resources during `Engine.up`. Nothing was changed. */
export class CheckFailedError extends Error {
  override readonly name = "CheckFailedError";
  constructor(readonly failures: { urn: string; name: string; property: string; reason: string }[]) {
    super(
      "check failed: " + failures.map((f) => `${f.name}: ${f.property ? f.property + ": " : ""}${f.reason}`).join("; "),
    );
  }
}
