import { isIdentifierExists } from "../errors/clerkApiError";
import type { ClerkGateway } from "../clerk/gateway";
import { ClerkProviderError, ErrorCode, type ClerkProviderErrorInit } from "../errors/ClerkProviderError";
import type { ClerkUserJSON } from "../model/wire";
import type { UpdateStep } from "../logic/planUpdate";

type Run<K extends UpdateStep["kind"]> = (
  gw: ClerkGateway,
  userId: string,
  step: Extract<UpdateStep, { kind: K }>,
) => Promise<ClerkUserJSON | undefined>;

/**
 * The Clerk call of each step. Those answering with the user return it; the identification endpoints return
 * the identification, so they return `undefined` and the user is read again at the end.
 */
const RUN: { [K in UpdateStep["kind"]]: Run<K> } = {
  addEmail: async (gw, userId, s) => {
    await idempotentAdd(
      () => gw.createEmailAddress({ userId, emailAddress: s.emailAddress, primary: s.primary }),
      async () =>
        ((await gw.getUser(userId))?.email_addresses ?? []).some(
          (e) => e.email_address.toLowerCase() === s.emailAddress.toLowerCase(),
        ),
    );
    return undefined;
  },
  setPrimaryEmail: async (gw, _u, s) => void (await gw.setPrimaryEmailAddress(s.emailAddressId)),
  deleteEmail: async (gw, _u, s) => void (await gw.deleteEmailAddress(s.emailAddressId)),
  addPhone: async (gw, userId, s) => {
    await idempotentAdd(
      () => gw.createPhoneNumber({ userId, phoneNumber: s.phoneNumber, primary: s.primary }),
      async () => ((await gw.getUser(userId))?.phone_numbers ?? []).some((p) => p.phone_number === s.phoneNumber),
    );
    return undefined;
  },
  setPrimaryPhone: async (gw, _u, s) => void (await gw.setPrimaryPhoneNumber(s.phoneNumberId)),
  deletePhone: async (gw, _u, s) => void (await gw.deletePhoneNumber(s.phoneNumberId)),
  updateUser: (gw, userId, s) => gw.updateUser(userId, s.params),
  replaceMetadata: (gw, userId, s) => gw.replaceUserMetadata(userId, s.params),
  ban: (gw, userId) => gw.banUser(userId),
  unban: (gw, userId) => gw.unbanUser(userId),
  lock: (gw, userId) => gw.lockUser(userId),
  unlock: (gw, userId) => gw.unlockUser(userId),
};

/**
 * Executes an update plan step by step against the live user and returns the user as Clerk holds it afterwards.
 * Steps are idempotent under retries: an address that already exists on this very user (a retried POST whose
 * first answer was lost) counts as added, and deleting an address that is already gone counts as deleted.
 */
export async function applyPlan(gw: ClerkGateway, userId: string, steps: UpdateStep[]): Promise<ClerkUserJSON> {
  let user: ClerkUserJSON | undefined;
  for (const [i, step] of steps.entries()) {
    try {
      user = await (RUN[step.kind] as Run<typeof step.kind>)(gw, userId, step);
    } catch (e) {
      throw new PlanFailure(e, i);
    }
  }
  if (user) return user;
  let fresh: ClerkUserJSON | undefined;
  try {
    fresh = await gw.getUser(userId);
  } catch (e) {
    throw new PlanFailure(e, steps.length); // every step went through; only the read back failed
  }
  if (!fresh) throw goneError({ operation: "update", userId }, "the user disappeared during the update");
  return fresh;
}

/**
 * A plan that stopped at step `failedAt` (`steps.length`: only the final read failed): the steps before it
 * went through, that one may or may not have, the ones after did not.
 */
export class PlanFailure {
  constructor(
    readonly cause: unknown,
    readonly failedAt: number,
  ) {}
}

/**
 * A plan of `steps` steps whose first step Clerk refused with a 4xx changed nothing: the plain error suffices
 * (decision 0013). A failed read-back after an empty plan (`failedAt` = `steps` = 0) is no such refusal.
 */
export function refusedAtFirstStep(e: PlanFailure, steps: number): boolean {
  const status = (e.cause as { status?: unknown } | null)?.status;
  return e.failedAt === 0 && steps > 0 && typeof status === "number" && status >= 400 && status < 500;
}

/** The Clerk object (user, organization, membership) is gone (a definite 404) while an operation needed it. */
export function goneError(ctx: Omit<ClerkProviderErrorInit, "code">, detail: string): ClerkProviderError {
  return new ClerkProviderError({
    ...ctx,
    code: ErrorCode.ClerkApi,
    status: 404,
    clerkCode: "resource_not_found",
    detail,
  });
}

/**
 * Runs the steps of an update plan in order through `run` and returns the last answer (`undefined` for an empty
 * plan). A failure is a `PlanFailure` naming the step, so the caller can record what Clerk holds.
 */
export async function runSteps<S, T>(steps: readonly S[], run: (step: S) => Promise<T>): Promise<T | undefined> {
  let last: T | undefined;
  for (const [i, step] of steps.entries()) {
    try {
      last = await run(step);
    } catch (e) {
      throw new PlanFailure(e, i);
    }
  }
  return last;
}

async function idempotentAdd(add: () => Promise<unknown>, alreadyThere: () => Promise<boolean>): Promise<void> {
  try {
    await add();
  } catch (e) {
    if (isIdentifierExists(e) && (await alreadyThere())) return;
    throw e;
  }
}

/** The error a plan failed with, whether or not it came wrapped in a `PlanFailure`. */
export function planCause(e: unknown): unknown {
  return e instanceof PlanFailure ? e.cause : e;
}
