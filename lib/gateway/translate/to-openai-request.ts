import type { Json } from "../wire";
import { defined, num, obj, str } from "./json-read";
import { toOpenaiMessages } from "./anthropic-messages-to-openai";
import { toOpenaiToolChoice, toOpenaiTools } from "./tools";

/**
 * An Anthropic /v1/messages body as an OpenAI /chat/completions body.
 * Anthropic-only settings (thinking, context_management, output_config, top_k,
 * cache_control, service_tier, …) have no OpenAI counterpart and are left out.
 */
export function toOpenaiRequest(anthropic: Json): Json {
  const tools = toOpenaiTools(anthropic.tools);
  const stop = Array.isArray(anthropic.stop_sequences)
    ? anthropic.stop_sequences.filter((s) => typeof s === "string")
    : [];
  const stream = typeof anthropic.stream === "boolean" ? anthropic.stream : undefined;
  return defined({
    model: anthropic.model,
    messages: toOpenaiMessages(anthropic.system, anthropic.messages),
    max_tokens: num(anthropic.max_tokens),
    stop: stop.length ? stop : undefined,
    temperature: num(anthropic.temperature),
    top_p: num(anthropic.top_p),
    stream,
    // The gateway reads the token counts from the stream's last chunk.
    stream_options: stream ? { include_usage: true } : undefined,
    tools: tools.length ? tools : undefined,
    ...(tools.length ? toOpenaiToolChoice(anthropic.tool_choice) : {}),
    user: str(obj(anthropic.metadata).user_id),
  });
}
