import { randomUUID } from "node:crypto";
import { z } from "zod";
import { signalsOf } from "../policy/signals";
import { authorize, langOf, refusalMessage, wireCode, type Refusal } from "../quota";
import { chatText, estimateTokens, type Chat } from "./completion";
import { governedCall, type GatewayDeps } from "./call";
import { bearer } from "./openai-wire";
import { collect, sseBody, SSE_HEADERS } from "./sse";

/** The Anthropic messages shape of POST /api/anthropic/v1/messages (COMPAT.md). */

const block = z.object({ type: z.string(), text: z.string().optional() }).passthrough();
const content = z.union([z.string(), z.array(block)]);
const body = z.object({
  model: z.string().trim().min(1).max(100),
  max_tokens: z.number().int().positive().optional(),
  system: content.optional(),
  messages: z.array(z.object({ role: z.enum(["user", "assistant"]), content }).passthrough()).min(1),
  stream: z.boolean().optional(),
}).passthrough();

export function anthropicError(r: Refusal, acceptLanguage: string | null, requestId = `req_${randomUUID().replace(/-/g, "")}`): Response {
  const { code, status } = wireCode(r);
  return Response.json({ type: "error", error: { type: code, message: refusalMessage(r, langOf(acceptLanguage)) }, request_id: requestId }, { status, headers: { "request-id": requestId } });
}

function textOf(c: z.infer<typeof content>): { text: string; image: boolean } {
  if (typeof c === "string") return { text: c, image: false };
  return { text: c.map((b) => b.text ?? "").join(""), image: c.some((b) => b.type === "image") };
}

/** `x-api-key`, as Anthropic's clients send it, or `Authorization: Bearer`. */
export function anthropicKey(req: Request): string | null {
  return req.headers.get("x-api-key")?.trim() || bearer(req.headers.get("authorization"));
}

type Parsed = { chat: Chat; image: boolean; stream: boolean } | { error: Response };

function parse(raw: unknown, lang: string | null, headers: Headers): Parsed {
  const parsed = body.safeParse(raw);
  if (!parsed.success) return { error: anthropicError({ code: "bad_request", field: parsed.error.issues[0].path.join(".") || "body" }, lang) };
  const input = parsed.data;
  let image = false;
  const chat: Chat = { model: input.model, system: input.system ? textOf(input.system).text : "", messages: [], maxTokens: input.max_tokens ?? null };
  for (const m of input.messages) {
    const t = textOf(m.content);
    image ||= t.image;
    chat.messages.push({ role: m.role, text: t.text });
  }
  chat.caller = signalsOf(headers, input as { tools?: unknown }, chat.system);
  return { chat, image, stream: input.stream === true };
}

export async function anthropicMessages(deps: GatewayDeps, req: Request): Promise<Response> {
  const lang = req.headers.get("accept-language");
  const p = parse(await req.json().catch(() => undefined), lang, req.headers);
  if ("error" in p) return p.error;
  const call = await governedCall(deps, anthropicKey(req), p.chat, p.image ? "vision" : "prompt", req.signal);
  const requestId = `req_${call.requestId.replace(/-/g, "")}`;
  if (!call.ok) return anthropicError(call.refusal, lang, requestId);
  const id = `msg_${call.requestId.replace(/-/g, "")}`;
  const headers = { "request-id": requestId };
  if (!p.stream) {
    const text = await collect(call.completion);
    const u = await call.completion.usage();
    await call.finish();
    return Response.json(
      {
        id,
        type: "message",
        role: "assistant",
        model: p.chat.model,
        content: [{ type: "text", text }],
        stop_reason: "end_turn",
        stop_sequence: null,
        usage: { input_tokens: u.inputTokens, output_tokens: u.outputTokens, cache_read_input_tokens: u.cachedTokens, cache_creation_input_tokens: 0 },
      },
      { headers },
    );
  }
  const event = (type: string, data: object) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  const stream = sseBody(call.completion, call.finish, {
    start: () => [
      event("message_start", {
        message: {
          id, type: "message", role: "assistant", model: p.chat.model, content: [], stop_reason: null, stop_sequence: null,
          usage: { input_tokens: estimateTokens(chatText(p.chat)), output_tokens: 0 },
        },
      }),
      event("content_block_start", { index: 0, content_block: { type: "text", text: "" } }),
    ],
    delta: (text) => [event("content_block_delta", { index: 0, delta: { type: "text_delta", text } })],
    end: async () => {
      const u = await call.completion.usage();
      return [
        event("content_block_stop", { index: 0 }),
        event("message_delta", { delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: u.outputTokens } }),
        event("message_stop", {}),
      ];
    },
  });
  return new Response(stream, { headers: { ...SSE_HEADERS, ...headers } });
}

/** POST /api/anthropic/v1/messages/count_tokens: an estimate for a key with a plan; spends no quota. */
export async function anthropicCountTokens(deps: GatewayDeps, req: Request): Promise<Response> {
  const lang = req.headers.get("accept-language");
  const secret = anthropicKey(req);
  if (!secret) return anthropicError({ code: "missing_key" }, lang);
  const who = await authorize(deps.ctx, secret);
  if ("refusal" in who) return anthropicError(who.refusal, lang);
  const p = parse(await req.json().catch(() => undefined), lang, req.headers);
  if ("error" in p) return p.error;
  return Response.json({ input_tokens: estimateTokens(chatText(p.chat)) });
}
