import type { Json } from "../wire";
import { defined, num } from "./json-read";
import { toAnthropicMessages } from "./openai-messages-to-anthropic";
import { toAnthropicToolChoice, toAnthropicTools } from "./tools";

/** Anthropic requires max_tokens; OpenAI clients often leave it to the server. */
const DEFAULT_MAX_TOKENS = 8192;

/**
 * An OpenAI /chat/completions body as an Anthropic /v1/messages body.
 * OpenAI-only settings (n, seed, penalties, logprobs, response_format,
 * reasoning_effort, stream_options, …) have no Anthropic counterpart and are left out.
 */
export function toAnthropicRequest(openai: Json): Json {
  const { system, messages } = toAnthropicMessages(openai.messages);
  const tools = toAnthropicTools(openai.tools);
  const stop = (typeof openai.stop === "string" ? [openai.stop] : Array.isArray(openai.stop) ? openai.stop : [])
    // Anthropic refuses stop sequences made of whitespace only.
    .filter((s): s is string => typeof s === "string" && s.trim() !== "");
  const temperature = num(openai.temperature);
  return defined({
    model: openai.model,
    max_tokens: num(openai.max_completion_tokens) ?? num(openai.max_tokens) ?? DEFAULT_MAX_TOKENS,
    system: system || undefined,
    messages,
    stop_sequences: stop.length ? stop : undefined,
    // OpenAI's scale runs to 2, Anthropic's to 1.
    temperature: temperature === undefined ? undefined : Math.min(temperature, 1),
    top_p: num(openai.top_p),
    stream: typeof openai.stream === "boolean" ? openai.stream : undefined,
    tools: tools.length ? tools : undefined,
    tool_choice: tools.length ? toAnthropicToolChoice(openai.tool_choice, openai.parallel_tool_calls) : undefined,
    metadata: typeof openai.user === "string" ? { user_id: openai.user } : undefined,
  });
}
