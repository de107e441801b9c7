import { z } from "zod";
import { signalsOf } from "../policy/signals";
import { langOf, refusalMessage, wireCode, type Refusal } from "../quota";
import type { Chat } from "./completion";
import { governedCall, type GatewayDeps, type Governed } from "./call";
import { collect, sseBody, SSE_HEADERS } from "./sse";

/** The OpenAI chat-completions shape of POST /api/coding/paas/v4/chat/completions (COMPAT.md). */

const part = z.object({ type: z.string(), text: z.string().optional() }).passthrough();
const body = z.object({
  model: z.string().trim().min(1).max(100),
  messages: z.array(z.object({ role: z.string(), content: z.union([z.string(), z.array(part), z.null()]).optional() }).passthrough()).min(1),
  stream: z.boolean().optional(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).passthrough().nullish(),
  max_tokens: z.number().int().positive().nullish(),
  max_completion_tokens: z.number().int().positive().nullish(),
}).passthrough();

export function openaiError(r: Refusal, acceptLanguage: string | null): Response {
  const { code, status } = wireCode(r);
  return Response.json({ error: { code, message: refusalMessage(r, langOf(acceptLanguage)) } }, { status });
}

function textOf(content: z.infer<typeof body>["messages"][number]["content"]): { text: string; image: boolean } {
  if (typeof content === "string") return { text: content, image: false };
  if (!content) return { text: "", image: false };
  return { text: content.map((p) => p.text ?? "").join(""), image: content.some((p) => p.type === "image_url") };
}

export function bearer(header: string | null): string | null {
  const m = header ? /^Bearer\s+(.+)$/i.exec(header.trim()) : null;
  return m ? m[1].trim() : null;
}

type Govern = (deps: GatewayDeps, secret: string | null, chat: Chat, kind: "prompt" | "vision", signal: AbortSignal) => Promise<Governed>;

/** A chat completion, governed by the coding plan's quota (the default) or by the pay-as-you-go balance (payg-call.ts). */
export async function openaiChat(deps: GatewayDeps, req: Request, govern: Govern = governedCall): Promise<Response> {
  const lang = req.headers.get("accept-language");
  const parsed = body.safeParse(await req.json().catch(() => undefined));
  if (!parsed.success) return openaiError({ code: "bad_request", field: parsed.error.issues[0].path.join(".") || "body" }, lang);
  const input = parsed.data;
  let image = false;
  const chat: Chat = { model: input.model, system: "", messages: [], maxTokens: input.max_completion_tokens ?? input.max_tokens ?? null };
  for (const m of input.messages) {
    const t = textOf(m.content);
    image ||= t.image;
    if (m.role === "system" || m.role === "developer") chat.system += t.text;
    else chat.messages.push({ role: m.role, text: t.text });
  }
  chat.caller = signalsOf(req.headers, input as { tools?: unknown }, chat.system);
  const call = await govern(deps, bearer(req.headers.get("authorization")), chat, image ? "vision" : "prompt", req.signal);
  if (!call.ok) return openaiError(call.refusal, lang);
  const id = `chatcmpl-${call.requestId}`;
  const created = Math.floor((await deps.now()).getTime() / 1000);
  const usageOf = async () => {
    const u = await call.completion.usage();
    return { prompt_tokens: u.inputTokens, completion_tokens: u.outputTokens, total_tokens: u.inputTokens + u.outputTokens, prompt_tokens_details: { cached_tokens: u.cachedTokens } };
  };
  if (!input.stream) {
    const text = await collect(call.completion);
    const usage = await usageOf();
    await call.finish();
    return Response.json({
      id,
      object: "chat.completion",
      created,
      model: input.model,
      choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" }],
      usage,
    });
  }
  const chunk = (delta: object, finish: string | null) =>
    `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model: input.model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  const stream = sseBody(call.completion, call.finish, {
    start: () => [chunk({ role: "assistant", content: "" }, null)],
    delta: (text) => [chunk({ content: text }, null)],
    end: async () => {
      const out = [chunk({}, "stop")];
      if (input.stream_options?.include_usage) {
        out.push(`data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model: input.model, choices: [], usage: await usageOf() })}\n\n`);
      }
      out.push("data: [DONE]\n\n");
      return out;
    },
  });
  return new Response(stream, { headers: SSE_HEADERS });
}
