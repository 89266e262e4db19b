import type { ValidationResult } from "openapi-backend";
import {
  ClerkApiError,
  detail,
  paramMissing,
  paramTypeInvalid,
  paramUnknown,
  paramValueInvalid,
  requestBodyInvalid,
  type ClerkErrorDetail,
} from "./errors";

/**
 * Translates ajv errors (from openapi-backend validating against Clerk's spec) into Clerk's form error codes,
 * so a schema violation produces the same `code` / `meta.param_name` a provider would see from Clerk.
 */
type AjvError = NonNullable<ValidationResult["errors"]>[number];

const METADATA_PARAMS = new Set(["public_metadata", "private_metadata", "unsafe_metadata"]);

function param(segments: string[]): string {
  return segments[0] ?? "";
}

function mapOne(err: AjvError): ClerkErrorDetail | "body-invalid" {
  const segments = err.instancePath.split("/").filter((s) => s !== "");
  const where = segments.shift(); // "requestBody" | "query" | "path" | undefined
  const params = err.params as Record<string, unknown>;
  if (err.keyword === "parse") return "body-invalid";
  if (where === undefined) {
    // the whole request: only a missing required body lands here
    return "body-invalid";
  }
  if (where === "requestBody" && segments.length === 0) {
    if (err.keyword === "additionalProperties") return paramUnknown(String(params["additionalProperty"]));
    if (err.keyword === "required") return paramMissing(String(params["missingProperty"]));
    return "body-invalid"; // body is JSON but not an object
  }
  if (where === "query" && segments.length === 0) {
    if (err.keyword === "required") return paramMissing(String(params["missingProperty"]));
    if (err.keyword === "additionalProperties") return paramUnknown(String(params["additionalProperty"]));
  }
  const name = param(segments);
  switch (err.keyword) {
    case "type":
      // Clerk's FormMetadataInvalidType is a form_param_value_invalid, not a type error (error index)
      if (where === "requestBody" && segments.length === 1 && METADATA_PARAMS.has(name)) {
        return paramValueInvalid(name, `${name} must be a JSON object.`);
      }
      return paramTypeInvalid(
        name,
        segments.length > 1 ? `array of ${String(params["type"])}` : String(params["type"]),
      );
    case "enum":
      return paramValueInvalid(
        name,
        `${name} is invalid. Allowed values: ${((params["allowedValues"] as unknown[]) ?? []).map(String).join(", ")}`,
      );
    case "maxItems":
      return detail(
        "form_param_array_size_exceeded",
        "exceeds maximum size",
        `${name} should not exceed ${String(params["limit"])} items.`,
        name,
      );
    case "maxLength":
      return detail(
        "form_param_max_length_exceeded",
        "exceeds maximum length",
        `${name} should not exceed ${String(params["limit"])} characters.`,
        name,
      );
    case "minLength":
      return detail(
        "form_param_min_length_exceeded",
        "does not reach minimum length",
        `${name} must be at least ${String(params["limit"])} characters long.`,
        name,
      );
    case "maximum":
      return detail(
        "form_param_value_too_large",
        "Value too large",
        `The value of ${name} can't be greater than ${String(params["limit"])}`,
        name,
      );
    case "minimum":
    case "minItems":
      return paramValueInvalid(name, `${name} is invalid: ${err.message ?? "out of range"}.`);
    case "additionalProperties":
      return paramUnknown(`${name}.${String(params["additionalProperty"])}`);
    case "required":
      return paramMissing(`${name}.${String(params["missingProperty"])}`);
    default:
      return detail(
        "form_param_format_invalid",
        "is invalid",
        `${name} is invalid: ${err.message ?? err.keyword}.`,
        name,
      );
  }
}

/** Returns the Clerk error for a failed validation, or undefined when there were no errors. */
export function toClerkValidationError(errors: AjvError[]): ClerkApiError | undefined {
  if (errors.length === 0) return undefined;
  const details: ClerkErrorDetail[] = [];
  const seen = new Set<string>();
  for (const err of errors) {
    const mapped = mapOne(err);
    if (mapped === "body-invalid") return requestBodyInvalid();
    const key = `${mapped.code}:${mapped.meta.param_name ?? ""}`;
    if (seen.has(key)) continue;
    seen.add(key);
    details.push(mapped);
  }
  return new ClerkApiError(422, details);
}
