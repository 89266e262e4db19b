import { newTraceId } from "./ids";

/**
 * Clerk error bodies: `{errors:[{code, message, long_message, meta}], clerk_trace_id}`.
 * Codes and messages follow Clerk's Backend API error index (NOTES.md §2.6 / Appendix A) so the SDK's
 * `ClerkAPIResponseError` carries the same `status`, `errors[].code` and `meta.paramName` as against Clerk.
 */
export interface ClerkErrorDetail {
  code: string;
  message: string;
  long_message: string;
  meta: { param_name?: string; [key: string]: unknown };
}

export interface ClerkErrorBody {
  errors: ClerkErrorDetail[];
  clerk_trace_id: string;
}

/** Thrown by handlers; the server turns it into a Clerk-shaped JSON response. */
export class ClerkApiError extends Error {
  readonly status: number;
  readonly errors: ClerkErrorDetail[];
  readonly headers: Record<string, string>;

  constructor(status: number, errors: ClerkErrorDetail[], headers: Record<string, string> = {}) {
    super(`${status} ${errors.map((e) => e.code).join(", ")}`);
    this.name = "ClerkApiError";
    this.status = status;
    this.errors = errors;
    this.headers = headers;
  }

  /** Body with a fresh trace id: Clerk mints one per failing request. */
  toBody(): ClerkErrorBody {
    return { errors: this.errors, clerk_trace_id: newTraceId() };
  }
}

export function detail(code: string, message: string, longMessage: string, paramName?: string): ClerkErrorDetail {
  return { code, message, long_message: longMessage, meta: paramName === undefined ? {} : { param_name: paramName } };
}

// ---- 4xx builders (messages from Clerk's error index) ----

export const userNotFound = (userId: string): ClerkApiError =>
  new ClerkApiError(404, [detail("resource_not_found", "not found", `No user was found with id ${userId}`)]);

/**
 * Clerk's generic not-found (error index: ResourceNotFound, "not found" / "Resource not found"). Clerk answers it for
 * an unknown organization on every `/organizations/{id}` route and for a missing membership (its Go backend's
 * `apierror.ResourceNotFound()`; alexisintech/scalar-script `api/bapi/v1/organizations`, commit edbc6ae).
 */
export const resourceNotFound = (): ClerkApiError =>
  new ClerkApiError(404, [detail("resource_not_found", "not found", "Resource not found")]);

/** Error index OrganizationRoleNotFound: a role key the instance does not have. */
export const organizationRoleNotFound = (): ClerkApiError =>
  new ClerkApiError(404, [detail("resource_not_found", "not found", "Organization role not found", "role")]);

/** Error index OrganizationCreatorNotFound: `created_by` names no user of the instance. */
export const organizationCreatorNotFound = (userId: string): ClerkApiError =>
  new ClerkApiError(400, [
    detail("organization_creator_not_found", "creator not found", `No users found with id ${userId}.`),
  ]);

/** Clerk's AlreadyAMemberOfOrganization (400; its frontend localizes the same code). */
export const alreadyAMember = (userId: string): ClerkApiError =>
  new ClerkApiError(400, [
    detail(
      "already_a_member_in_organization",
      "already a member",
      `User ${userId} is already a member of the organization.`,
    ),
  ]);

/** Clerk's OrganizationMembershipQuotaExceeded: the organization's `max_allowed_memberships` is reached. */
export const membershipQuotaExceeded = (limit: number): ClerkApiError =>
  new ClerkApiError(403, [
    detail(
      "organization_membership_quota_exceeded",
      "organization membership quota exceeded",
      `You have reached your limit of ${limit} organization memberships, including outstanding invitations.`,
    ),
  ]);

/** Clerk's OrganizationMinimumPermissionsNeeded: removing or demoting the last member who can run the organization. */
export const minimumPermissionsNeeded = (): ClerkApiError =>
  new ClerkApiError(400, [
    detail(
      "organization_minimum_permissions_needed",
      "minimum organization permissions needed",
      "There has to be at least one organization member with the minimum required permissions",
    ),
  ]);

/** Error index OrganizationNotEnabledInInstance. */
export const organizationsNotEnabled = (): ClerkApiError =>
  new ClerkApiError(403, [
    detail(
      "organization_not_enabled_in_instance",
      "access denied",
      "The organizations feature is not enabled for this instance. You can enable it at https://dashboard.clerk.com.",
    ),
  ]);

export const identificationNotFound = (): ClerkApiError =>
  new ClerkApiError(404, [detail("resource_not_found", "Resource not found", "Resource not found")]);

/** Loud fallback for every route the local server does not implement. */
export const routeNotFound = (method: string, path: string, why: string): ClerkApiError =>
  new ClerkApiError(404, [
    detail("resource_not_found", "URL not found", `The URL was not found: ${method} ${path} (${why})`),
  ]);

export const paramUnknown = (param: string): ClerkErrorDetail =>
  detail("form_param_unknown", "is unknown", `${param} is not a valid parameter for this request.`, param);

export const paramTypeInvalid = (param: string, type: string): ClerkErrorDetail =>
  detail("form_param_type_invalid", "is invalid", `\`${param}\` must be a \`${type}\`.`, param);

export const paramMissing = (param: string): ClerkErrorDetail =>
  detail("form_param_missing", "is missing", `${param} must be included.`, param);

export const paramValueInvalid = (param: string, longMessage: string): ClerkErrorDetail =>
  detail("form_param_value_invalid", "is invalid", longMessage, param);

export const invalidEmail = (param: string): ClerkErrorDetail =>
  detail("form_param_format_invalid", "is invalid", `${param} must be a valid email address.`, param);

export const invalidPhone = (param: string): ClerkErrorDetail =>
  detail(
    "form_param_format_invalid",
    "is invalid",
    `${param} must be a valid phone number according to E.164 international standard.`,
    param,
  );

export const invalidWeb3 = (param: string): ClerkErrorDetail =>
  detail(
    "form_param_format_invalid",
    "is invalid",
    `${param} must be a valid web3 wallet address that starts with 0x and contains 40 hexadecimal characters.`,
    param,
  );

export const invalidTime = (param: string): ClerkErrorDetail =>
  detail(
    "form_param_invalid_time",
    "invalid format",
    `${param} must contain a datetime specified in RFC3339 format (e.g. \`2022-10-20T10:00:27.645Z\`).`,
    param,
  );

const IDENTIFIER_TAKEN: Record<string, string> = {
  email_address: "That email address is taken. Please try another.",
  phone_number: "That phone number is taken. Please try another.",
  username: "That username is taken. Please try another.",
  web3_wallet: "That web3 wallet is taken. Please try another.",
  external_id: "That external ID is taken. Please try another.",
  slug: "That slug is taken. Please try another.",
};

export const identifierExists = (param: string): ClerkErrorDetail => {
  const msg = IDENTIFIER_TAKEN[param] ?? `That ${param} is taken. Please try another.`;
  return detail("form_identifier_exists", msg, msg, param);
};

export const conditionalParamMissing = (missing: string, present: string): ClerkErrorDetail =>
  detail(
    "form_conditional_param_missing",
    "is missing",
    `\`${missing}\` is required when \`${present}\` is present.`,
    missing,
  );

export const exceedsAllowedSize = (param: string, maxBytes: number): ClerkErrorDetail =>
  detail(
    "form_param_exceeds_allowed_size",
    "exceeds allowed size",
    `${param} exceeds the maximum allowed size of ${maxBytes} bytes.`,
    param,
  );

export const passwordTooShort = (min: number): ClerkErrorDetail =>
  detail(
    "form_password_length_too_short",
    `Passwords must be ${min} characters or more.`,
    `Passwords must be ${min} characters or more.`,
    "password",
  );

export const resourceParamNotFound = (param: string): ClerkErrorDetail =>
  detail(
    "form_resource_not_found",
    "is missing",
    `The resource associated with the supplied ${param} was not found.`,
    param,
  );

export const unprocessable = (...details: ClerkErrorDetail[]): ClerkApiError => new ClerkApiError(422, details);

export const requestBodyInvalid = (): ClerkApiError =>
  new ClerkApiError(400, [
    detail(
      "request_body_invalid",
      "Request body invalid",
      "The request body is invalid. Please consult the API documentation for more information.",
    ),
  ]);

export const unsupportedContentType = (actual: string): ClerkApiError =>
  new ClerkApiError(415, [
    detail(
      "unsupported_content_type",
      "Content-Type is unsupported",
      `Content-Type ${actual} is unsupported. You should use application/json instead.`,
    ),
  ]);

export const authenticationInvalid = (): ClerkApiError =>
  new ClerkApiError(401, [
    detail(
      "authentication_invalid",
      "Invalid authentication",
      "Unable to authenticate the request, you need to supply an active session",
    ),
  ]);

export const authorizationHeaderFormatInvalid = (): ClerkApiError =>
  new ClerkApiError(401, [
    detail(
      "authorization_header_format_invalid",
      "Invalid Authorization header format",
      "Invalid Authorization header format. Must be 'Bearer <YOUR_API_KEY>'",
    ),
  ]);

const KEY_INVALID = "The provided Clerk Secret Key is invalid. Make sure that your Clerk Secret Key is correct.";
export const clerkKeyInvalid = (): ClerkApiError =>
  new ClerkApiError(401, [detail("clerk_key_invalid", KEY_INVALID, KEY_INVALID)]);

export const userQuotaExceeded = (limit: number): ClerkApiError =>
  new ClerkApiError(403, [
    detail("user_quota_exceeded", "user quota exceeded", `You have reached your limit of ${limit} users.`),
  ]);

/**
 * Clerk documents no code for BAPI 429s (NOTES §3); `too_many_requests` is our choice.
 * Callers must key on status 429 + `Retry-After`, never on this code.
 */
export const tooManyRequests = (retryAfterSeconds: number): ClerkApiError =>
  new ClerkApiError(
    429,
    [
      detail(
        "too_many_requests",
        "Too many requests",
        `Too many requests, please retry after ${retryAfterSeconds} seconds.`,
      ),
    ],
    { "Retry-After": String(retryAfterSeconds) },
  );

/** Generic error body for an injected status fault. */
export function injectedStatusError(
  status: number,
  code: string | undefined,
  retryAfterSeconds?: number,
): ClerkApiError {
  if (status === 429) {
    const err = tooManyRequests(retryAfterSeconds ?? 1);
    if (code !== undefined) err.errors[0]!.code = code;
    return err;
  }
  const defaults: Record<number, [string, string, string]> = {
    500: [
      "internal_clerk_error",
      "Oops, an unexpected error occurred",
      "There was an internal error on our servers. We've been notified and are working on fixing it.",
    ],
    502: ["bad_gateway", "Bad gateway", "Bad gateway (injected by local-clerk)"],
    503: ["maintenance_mode", "System under maintenance", "System under maintenance, please try again later."],
    504: ["gateway_timeout", "Gateway timeout", "Gateway timeout (injected by local-clerk)"],
  };
  const [defCode, message, longMessage] = defaults[status] ?? [
    "injected_fault",
    "Injected fault",
    `Injected ${status} fault (local-clerk)`,
  ];
  const headers: Record<string, string> =
    retryAfterSeconds === undefined ? {} : { "Retry-After": String(retryAfterSeconds) };
  return new ClerkApiError(status, [detail(code ?? defCode, message, longMessage)], headers);
}
