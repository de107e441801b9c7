import { BodyTooLarge, boundedText } from "../http/bounded-body";
import { isLoopback } from "../http/client-address";
import { clientIp } from "../http/client-ip";
import { callerSignalsOf, identityOf } from "../policy/signals";
import { hashKey } from "../quota";
import { networkOf } from "../referrals/device";
import { AnswerMeter } from "./answer-meter";
import type { Admission, CallFacts, GatewayDeps, Governor } from "./call";
import { MAX_MODEL_BODY, readModelRequest, type ModelRequest } from "./model-request";
import { routeFor, type ModelServers, type Route } from "./model-servers";
import { StreamedAnswer } from "../http/streamed-answer";
import { relayStream } from "./relay";
import { likelyTokens, promptText, promptTokensBound } from "./token-estimate";
import {
  createStreamTranslator,
  toAnthropicRequest,
  toAnthropicResponse,
  toOpenaiRequest,
  toOpenaiResponse,
} from "./translate";
import { ClientGone, failureOf, sendToModelServer, UpstreamError, type UpstreamCall } from "./upstream";
import {
  anthropicRequestId,
  noModelServerResponse,
  refusalResponse,
  retryableResponse,
  streamErrorFrame,
  tooLargeResponse,
  upstreamErrorResponse,
} from "./wire-errors";
import { isJsonObject, type Json, type Wire } from "./wire";

const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache",
  connection: "keep-alive",
};

/** The client's key: Anthropic's clients send `x-api-key` (or a bearer token), OpenAI's a bearer token. */
export function keyOf(wire: Wire, headers: Headers): string | null {
  const bearer = /^Bearer\s+(.+)$/i.exec(headers.get("authorization")?.trim() ?? "")?.[1]?.trim() || null;
  return wire === "anthropic" ? headers.get("x-api-key")?.trim() || bearer : bearer;
}

/** The request's body, bounded and read for what the gateway needs; or the refusal to answer (413, or 1210 naming the field). */
export async function modelRequestOf(wire: Wire, req: Request): Promise<ModelRequest | Response> {
  const lang = req.headers.get("accept-language");
  let raw: unknown;
  try {
    raw = JSON.parse(await boundedText(req, MAX_MODEL_BODY));
  } catch (e) {
    if (e instanceof BodyTooLarge) return tooLargeResponse(wire, lang);
    raw = undefined;
  }
  const parsed = readModelRequest(wire, raw);
  return "field" in parsed ? refusalResponse(wire, { code: "bad_request", field: parsed.field }, lang) : parsed;
}

/**
 * One model call through the reference gateway (GATE-1..3): the key, the
 * governor's admission (quota or balance), then the request as the client
 * sent it to the model server of its wire (or translated to the other
 * wire's), and the answer back as the model server sent it, metered on the
 * way. The governor hears how it ended, whatever happened.
 */
export async function modelCall(
  deps: GatewayDeps,
  wire: Wire,
  req: Request,
  govern: Governor,
): Promise<Response | StreamedAnswer> {
  const lang = req.headers.get("accept-language");
  const secret = keyOf(wire, req.headers);
  if (!secret) return refusalResponse(wire, { code: "missing_key" }, lang);
  const keyHash = hashKey(secret);
  // SEC-3: a key we do not know reads none of the body (up to MAX_MODEL_BODY); a known one is a cache hit.
  if (!(await deps.ctx.cache.key(keyHash))) return refusalResponse(wire, { code: "invalid_key" }, lang);
  const parsed = await modelRequestOf(wire, req);
  if (parsed instanceof Response) return parsed;
  const route = routeFor(deps.servers, wire);
  // GATE-2: nothing is spent on a call no model can answer. SEC-4: the demo's local responder answers only on loopback.
  if (!route || (route.target === "local" && !isLoopback(clientIp(req.headers))))
    return noModelServerResponse(wire, lang);
  const facts: CallFacts = {
    keyHash,
    model: parsed.model,
    kind: parsed.image ? "vision" : "prompt",
    toolResultIds: parsed.toolResultIds,
    promptTokens: memo(() => likelyTokens(promptText(parsed.body))),
    promptTokensBound: memo(() => promptTokensBound(parsed.body)),
    maxTokens: parsed.maxTokens,
    caller: callerSignalsOf({
      userAgent: req.headers.get("user-agent"),
      network: networkOf(clientIp(req.headers)),
      agentShaped: parsed.agentShaped,
      identity: identityOf(parsed.body),
    }),
  };
  const admission = await govern(deps, secret, facts);
  if (!admission.ok) return refusalResponse(wire, admission.refusal, lang, admission.requestId);
  try {
    return await forward(deps, wire, req, parsed, route, facts, admission);
  } catch (e) {
    // A failure of ours: the call is over all the same (an end already reached is not repeated).
    await admission.end({
      delivered: false,
      usage: null,
      estimate: () => ({ inputTokens: 0, outputTokens: 0, cachedTokens: 0, cacheWriteTokens: 0 }),
      toolCallIds: [],
    });
    throw e;
  }
}

async function forward(
  deps: GatewayDeps,
  wire: Wire,
  req: Request,
  parsed: ModelRequest,
  route: NonNullable<Route>,
  facts: CallFacts,
  admission: Admission & { ok: true },
) {
  const lang = req.headers.get("accept-language");
  const serverWire = route.target === "local" ? wire : route.target.wire;
  const meter = new AnswerMeter(serverWire);
  const end = (delivered: boolean) =>
    admission.end({
      delivered,
      usage: meter.reported(),
      estimate: () => ({
        inputTokens: facts.promptTokens(),
        outputTokens: Math.ceil(meter.outputChars / 4),
        cachedTokens: 0,
        cacheWriteTokens: 0,
      }),
      toolCallIds: meter.toolCallIds,
    });
  const failed = async (e: unknown) => {
    await end(false);
    if (!(e instanceof ClientGone))
      deps.log(`model call ${admission.requestId} failed before answering: ${e instanceof Error ? e.message : e}`);
    return retryableResponse(wire, lang);
  };
  const { servers } = deps;
  let call: UpstreamCall;
  try {
    call = await sendToModelServer(
      route.target,
      wire,
      outgoingBody(parsed, wire, serverWire, route.translate, servers),
      req.headers,
      req.signal,
      servers,
    );
  } catch (e) {
    return failed(e);
  }
  if (call.status < 200 || call.status >= 300) {
    const text = await readText(call).catch(() => "");
    await end(false);
    // GATE-3: the model server's own trouble is the client's cue to retry; its judgement of the request is passed on.
    if (call.status >= 500)
      return failed(
        new UpstreamError("unreachable", `the model server answered ${call.status}: ${text.slice(0, 300)}`),
      );
    return upstreamErrorResponse(wire, serverWire, call.status, text);
  }
  const headers: Record<string, string> =
    wire === "anthropic" ? { "request-id": anthropicRequestId(admission.requestId) } : {};
  if (!parsed.stream) {
    let answer: Json;
    try {
      const body: unknown = JSON.parse(await readText(call));
      if (!isJsonObject(body)) throw new UpstreamError("cut", "the model server's answer is not a JSON object");
      answer = body;
    } catch (e) {
      return failed(e);
    }
    meter.answer(answer);
    await end(true);
    if (!route.translate) return Response.json(answer, { headers });
    const options = { model: parsed.model, now: await deps.now() };
    return Response.json(wire === "openai" ? toOpenaiResponse(answer, options) : toAnthropicResponse(answer, options), {
      headers,
    });
  }
  const askedUsage = isJsonObject(parsed.body.stream_options) && parsed.body.stream_options.include_usage === true;
  const now = await deps.now();
  const relayed = await relayStream({
    body: call.body,
    meter,
    // Between the same wires the translator passes each event through as the model server framed it.
    render: createStreamTranslator(serverWire, wire, { model: parsed.model, includeUsage: askedUsage, now }),
    dropUsageOnly: wire === "openai" && !route.translate && !askedUsage,
    abort: call.abort,
    errorFrame: () => streamErrorFrame(wire, lang),
    onEnd: async (e) => {
      if (e.error && e.delivered) deps.log(`model call ${admission.requestId} broke off: ${e.error.message}`);
      await end(e.delivered);
    },
  });
  if (!relayed.started) {
    deps.log(`model call ${admission.requestId} failed before answering: ${relayed.error.message}`);
    return retryableResponse(wire, lang);
  }
  const { answer } = relayed;
  return new StreamedAnswer(200, { ...SSE_HEADERS, ...headers }, answer.writeTo, answer.stream);
}

/**
 * The body as the client sent it, with only what the gateway must change:
 * the model name the operator maps, translation when the server speaks the
 * other wire, and (OpenAI, streamed) the usage chunk the gateway reads.
 */
function outgoingBody(
  parsed: ModelRequest,
  wire: Wire,
  serverWire: Wire,
  translate: boolean,
  servers: ModelServers,
): Json {
  const mapped = servers.modelMap.get(parsed.model.toLowerCase());
  let body: Json = mapped ? { ...parsed.body, model: mapped } : parsed.body;
  if (translate) body = wire === "anthropic" ? toOpenaiRequest(body) : toAnthropicRequest(body);
  if (serverWire === "openai" && parsed.stream) {
    const options = isJsonObject(body.stream_options) ? body.stream_options : {};
    body = { ...body, stream_options: { ...options, include_usage: true } };
  }
  return body;
}

function memo<T>(fn: () => T): () => T {
  let value: { v: T } | null = null;
  return () => (value ??= { v: fn() }).v;
}

/** A model server's whole answer as text (the idle timeout between pieces is the client's, upstream.ts). */
async function readText(call: UpstreamCall): Promise<string> {
  const decoder = new TextDecoder();
  let text = "";
  try {
    for await (const piece of call.body) text += decoder.decode(piece, { stream: true });
  } catch (e) {
    throw failureOf(e, null);
  }
  return text + decoder.decode();
}
