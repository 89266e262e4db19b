import { isIdentifierExists } from "../errors/clerkApiError";
import type { ClerkGateway } from "../clerk/gateway";
import { ClerkProviderError, ErrorCode } from "../errors/ClerkProviderError";
import type { ClerkUserJSON } from "../model/wire";
import type { UpdateStep } from "../logic/planUpdate";

/**
 * Executes an update plan step by step against the live user and returns the user as Clerk holds it afterwards.
 * Steps are idempotent under retries: an address that already exists on this very user (a retried POST whose
 * first answer was lost) counts as added, and deleting an address that is already gone counts as deleted.
 */
export async function applyPlan(gw: ClerkGateway, userId: string, steps: UpdateStep[]): Promise<ClerkUserJSON> {
  let user: ClerkUserJSON | undefined;
  let stale = false; // identification endpoints return the identification, not the user
  for (const step of steps) {
    switch (step.kind) {
      case "addEmail":
        await idempotentAdd(
          () => gw.createEmailAddress({ userId, emailAddress: step.emailAddress, primary: step.primary }),
          async () =>
            ((await gw.getUser(userId))?.email_addresses ?? []).some(
              (e) => e.email_address.toLowerCase() === step.emailAddress.toLowerCase(),
            ),
        );
        stale = true;
        break;
      case "setPrimaryEmail":
        await gw.setPrimaryEmailAddress(step.emailAddressId);
        stale = true;
        break;
      case "deleteEmail":
        await gw.deleteEmailAddress(step.emailAddressId);
        stale = true;
        break;
      case "addPhone":
        await idempotentAdd(
          () => gw.createPhoneNumber({ userId, phoneNumber: step.phoneNumber, primary: step.primary }),
          async () =>
            ((await gw.getUser(userId))?.phone_numbers ?? []).some((p) => p.phone_number === step.phoneNumber),
        );
        stale = true;
        break;
      case "setPrimaryPhone":
        await gw.setPrimaryPhoneNumber(step.phoneNumberId);
        stale = true;
        break;
      case "deletePhone":
        await gw.deletePhoneNumber(step.phoneNumberId);
        stale = true;
        break;
      case "updateUser":
        user = await gw.updateUser(userId, step.params);
        stale = false;
        break;
      case "replaceMetadata":
        user = await gw.replaceUserMetadata(userId, step.params);
        stale = false;
        break;
      case "ban":
        user = await gw.banUser(userId);
        stale = false;
        break;
      case "unban":
        user = await gw.unbanUser(userId);
        stale = false;
        break;
      case "lock":
        user = await gw.lockUser(userId);
        stale = false;
        break;
      case "unlock":
        user = await gw.unlockUser(userId);
        stale = false;
        break;
    }
  }
  if (!user || stale) {
    const fresh = await gw.getUser(userId);
    if (!fresh) throw userGone({ operation: "update", userId }, "the user disappeared during the update");
    user = fresh;
  }
  return user;
}

/** The user is gone (a definite 404 from Clerk) while an operation needed it. */
export function userGone(ctx: { operation: string; userId: string; resource?: string }, detail: string) {
  return new ClerkProviderError({
    ...ctx,
    code: ErrorCode.ClerkApi,
    status: 404,
    clerkCode: "resource_not_found",
    detail,
  });
}

async function idempotentAdd(add: () => Promise<unknown>, alreadyThere: () => Promise<boolean>): Promise<void> {
  try {
    await add();
  } catch (e) {
    if (isIdentifierExists(e) && (await alreadyThere())) return;
    throw e;
  }
}
