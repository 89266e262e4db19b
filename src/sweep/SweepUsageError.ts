const BRAND = "pulumi-clerk/SweepUsageError";

/**
 * A mistake in how `clerk-sweep` was called or configured (bad duration, missing key, refused confirmation).
 * The CLI prints the message as is and exits with `ExitCode.Usage`. Branded, like `ClerkProviderError`.
 */
export class SweepUsageError extends Error {
  readonly kind = BRAND;

  constructor(message: string) {
    super(message);
    this.name = "SweepUsageError";
  }

  static isInstance(e: unknown): e is SweepUsageError {
    return typeof e === "object" && e !== null && (e as { kind?: unknown }).kind === BRAND;
  }
}
