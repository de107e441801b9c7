import { randomUUID } from "node:crypto";
import { langOf, refusalMessage, wireCode, type Lang, type Refusal } from "../quota";
import { translateError } from "./translate";
import { isJsonObject, sseFrame, type Wire } from "./wire";

/**
 * Every answer the gateway makes itself, in the shape of the client's wire
 * (COMPAT.md): refusals with the provider's codes, the model server's own
 * errors, and the retryable "try again" of GATE-3.
 */

export const anthropicRequestId = (id: string = randomUUID()) => `req_${id.replace(/-/g, "")}`;

export function refusalResponse(wire: Wire, r: Refusal, acceptLanguage: string | null, requestId?: string): Response {
  const { code, status } = wireCode(r);
  const message = refusalMessage(r, langOf(acceptLanguage));
  if (wire === "openai") return Response.json({ error: { code, message } }, { status });
  const id = anthropicRequestId(requestId);
  return Response.json(
    { type: "error", error: { type: code, message }, request_id: id },
    { status, headers: { "request-id": id } },
  );
}

const UNAVAILABLE: Record<Lang, string> = {
  en: "The model server is unavailable or did not answer in time. Please try again.",
  zh: "模型服务暂时不可用或未及时响应，请稍后重试。",
};
const TOO_LARGE: Record<Lang, string> = {
  en: "The request body is too large.",
  zh: "请求体过大。",
};
const NO_MODEL_SERVER: Record<Lang, string> = {
  en: "No model server is configured for this endpoint. The operator must set UPSTREAM_ANTHROPIC_URL or UPSTREAM_OPENAI_URL.",
  zh: "此接口尚未配置模型服务，请运营方设置 UPSTREAM_ANTHROPIC_URL 或 UPSTREAM_OPENAI_URL。",
};

/**
 * GATE-3: the model server failed before any answer reached the client. The
 * status tells the client's retry logic to try again: Anthropic's clients
 * retry 529 (overloaded), OpenAI's retry 503.
 */
export function retryableResponse(wire: Wire, acceptLanguage: string | null): Response {
  const message = UNAVAILABLE[langOf(acceptLanguage)];
  if (wire === "openai")
    return Response.json({ error: { code: "503", type: "service_unavailable", message } }, { status: 503 });
  return Response.json(
    { type: "error", error: { type: "overloaded_error", message }, request_id: anthropicRequestId() },
    { status: 529 },
  );
}

/** GATE-2: production without a model server. 503 with a message that says what is missing; nothing was spent. */
export function noModelServerResponse(wire: Wire, acceptLanguage: string | null): Response {
  const message = NO_MODEL_SERVER[langOf(acceptLanguage)];
  if (wire === "openai")
    return Response.json({ error: { code: "503", type: "service_unavailable", message } }, { status: 503 });
  return Response.json(
    { type: "error", error: { type: "api_error", message }, request_id: anthropicRequestId() },
    { status: 503 },
  );
}

/**
 * A model server's own refusal (a 4xx: the request was invalid, too long…)
 * reaches the client with its status, in the client's shape: unchanged when
 * the wires match and the body is in that shape, translated otherwise.
 */
export function upstreamErrorResponse(clientWire: Wire, serverWire: Wire, status: number, text: string): Response {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  const shaped =
    clientWire === "anthropic"
      ? isJsonObject(body) && isJsonObject(body.error) && body.type === "error"
      : isJsonObject(body) && isJsonObject(body.error);
  if (clientWire === serverWire && shaped)
    return new Response(text, { status, headers: { "content-type": "application/json" } });
  return Response.json(translateError(serverWire, clientWire, status, body), { status });
}

/** GATE-3: a stream that broke off after it started ends in the wire's error form. */
export function streamErrorFrame(wire: Wire, acceptLanguage: string | null): string {
  const message = UNAVAILABLE[langOf(acceptLanguage)];
  if (wire === "openai")
    return sseFrame(JSON.stringify({ error: { code: "503", type: "service_unavailable", message } }));
  return sseFrame(JSON.stringify({ type: "error", error: { type: "overloaded_error", message } }), "error");
}

/** A body over the bound (model-request.ts), refused before it is read whole. */
export function tooLargeResponse(wire: Wire, acceptLanguage: string | null): Response {
  const message = TOO_LARGE[langOf(acceptLanguage)];
  if (wire === "openai") return Response.json({ error: { code: "1210", message } }, { status: 413 });
  return Response.json(
    { type: "error", error: { type: "request_too_large", message }, request_id: anthropicRequestId() },
    { status: 413 },
  );
}
