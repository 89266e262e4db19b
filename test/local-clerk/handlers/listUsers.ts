import { paramValueInvalid, resourceParamNotFound, unprocessable } from "../errors";
import type { Store } from "../store";
import type { StoredUser } from "../types";
import { ok, type HandlerContext, type HandlerResult } from "./context";
import { asArray, compare, lower, num, orderBy, plusMinus, type SortValue } from "./listing";
import { userJson } from "../serialize";

/**
 * GET /users and GET /users/count filters (spec 2026-05-12, GetUserList / GetUsersCount).
 * Different filters AND together; the values of one filter OR together; values that match nothing are ignored.
 */

function searchable(u: StoredUser): string[] {
  return [
    u.id,
    ...u.email_addresses.map((e) => e.email_address),
    ...u.phone_numbers.map((p) => p.phone_number),
    ...u.web3_wallets.map((w) => w.web3_wallet),
    u.username ?? "",
    u.first_name ?? "",
    u.last_name ?? "",
  ].map(lower);
}

function before(value: number | null, limit: number | undefined): boolean {
  return limit === undefined || (value !== null && value < limit);
}
function after(value: number | null, limit: number | undefined): boolean {
  return limit === undefined || (value !== null && value > limit);
}

export function filterUsers(store: Store, q: Record<string, unknown>): StoredUser[] {
  const userIds = plusMinus(asArray(q["user_id"]));
  const externalIds = plusMinus(asArray(q["external_id"]));
  const orgIds = plusMinus(asArray(q["organization_id"]));
  const emails = new Set(asArray(q["email_address"]).map(lower));
  const phones = new Set(asArray(q["phone_number"]));
  const usernames = new Set(asArray(q["username"]).map(lower));
  const wallets = new Set(asArray(q["web3_wallet"]).map(lower));
  const providerUserIds = asArray(q["provider_user_id"]);
  const query = typeof q["query"] === "string" ? lower(q["query"]) : undefined;
  const emailQuery = typeof q["email_address_query"] === "string" ? lower(q["email_address_query"]) : undefined;
  const phoneQuery = typeof q["phone_number_query"] === "string" ? lower(q["phone_number_query"]) : undefined;
  const usernameQuery = typeof q["username_query"] === "string" ? lower(q["username_query"]) : undefined;
  const nameQuery = typeof q["name_query"] === "string" ? lower(q["name_query"]) : undefined;
  const banned = typeof q["banned"] === "boolean" ? q["banned"] : undefined;
  const lastActiveAfter = num(q["last_active_at_after"]) ?? num(q["last_active_at_since"]);

  return store.all().filter((u) => {
    if (userIds.include.size > 0 && !userIds.include.has(u.id)) return false;
    if (userIds.exclude.has(u.id)) return false;
    if (externalIds.include.size > 0 && (u.external_id === null || !externalIds.include.has(u.external_id)))
      return false;
    if (u.external_id !== null && externalIds.exclude.has(u.external_id)) return false;
    if (orgIds.include.size > 0 || orgIds.exclude.size > 0) {
      const memberOf = new Set(store.organizations.membershipsOfUser(u.id).map((m) => m.organization_id));
      if (orgIds.include.size > 0 && ![...orgIds.include].some((id) => memberOf.has(id))) return false;
      if ([...orgIds.exclude].some((id) => memberOf.has(id))) return false;
    }
    // the local instance has no external accounts
    if (providerUserIds.length > 0) return false;
    if (emails.size > 0 && !u.email_addresses.some((e) => emails.has(lower(e.email_address)))) return false;
    if (phones.size > 0 && !u.phone_numbers.some((p) => phones.has(p.phone_number))) return false;
    if (usernames.size > 0 && (u.username === null || !usernames.has(lower(u.username)))) return false;
    if (wallets.size > 0 && !u.web3_wallets.some((w) => wallets.has(lower(w.web3_wallet)))) return false;
    if (query !== undefined && !searchable(u).some((s) => s.includes(query))) return false;
    if (emailQuery !== undefined && !u.email_addresses.some((e) => lower(e.email_address).includes(emailQuery)))
      return false;
    if (phoneQuery !== undefined && !u.phone_numbers.some((p) => lower(p.phone_number).includes(phoneQuery)))
      return false;
    if (usernameQuery !== undefined && !lower(u.username ?? "").includes(usernameQuery)) return false;
    if (nameQuery !== undefined && !lower(`${u.first_name ?? ""} ${u.last_name ?? ""}`).includes(nameQuery))
      return false;
    if (banned !== undefined && u.banned !== banned) return false;
    if (!before(u.created_at, num(q["created_at_before"])) || !after(u.created_at, num(q["created_at_after"])))
      return false;
    if (!before(u.last_active_at, num(q["last_active_at_before"])) || !after(u.last_active_at, lastActiveAfter))
      return false;
    if (
      !before(u.last_sign_in_at, num(q["last_sign_in_at_before"])) ||
      !after(u.last_sign_in_at, num(q["last_sign_in_at_after"]))
    ) {
      return false;
    }
    return true;
  });
}

const SORT_FIELDS: Record<string, (u: StoredUser) => SortValue> = {
  created_at: (u) => u.created_at,
  updated_at: (u) => u.updated_at,
  email_address: (u) =>
    u.email_addresses.find((e) => e.id === u.primary_email_address_id)?.email_address.toLowerCase() ?? null,
  web3wallet: (u) => u.web3_wallets.find((w) => w.id === u.primary_web3_wallet_id)?.web3_wallet.toLowerCase() ?? null,
  first_name: (u) => u.first_name,
  last_name: (u) => u.last_name,
  phone_number: (u) => u.phone_numbers.find((p) => p.id === u.primary_phone_number_id)?.phone_number ?? null,
  username: (u) => u.username,
  last_active_at: (u) => u.last_active_at,
  last_sign_in_at: (u) => u.last_sign_in_at,
};

export function listUsers(ctx: HandlerContext): HandlerResult {
  const q = ctx.query;
  const { key, sign, field } = orderBy(q["order_by"], "-created_at", SORT_FIELDS);
  const users = filterUsers(ctx.store, q).sort(
    (a, b) => sign * (compare(key(a), key(b)) || ctx.store.sequenceOf(a.id) - ctx.store.sequenceOf(b.id)),
  );
  const limit = num(q["limit"]) ?? 10;
  const offset = num(q["offset"]) ?? 0;
  let start = offset;
  const startingAfter = typeof q["starting_after"] === "string" ? q["starting_after"] : undefined;
  if (startingAfter !== undefined) {
    if (field !== "created_at") {
      throw unprocessable(paramValueInvalid("starting_after", "starting_after requires ordering by created_at."));
    }
    if (offset !== 0)
      throw unprocessable(paramValueInvalid("offset", "offset cannot be combined with starting_after."));
    const index = users.findIndex((u) => u.id === startingAfter);
    if (index < 0) throw unprocessable(resourceParamNotFound("starting_after"));
    start = index + 1;
  }
  return ok(users.slice(start, start + limit).map(userJson));
}

export function countUsers(ctx: HandlerContext): HandlerResult {
  return ok({ object: "total_count", total_count: filterUsers(ctx.store, ctx.query).length });
}
