import { createHash } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Document, OpenAPIBackend, Operation, ValidationResult } from "openapi-backend";
import YAML from "yaml";

/**
 * The official Clerk Backend API spec (2026-05-12), loaded into openapi-backend (routing + ajv validation).
 * The YAML is 738 KB and takes ~0.7 s to parse, so it is parsed once per process (cached promise) and the parsed
 * JSON is also cached on disk keyed by the file's sha256 — Jest runs each test file in a fresh module registry.
 */

export type SpecOperation = Operation<Document>;

export interface SpecLoadStats {
  /** Where the parsed document came from. */
  source: "yaml" | "disk-cache";
  specPath: string;
  readMs: number;
  parseMs: number;
  initMs: number;
  totalMs: number;
}

export interface SpecRequest {
  method: string;
  /** Full request path including `/v1`, without the query string. */
  path: string;
  query: Record<string, string | string[]>;
  headers: Record<string, string>;
  /** Parsed JSON body, or undefined when none was sent. */
  body: unknown;
}

export interface RequestValidation {
  errors: NonNullable<ValidationResult["errors"]>;
  /** Query after ajv coercion (integers, booleans, arrays) when valid. */
  query: Record<string, unknown>;
}

export interface Spec {
  readonly api: OpenAPIBackend<Document>;
  readonly stats: SpecLoadStats;
  match(method: string, path: string): SpecOperation | undefined;
  pathParams(operation: SpecOperation, path: string): Record<string, string>;
  validateRequest(operation: SpecOperation, req: SpecRequest): RequestValidation;
  validateResponse(operationId: string, status: number, body: unknown): ValidationResult;
  /** The query parameter schema type (e.g. "array") declared by an operation, if any. */
  queryParamType(operation: SpecOperation, name: string): string | undefined;
}

export const API_ROOT = "/v1";
const SPEC_FILE = "bapi-2026-05-12.yml";

/** Finds the spec whether running from `test/local-clerk` (ts-jest) or `dist/test/local-clerk` (built CLI). */
export function resolveSpecPath(): string {
  const fromEnv = process.env["LOCAL_CLERK_SPEC"];
  if (fromEnv) return resolve(fromEnv);
  const candidates = [
    join(__dirname, "spec", SPEC_FILE),
    join(__dirname, "..", "..", "..", "test", "local-clerk", "spec", SPEC_FILE),
  ];
  const found = candidates.find((p) => existsSync(p));
  if (!found)
    throw new Error(`local-clerk: Clerk spec not found (looked in ${candidates.join(", ")}); set LOCAL_CLERK_SPEC`);
  return found;
}

type JsonNode = { [key: string]: unknown };

function isNode(value: unknown): value is JsonNode {
  return typeof value === "object" && value !== null;
}

/**
 * OpenAPI 3.0 allows `nullable: true` without `type` (e.g. `User.scim: {nullable: true, allOf: [$ref]}`),
 * which ajv refuses to compile ("nullable cannot be used without type"). Rewrite those mechanically into
 * the equivalent `anyOf: [schema, {type: null}]` — the schemas themselves stay Clerk's.
 */
export function normalizeNullable(node: unknown): void {
  if (!isNode(node)) return;
  if (Array.isArray(node)) {
    for (const item of node) normalizeNullable(item);
    return;
  }
  for (const value of Object.values(node)) normalizeNullable(value);
  if (node["nullable"] === undefined || node["type"] !== undefined) return;
  const nullable = node["nullable"] === true;
  delete node["nullable"];
  const composite = ["allOf", "oneOf", "anyOf", "$ref"].some((k) => node[k] !== undefined);
  if (!nullable || !composite) return; // bare `{nullable: true}` already accepts any value, null included
  const inner: JsonNode = {};
  for (const key of Object.keys(node)) {
    if (key === "description" || key === "example") continue;
    inner[key] = node[key];
    delete node[key];
  }
  node["anyOf"] = [inner, { type: "null" }];
}

function readDocument(specPath: string): {
  doc: Document;
  source: SpecLoadStats["source"];
  readMs: number;
  parseMs: number;
} {
  const t0 = performance.now();
  const text = readFileSync(specPath, "utf8");
  const sha = createHash("sha256").update(text).digest("hex").slice(0, 16);
  const cachePath = join(tmpdir(), `local-clerk-spec-${sha}.json`);
  const t1 = performance.now();
  if (existsSync(cachePath)) {
    try {
      const doc = JSON.parse(readFileSync(cachePath, "utf8")) as Document;
      return { doc, source: "disk-cache", readMs: t1 - t0, parseMs: performance.now() - t1 };
    } catch {
      // corrupt cache: fall through and re-parse
    }
  }
  const doc = YAML.parse(text) as Document;
  const parseMs = performance.now() - t1;
  try {
    // write-then-rename so parallel Jest workers never read a half-written file
    const tmp = `${cachePath}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(doc));
    renameSync(tmp, cachePath);
  } catch {
    // the disk cache is only an optimisation
  }
  return { doc, source: "yaml", readMs: t1 - t0, parseMs };
}

function buildSpec(api: OpenAPIBackend<Document>, stats: SpecLoadStats): Spec {
  return {
    api,
    stats,
    match(method, path) {
      return api.router.matchOperation({ method: method.toLowerCase(), path, headers: {} });
    },
    pathParams(operation, path) {
      const parsed = api.router.parseRequest({ method: operation.method, path, headers: {} }, operation);
      return (parsed.params ?? {}) as Record<string, string>;
    },
    validateRequest(operation, req) {
      const result = api.validator.validateRequest(
        {
          method: req.method.toLowerCase(),
          path: req.path,
          headers: req.headers,
          query: req.query,
          body: req.body,
        },
        operation,
      );
      const coerced = (result.coerced as { query?: Record<string, unknown> } | undefined)?.query;
      return { errors: result.errors ?? [], query: result.valid && coerced ? coerced : { ...req.query } };
    },
    validateResponse(operationId, status, body) {
      return api.validator.validateResponse(body, operationId, status);
    },
    queryParamType(operation, name) {
      for (const p of operation.parameters ?? []) {
        if ("$ref" in p || p.in !== "query" || p.name !== name) continue;
        const schema = p.schema;
        if (schema && !("$ref" in schema) && typeof schema.type === "string") return schema.type;
      }
      return undefined;
    },
  };
}

/**
 * openapi-backend 5.21 requires `@apidevtools/json-schema-ref-parser` 16, which is ESM-only. Node >= 20.19 can
 * `require()` ESM natively, but Jest's module runtime cannot ("Must use import to load ES Module"), and Jest also
 * wraps `createRequire` / `process.getBuiltinModule`. `Module._load` is Node's own loader, untouched by Jest, so
 * openapi-backend (and only it) is loaded through it; under plain Node this is just a normal require.
 */
function loadOpenApiBackend(): typeof import("openapi-backend") {
  const resolved = require.resolve("openapi-backend");

  const nodeModule = require("node:module") as {
    _load?: (request: string, parent: unknown, isMain: boolean) => unknown;
  };
  if (typeof nodeModule._load === "function")
    return nodeModule._load(resolved, null, false) as typeof import("openapi-backend");

  return require("openapi-backend") as typeof import("openapi-backend");
}

let cached: Promise<Spec> | undefined;

/** Loads, normalizes and dereferences the spec once per process. */
export function loadSpec(): Promise<Spec> {
  cached ??= (async () => {
    const t0 = performance.now();
    const specPath = resolveSpecPath();
    const { doc, source, readMs, parseMs } = readDocument(specPath);
    normalizeNullable(doc);
    const t1 = performance.now();
    const { OpenAPIBackend } = loadOpenApiBackend();
    const api = new OpenAPIBackend<Document>({
      definition: doc,
      apiRoot: API_ROOT,
      // quick: sync dereference + validators compiled lazily per operation (the spec has ~200 operations)
      quick: true,
      validate: true,
      coerceTypes: true,
      // allErrors: report every unknown/mistyped field at once, as Clerk's form errors do
      ajvOpts: { allErrors: true, strict: false },
    });
    await api.init();
    const now = performance.now();
    return buildSpec(api, { source, specPath, readMs, parseMs, initMs: now - t1, totalMs: now - t0 });
  })();
  cached.catch(() => {
    cached = undefined; // let a later call retry after e.g. a missing file was fixed
  });
  return cached;
}
