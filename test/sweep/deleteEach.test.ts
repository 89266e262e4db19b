import { RetryBudgetExhaustedError } from "../../src/scheduler/RetryBudgetExhaustedError";
import { deleteEach } from "../../src/sweep/deleteEach";
import { describeError } from "../../src/sweep/describeError";
import { selectMarked } from "../../src/sweep/selectMarked";
import { NOW, makeUser, marker } from "./fixtures";

/** Shaped like @clerk/backend's ClerkAPIResponseError (the gateway duck-types it). */
function clerkError(status: number | undefined, code: string, longMessage: string) {
  return Object.assign(new Error(longMessage), {
    clerkError: true as const,
    status,
    clerkTraceId: "trace123",
    errors: [{ code, message: code, longMessage }],
  });
}

const selected = selectMarked(
  Array.from({ length: 30 }, (_, i) =>
    makeUser({
      id: `user_${String(i).padStart(2, "0")}`,
      createdAt: NOW - 1000 + i,
      privateMetadata: marker("p", "s", `r${i}`),
    }),
  ),
  {},
  NOW,
);

describe("deleteEach", () => {
  it("sorts every user into deleted, already gone or failed, in selection order", async () => {
    const remove = async (id: string): Promise<boolean> => {
      if (id === "user_03") return false;
      if (id === "user_07") throw clerkError(403, "cannot_delete", "This user cannot be deleted.");
      return true;
    };
    const settled: number[] = [];
    const report = await deleteEach(remove, selected, { onSettled: (done) => settled.push(done) });
    expect(report.deleted.map((s) => s.item.id)).toEqual(
      selected.map((s) => s.item.id).filter((id) => id !== "user_03" && id !== "user_07"),
    );
    expect(report.alreadyGone.map((s) => s.item.id)).toEqual(["user_03"]);
    expect(report.failed).toEqual([
      {
        selected: selected[7],
        status: 403,
        reason: "Clerk 403 cannot_delete: This user cannot be deleted. (clerk_trace_id trace123)",
      },
    ]);
    expect(settled).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });

  it("never has more than `concurrency` deletions in flight", async () => {
    let inFlight = 0;
    let peak = 0;
    const remove = async (): Promise<boolean> => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 2));
      inFlight--;
      return true;
    };
    const report = await deleteEach(remove, selected, { concurrency: 3 });
    expect(report.deleted).toHaveLength(30);
    expect(peak).toBe(3);
  });

  it("does nothing for nothing selected", async () => {
    const remove = jest.fn();
    expect(await deleteEach(remove, [])).toEqual({ deleted: [], alreadyGone: [], failed: [] });
    expect(remove).not.toHaveBeenCalled();
  });
});

describe("describeError", () => {
  it("names Clerk's status, code, message and trace id", () => {
    expect(
      describeError(clerkError(401, "clerk_key_invalid", "The provided Clerk Secret Key is invalid."), "list"),
    ).toEqual({
      reason: "Clerk 401 clerk_key_invalid: The provided Clerk Secret Key is invalid. (clerk_trace_id trace123)",
      status: 401,
      clerkCode: "clerk_key_invalid",
      unreachable: false,
    });
  });

  it("says the retry budget ran out and keeps the last status", () => {
    const err = new RetryBudgetExhaustedError({
      label: "DELETE /users/user_1",
      attempts: 6,
      elapsedMs: 300_000,
      budgetMs: 300_000,
      reason: "503 Service Unavailable",
      cause: clerkError(503, "service_unavailable", "Service unavailable"),
    });
    expect(describeError(err, "delete")).toEqual({
      reason:
        "Clerk 503 service_unavailable: Service unavailable: gave up after 6 attempts (retry budget exhausted) (clerk_trace_id trace123)",
      status: 503,
      clerkCode: "service_unavailable",
      unreachable: false,
      gaveUp: "gave up after 6 attempts (retry budget exhausted)",
    });
  });

  it("reports a network failure without a status", () => {
    const err = Object.assign(new Error("fetch failed"), {
      clerkError: true as const,
      status: undefined,
      errors: [{ code: "unexpected_error", message: "fetch failed" }],
    });
    expect(describeError(err, "delete")).toEqual({
      reason: "Clerk could not be reached: fetch failed",
      clerkCode: "unexpected_error",
      unreachable: true,
    });
    const spent = new RetryBudgetExhaustedError({
      label: "GET /users",
      attempts: 4,
      elapsedMs: 2000,
      budgetMs: 2000,
      reason: "fetch failed",
      cause: err,
    });
    expect(describeError(spent, "list")).toEqual({
      reason: "Clerk could not be reached: fetch failed: gave up after 4 attempts (retry budget exhausted)",
      clerkCode: "unexpected_error",
      unreachable: true,
      gaveUp: "gave up after 4 attempts (retry budget exhausted)",
    });
  });

  it("falls back to the message of an unknown error", () => {
    expect(describeError(new Error("boom"), "delete")).toEqual({ reason: "boom", unreachable: false });
  });
});
