import type { ListPage } from "../../src/clerk/gateway";
import type { ClerkUserJSON } from "../../src/model/wire";
import { collectPages, type PagedList } from "../../src/sweep/collectPages";
import { NOW, makeUser } from "./fixtures";

/** A list over an in-memory array that honours limit/offset like Clerk (ordered by created_at ascending). */
function fakeList(all: ClerkUserJSON[], opts: { ignoreOffset?: boolean } = {}) {
  const calls: ListPage[] = [];
  return {
    calls,
    request: "GET /users",
    plural: "users",
    listPage: async (page: ListPage): Promise<ClerkUserJSON[]> => {
      calls.push(page);
      const sorted = [...all].sort((a, b) => a.created_at - b.created_at);
      const offset = opts.ignoreOffset ? 0 : (page.offset ?? 0);
      return sorted.slice(offset, offset + page.limit);
    },
  };
}

const users = (n: number) =>
  Array.from({ length: n }, (_, i) => makeUser({ id: `user_${i}`, createdAt: NOW - 1e6 + i }));

describe("collectPages", () => {
  it("pages with limit 500, offset and order_by +created_at until a short page", async () => {
    const gw = fakeList(users(1203));
    const got = await collectPages(gw);
    expect(got).toHaveLength(1203);
    expect(gw.calls).toEqual([
      { limit: 500, offset: 0, orderBy: "+created_at" },
      { limit: 500, offset: 500, orderBy: "+created_at" },
      { limit: 500, offset: 1000, orderBy: "+created_at" },
    ]);
  });

  it("asks once more after an exactly full last page", async () => {
    const gw = fakeList(users(20));
    expect(await collectPages(gw, { pageSize: 10 })).toHaveLength(20);
    expect(gw.calls.map((c) => c.offset)).toEqual([0, 10, 20]);
  });

  it("dedupes by id when a user shows up on two pages", async () => {
    const all = users(10);
    const gw: PagedList<ClerkUserJSON> = {
      request: "GET /users",
      plural: "users",
      listPage: async (page: ListPage) =>
        // A user inserted before the cursor shifts the list by one: user_4 comes again on page 2.
        page.offset === 0 ? all.slice(0, 5) : page.offset === 5 ? all.slice(4, 9) : all.slice(9),
    };
    expect((await collectPages(gw, { pageSize: 5 })).map((u) => u.id)).toEqual(all.map((u) => u.id).slice(0, 10));
  });

  it("stops with an error naming the request instead of looping when the server ignores offset", async () => {
    await expect(collectPages(fakeList(users(10), { ignoreOffset: true }), { pageSize: 5 })).rejects.toThrow(
      "GET /users returned the same users again at offset 5: paging does not advance",
    );
    const orgs = {
      ...fakeList(users(10), { ignoreOffset: true }),
      request: "GET /organizations",
      plural: "organizations",
    };
    await expect(collectPages(orgs, { pageSize: 5 })).rejects.toThrow(
      "GET /organizations returned the same organizations again at offset 5: paging does not advance",
    );
  });

  it("rejects a page size Clerk would refuse", async () => {
    await expect(collectPages(fakeList([]), { pageSize: 501 })).rejects.toThrow(RangeError);
  });

  it("passes gateway errors through (nothing is deleted while listing)", async () => {
    const boom = Object.assign(new Error("401"), { status: 401 });
    const failing = { request: "GET /organizations", plural: "organizations", listPage: () => Promise.reject(boom) };
    await expect(collectPages(failing)).rejects.toBe(boom);
  });
});
