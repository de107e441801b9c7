import { isJsonObject, type Json, type Wire } from "../wire";
import { obj, parseJson, str } from "./json-read";

/**
 * A model server's error in the client's wire. Anthropic:
 * `{type:"error", error:{type, message}}`; OpenAI: `{error:{message, type, code}}`.
 * A provider's numeric code (as CodePlan's own refusals carry, COMPAT.md)
 * moves between OpenAI's `code` and Anthropic's `error.type` unchanged.
 */

type Found = { message?: string; type?: string; code?: string };

/** Anthropic's error types and the HTTP statuses Anthropic answers them with. */
const ANTHROPIC_STATUS: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

/** OpenAI's (and OpenAI-compatible servers') types and codes, in Anthropic's terms. */
const FROM_OPENAI: Record<string, string> = {
  insufficient_quota: "billing_error",
  rate_limit_exceeded: "rate_limit_error",
  requests: "rate_limit_error",
  tokens: "rate_limit_error",
  invalid_api_key: "authentication_error",
  model_not_found: "not_found_error",
  context_length_exceeded: "invalid_request_error",
  server_error: "api_error",
};

const TO_OPENAI: Record<string, { type: string; code: string | null }> = {
  invalid_request_error: { type: "invalid_request_error", code: null },
  request_too_large: { type: "invalid_request_error", code: null },
  not_found_error: { type: "invalid_request_error", code: "not_found" },
  authentication_error: { type: "authentication_error", code: "invalid_api_key" },
  permission_error: { type: "permission_error", code: null },
  billing_error: { type: "insufficient_quota", code: "insufficient_quota" },
  rate_limit_error: { type: "rate_limit_error", code: "rate_limit_exceeded" },
};

const NUMERIC = /^\d+$/;

export function translateError(from: Wire, to: Wire, status: number, body: unknown): Json {
  const found = read(body);
  const message = found.message || (status > 0 ? `Model server error (HTTP ${status})` : "Model server error");
  const providerCode = [found.code, found.type].find((c) => c !== undefined && NUMERIC.test(c));
  const kind = anthropicKind(found, status);
  if (to === "anthropic") {
    const type = providerCode ?? (from === "anthropic" && found.type ? found.type : kind);
    return { type: "error", error: { type, message } };
  }
  const mapped = (Object.hasOwn(TO_OPENAI, kind) ? TO_OPENAI[kind] : undefined) ?? { type: "server_error", code: null };
  const type = from === "openai" && found.type ? found.type : mapped.type;
  const code = providerCode ?? (from === "openai" ? (found.code ?? null) : mapped.code);
  return { error: { message, type, code } };
}

/** Reads either wire's error shape, and the `{message}` / `{detail}` bodies some servers answer; anything else reads as nothing. */
function read(body: unknown): Found {
  const b = typeof body === "string" ? parseJson(body) : body;
  if (!isJsonObject(b)) return {};
  if (typeof b.error === "string") return { message: b.error };
  const e = obj(b.error);
  return {
    message: str(e.message) ?? str(b.message) ?? str(b.detail),
    type: str(e.type) ?? (b.type !== "error" ? str(b.type) : undefined),
    code: codeText(e.code) ?? codeText(b.code),
  };
}

function codeText(v: unknown): string | undefined {
  return typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined;
}

function anthropicKind(found: Found, status: number): string {
  for (const t of [found.type, found.code]) if (t && Object.hasOwn(ANTHROPIC_STATUS, t)) return t;
  for (const t of [found.code, found.type]) if (t && Object.hasOwn(FROM_OPENAI, t)) return FROM_OPENAI[t];
  return kindOfStatus(status);
}

function kindOfStatus(status: number): string {
  const exact = Object.entries(ANTHROPIC_STATUS).find(([, s]) => s === status);
  if (exact) return exact[0];
  if (status === 408) return "timeout_error";
  if (status === 503) return "overloaded_error";
  return status >= 400 && status < 500 ? "invalid_request_error" : "api_error";
}
