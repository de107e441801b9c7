import type { Json } from "../wire";
import { chatCompletionId, epochSeconds } from "./ids";
import { objects, str } from "./json-read";
import { toFinishReason } from "./stop-reasons";
import type { AnswerOptions } from "./types";
import { fromAnthropicUsage, openaiUsage } from "./usage";

/**
 * An Anthropic message as an OpenAI chat.completion. Thinking goes to
 * `reasoning_content`, the field OpenAI-compatible reasoning servers use;
 * server-tool blocks have no OpenAI counterpart.
 */
export function toOpenaiResponse(anthropicMessage: Json, opts: AnswerOptions = {}): Json {
  const blocks = objects(anthropicMessage.content);
  const text = blocks.flatMap((b) => (b.type === "text" && typeof b.text === "string" ? [b.text] : []));
  const thinking = blocks.flatMap((b) => (b.type === "thinking" && typeof b.thinking === "string" ? [b.thinking] : []));
  const calls = blocks
    .filter((b) => b.type === "tool_use")
    .map((b) => ({
      id: str(b.id) ?? "",
      type: "function",
      function: { name: str(b.name) ?? "", arguments: JSON.stringify(b.input ?? {}) },
    }));
  const message: Json = { role: "assistant", content: text.length ? text.join("") : null, refusal: null };
  if (thinking.length) message.reasoning_content = thinking.join("");
  if (calls.length) message.tool_calls = calls;
  return {
    id: chatCompletionId(anthropicMessage.id),
    object: "chat.completion",
    created: epochSeconds(opts.now),
    model: opts.model ?? str(anthropicMessage.model) ?? "",
    choices: [{ index: 0, message, logprobs: null, finish_reason: toFinishReason(anthropicMessage.stop_reason) }],
    usage: openaiUsage(fromAnthropicUsage(anthropicMessage.usage)),
  };
}
