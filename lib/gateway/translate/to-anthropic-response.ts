import type { Json } from "../wire";
import { messageId } from "./ids";
import { obj, objects, str } from "./json-read";
import { toAnthropicMessages } from "./openai-messages-to-anthropic";
import { toStopReason } from "./stop-reasons";
import type { AnswerOptions } from "./types";
import { anthropicUsage, fromOpenaiUsage } from "./usage";

/**
 * An OpenAI chat.completion as an Anthropic message. Reasoning text (as
 * `reasoning_content` or `reasoning`) becomes a thinking block with an empty
 * signature: no Anthropic server signed it, and it only ever goes back
 * through this translation, which drops it.
 */
export function toAnthropicResponse(openaiCompletion: Json, opts: Pick<AnswerOptions, "model"> = {}): Json {
  const choice = objects(openaiCompletion.choices)[0] ?? {};
  const m = obj(choice.message);
  const reasoning = str(m.reasoning_content) ?? str(m.reasoning);
  // The message's text and tool calls read as the assistant turn of a request would.
  const turn = objects(
    toAnthropicMessages([{ ...m, role: "assistant", content: m.content ?? m.refusal ?? "" }]).messages,
  )[0];
  const content = [
    ...(reasoning ? [{ type: "thinking", thinking: reasoning, signature: "" }] : []),
    ...objects(turn?.content),
  ];
  const hadToolCalls = content.some((b) => b.type === "tool_use");
  return {
    id: messageId(openaiCompletion.id),
    type: "message",
    role: "assistant",
    model: opts.model ?? str(openaiCompletion.model) ?? "",
    content,
    stop_reason: toStopReason(choice.finish_reason, hadToolCalls),
    stop_sequence: null,
    usage: anthropicUsage(fromOpenaiUsage(openaiCompletion.usage)),
  };
}
