import { isJsonObject, sseFrame, type Json, type SseEvent } from "../wire";
import { translateError } from "./errors";
import { anthropicFrame } from "./frames";
import { freshToolCallId, messageId } from "./ids";
import { num, obj, objects, parseJson, str } from "./json-read";
import { toStopReason } from "./stop-reasons";
import type { StreamOptions, StreamTranslator } from "./types";
import { anthropicUsage, fromOpenaiUsage, NO_TOKENS, type Tokens } from "./usage";

type Open = { index: number; kind: "text" | "thinking" | "tool" };

/**
 * OpenAI chat.completion chunks as an Anthropic messages stream. OpenAI streams
 * text, reasoning and tool calls as one delta; Anthropic as content blocks that
 * open and close one after another, so a change of kind closes the open block
 * and starts the next.
 */
export function openaiToAnthropicStream(opts: StreamOptions): StreamTranslator {
  let started = false;
  let done = false;
  let nextIndex = 0;
  let open: Open | undefined;
  // OpenAI's tool-call index -> the Anthropic block that carries that call.
  const tools = new Map<number, { index: number; id: string }>();
  let stopReason: string | undefined;
  let tokens: Tokens = NO_TOKENS;

  const start = (chunkId: unknown): string[] => {
    if (started) return [];
    started = true;
    const message = {
      id: messageId(chunkId),
      type: "message",
      role: "assistant",
      model: opts.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 0, output_tokens: 0 },
    };
    return [anthropicFrame("message_start", { message })];
  };
  const closeOpen = (): string[] => {
    if (!open) return [];
    const frame = anthropicFrame("content_block_stop", { index: open.index });
    open = undefined;
    return [frame];
  };
  const openBlock = (kind: Open["kind"], contentBlock: Json): { index: number; frames: string[] } => {
    const frames = closeOpen();
    const index = nextIndex++;
    open = { index, kind };
    frames.push(anthropicFrame("content_block_start", { index, content_block: contentBlock }));
    return { index, frames };
  };

  const text = (kind: "text" | "thinking", piece: string): string[] => {
    const block =
      open?.kind === kind
        ? { index: open.index, frames: [] }
        : openBlock(
            kind,
            kind === "text" ? { type: "text", text: "" } : { type: "thinking", thinking: "", signature: "" },
          );
    const delta = kind === "text" ? { type: "text_delta", text: piece } : { type: "thinking_delta", thinking: piece };
    return [...block.frames, anthropicFrame("content_block_delta", { index: block.index, delta })];
  };

  const toolCall = (call: Json, position: number): string[] => {
    const key = num(call.index) ?? position;
    const fn = obj(call.function);
    const known = tools.get(key);
    const callId = str(call.id);
    let index: number;
    let frames: string[] = [];
    // The same index with a new id is a new call: some servers number every call 0.
    if (known && (!callId || callId === known.id)) index = known.index;
    else {
      const id = callId || freshToolCallId();
      ({ index, frames } = openBlock("tool", { type: "tool_use", id, name: str(fn.name) ?? "", input: {} }));
      tools.set(key, { index, id });
    }
    const args = str(fn.arguments);
    if (args)
      frames.push(
        anthropicFrame("content_block_delta", { index, delta: { type: "input_json_delta", partial_json: args } }),
      );
    return frames;
  };

  const finish = (): string[] => {
    if (done) return [];
    done = true;
    const delta = { stop_reason: stopReason ?? toStopReason(null, tools.size > 0), stop_sequence: null };
    const u = anthropicUsage(tokens);
    const usage = {
      input_tokens: u.input_tokens,
      output_tokens: u.output_tokens,
      cache_read_input_tokens: u.cache_read_input_tokens,
    };
    return [
      ...start(undefined),
      ...closeOpen(),
      anthropicFrame("message_delta", { delta, usage }),
      anthropicFrame("message_stop"),
    ];
  };

  function onChunk(chunk: Json): string[] {
    if (chunk.error !== undefined) {
      // Like Anthropic's own streams, an error ends the stream: its SDK throws on it.
      done = true;
      return [sseFrame(JSON.stringify(translateError("openai", "anthropic", 0, chunk)), "error")];
    }
    const frames = start(chunk.id);
    if (isJsonObject(chunk.usage)) tokens = fromOpenaiUsage(chunk.usage);
    const choice = objects(chunk.choices).find((c) => (num(c.index) ?? 0) === 0);
    if (!choice) {
      // The usage chunk (choices: []) comes after the finish: the answer is complete.
      return stopReason && isJsonObject(chunk.usage) ? [...frames, ...finish()] : frames;
    }
    const delta = obj(choice.delta);
    const reasoning = str(delta.reasoning_content) || str(delta.reasoning);
    if (reasoning) frames.push(...text("thinking", reasoning));
    const content = str(delta.content);
    if (content) frames.push(...text("text", content));
    objects(delta.tool_calls).forEach((call, i) => frames.push(...toolCall(call, i)));
    if (choice.finish_reason != null) {
      stopReason = toStopReason(choice.finish_reason, tools.size > 0);
      frames.push(...closeOpen());
    }
    return frames;
  }

  return {
    push(ev: SseEvent) {
      if (done) return [];
      if (ev.data.trim() === "[DONE]") return finish();
      const chunk = parseJson(ev.data);
      return isJsonObject(chunk) ? onChunk(chunk) : [];
    },
    // Without a finish (a cut stream) the message still closes, with what is known.
    end: () => finish(),
  };
}
