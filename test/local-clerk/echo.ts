/**
 * The "echo submitted values" fault: a hostile-but-realistic server that repeats what the client sent in its
 * error messages, as real validation layers do (`password "…" is not acceptable`). With the fault on, every
 * 422 and 5xx error response repeats the request's submitted values in each error's `message`, `long_message`
 * and `meta`, in the shapes a client sees them in practice:
 *
 * - `message`: the values raw, comma-separated;
 * - `long_message`: the values JSON-quoted (Go's `%q`), so quotes and backslashes arrive escaped;
 * - `meta.identifiers`: the values as a list; `meta.data`: the parsed body and query;
 *   `meta.description`: the raw body text and the raw (URL-encoded) query string.
 *
 * `identifiers`, `data` and `description` are meta keys @clerk/backend keeps when it parses an error
 * (@clerk/shared `ClerkAPIError`); other keys would be dropped before the provider ever saw them.
 */

/** What the request submitted, as the server saw it. */
export interface SubmittedRequest {
  /** Parsed JSON body (or the raw text, if it was not JSON; undefined if none). */
  body: unknown;
  /** Parsed query. */
  query: Record<string, string | string[]>;
  /** The body exactly as sent. */
  rawBody: string;
  /** The query string exactly as sent, without `?` (still URL-encoded). */
  rawQuery: string;
}

/** Every string leaf of the body (depth-first, keys in order), then every query value; duplicates once. */
export function submittedValues(request: Pick<SubmittedRequest, "body" | "query">): string[] {
  const out = new Set<string>();
  const visit = (v: unknown): void => {
    if (typeof v === "string") out.add(v);
    else if (Array.isArray(v)) v.forEach(visit);
    else if (typeof v === "object" && v !== null) Object.values(v).forEach(visit);
  };
  visit(request.body);
  for (const v of Object.values(request.query)) visit(v);
  out.delete("");
  return [...out];
}

/** Statuses whose error bodies the fault rewrites: Clerk's validation status and every server error. */
export const echoesStatus = (status: number): boolean => status === 422 || status >= 500;

interface ErrorDetailLike {
  message?: unknown;
  long_message?: unknown;
  meta?: unknown;
  [key: string]: unknown;
}

/**
 * The error body with the submitted values repeated in every error; `undefined` when there is nothing to
 * repeat or the body is not a Clerk error body (then the response goes out unchanged).
 */
export function echoSubmitted(body: unknown, request: SubmittedRequest): unknown {
  const errors = (body as { errors?: unknown } | null)?.errors;
  if (!Array.isArray(errors)) return undefined;
  const values = submittedValues(request);
  if (values.length === 0 && request.rawBody === "" && request.rawQuery === "") return undefined;
  const raw = values.join(", ");
  const quoted = values.map((v) => JSON.stringify(v)).join(", ");
  const description = `request body: ${request.rawBody || "(none)"}; query: ${request.rawQuery || "(none)"}`;
  return {
    ...(body as object),
    errors: (errors as ErrorDetailLike[]).map((e) => ({
      ...e,
      message: `${String(e.message ?? "")} (submitted: ${raw})`,
      long_message: `${String(e.long_message ?? "")} You sent: ${quoted}.`,
      meta: {
        ...(typeof e.meta === "object" && e.meta !== null ? e.meta : {}),
        identifiers: values,
        data: { body: request.body ?? null, query: request.query },
        description,
      },
    })),
  };
}
