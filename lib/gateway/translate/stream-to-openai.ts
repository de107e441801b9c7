import type { Json, SseEvent } from "../wire";
import { translateError } from "./errors";
import { OPENAI_DONE, openaiFrame } from "./frames";
import { chatCompletionId, epochSeconds, freshToolCallId } from "./ids";
import { num, obj, parseJson, str } from "./json-read";
import { toFinishReason } from "./stop-reasons";
import type { StreamOptions, StreamTranslator } from "./types";
import { fromAnthropicUsage, NO_TOKENS, openaiUsage, type Tokens } from "./usage";

/**
 * An Anthropic messages stream as OpenAI chat.completion chunks. Tool calls are
 * numbered from 0 in the order their blocks start, whatever their block index;
 * thinking goes out as `reasoning_content` deltas.
 */
export function anthropicToOpenaiStream(opts: StreamOptions): StreamTranslator {
  const created = epochSeconds(opts.now);
  let id = chatCompletionId(undefined);
  let started = false;
  let finished = false;
  let done = false;
  let tokens: Tokens = NO_TOKENS;
  const toolOfBlock = new Map<number, number>();

  const chunk = (delta: Json, finishReason: string | null = null) =>
    openaiFrame({
      id,
      object: "chat.completion.chunk",
      created,
      model: opts.model,
      choices: [{ index: 0, delta, finish_reason: finishReason }],
    });
  // Every OpenAI stream opens with the role, whatever Anthropic sent first.
  const start = (): string[] => {
    if (started) return [];
    started = true;
    return [chunk({ role: "assistant", content: "" })];
  };
  const send = (delta: Json) => [...start(), chunk(delta)];
  const finish = (reason: string): string[] => {
    if (finished) return [];
    finished = true;
    return [...start(), chunk({}, reason)];
  };
  const close = (): string[] => {
    done = true;
    const out = finish(toFinishReason(undefined));
    if (opts.includeUsage)
      out.push(
        openaiFrame({
          id,
          object: "chat.completion.chunk",
          created,
          model: opts.model,
          choices: [],
          usage: openaiUsage(tokens),
        }),
      );
    out.push(OPENAI_DONE);
    return out;
  };

  function onEvent(type: string | undefined, data: Json): string[] {
    switch (type) {
      case "message_start": {
        const message = obj(data.message);
        if (!started) id = chatCompletionId(message.id);
        tokens = fromAnthropicUsage(message.usage, tokens);
        return start();
      }
      case "content_block_start": {
        const block = obj(data.content_block);
        if (block.type === "tool_use") {
          const index = toolOfBlock.size;
          toolOfBlock.set(num(data.index) ?? index, index);
          return send({
            tool_calls: [
              {
                index,
                id: str(block.id) ?? freshToolCallId(),
                type: "function",
                function: { name: str(block.name) ?? "", arguments: "" },
              },
            ],
          });
        }
        return block.type === "text" && str(block.text) ? send({ content: block.text }) : [];
      }
      case "content_block_delta": {
        const delta = obj(data.delta);
        const tool = toolOfBlock.get(num(data.index) ?? -1);
        if (delta.type === "text_delta" && str(delta.text)) return send({ content: delta.text });
        if (delta.type === "input_json_delta" && str(delta.partial_json) && tool !== undefined) {
          return send({ tool_calls: [{ index: tool, function: { arguments: delta.partial_json } }] });
        }
        if (delta.type === "thinking_delta" && str(delta.thinking)) return send({ reasoning_content: delta.thinking });
        return []; // signature and citation deltas have no OpenAI counterpart
      }
      case "message_delta": {
        tokens = fromAnthropicUsage(data.usage, tokens);
        const reason = obj(data.delta).stop_reason;
        return reason == null ? [] : finish(toFinishReason(reason));
      }
      case "message_stop":
        return close();
      case "error":
        done = true;
        return [openaiFrame(translateError("anthropic", "openai", 0, data)), OPENAI_DONE];
      default:
        return []; // ping, content_block_stop, and event types newer than this translation
    }
  }

  return {
    push(ev: SseEvent) {
      if (done) return [];
      const data = obj(parseJson(ev.data));
      return onEvent(str(data.type) ?? ev.event, data);
    },
    // A stream cut before message_stop still ends as OpenAI clients expect.
    end: () => (done ? [] : close()),
  };
}
