import type { UserFilter } from "../clerk/gateway";
import type { UserInputs } from "../model/UserInputs";

/** The unique identifiers a user declares, as `GET /users` filters: how an existing user is found again. */
export function identifiersOf(inputs: UserInputs): UserFilter {
  const f: UserFilter = {};
  if (inputs.emailAddresses?.length) f.emailAddress = [...inputs.emailAddresses];
  if (inputs.phoneNumbers?.length) f.phoneNumber = [...inputs.phoneNumbers];
  if (inputs.web3Wallets?.length) f.web3Wallet = [...inputs.web3Wallets];
  if (inputs.username) f.username = [inputs.username];
  if (inputs.externalId) f.externalId = [inputs.externalId];
  return f;
}

/**
 * One identifier kind per request: a conflicting user may hold only one of the declared identifiers (say the
 * username, not the email), and combining kinds in one `GET /users` could narrow the answer past it.
 */
export function splitFilter(f: UserFilter): UserFilter[] {
  return (Object.keys(f) as (keyof UserFilter)[])
    .filter((k) => (f[k]?.length ?? 0) > 0)
    .map((k) => ({ [k]: f[k] }) as UserFilter);
}
