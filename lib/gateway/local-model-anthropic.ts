import type { LocalReply } from "./local-model-reply";
import { jsonPieces, wordPieces } from "./local-model-stream";
import { sseFrame, type Json } from "./wire";

/**
 * The local model's reply in Anthropic's messages shape (POST /v1/messages):
 * the message object, or the event sequence Anthropic streams, which the
 * official SDK accumulates back into the same message.
 */

const STOP = { end: "end_turn", tool: "tool_use", length: "max_tokens" } as const;

function usage(reply: LocalReply, outputTokens = reply.outputTokens): Json {
  return {
    input_tokens: reply.inputTokens,
    output_tokens: outputTokens,
    cache_read_input_tokens: 0,
    cache_creation_input_tokens: 0,
  };
}

export function anthropicMessage(reply: LocalReply, model: string): Json {
  const content: Json[] = [];
  if (reply.text) content.push({ type: "text", text: reply.text });
  if (reply.toolCall)
    content.push({ type: "tool_use", id: reply.toolCall.id, name: reply.toolCall.name, input: reply.toolCall.input });
  return {
    id: reply.id,
    type: "message",
    role: "assistant",
    model,
    content,
    stop_reason: STOP[reply.stop],
    stop_sequence: null,
    usage: usage(reply),
  };
}

export function anthropicEvents(reply: LocalReply, model: string): string[] {
  const event = (type: string, data: Json) => sseFrame(JSON.stringify({ type, ...data }), type);
  const message = anthropicMessage(reply, model);
  // The message opens empty with a provisional output count, as Anthropic's does; message_delta carries the final one.
  const frames = [
    event("message_start", { message: { ...message, content: [], stop_reason: null, usage: usage(reply, 1) } }),
  ];
  let index = 0;
  if (reply.text) {
    frames.push(event("content_block_start", { index, content_block: { type: "text", text: "" } }), event("ping", {}));
    for (const text of wordPieces(reply.text))
      frames.push(event("content_block_delta", { index, delta: { type: "text_delta", text } }));
    frames.push(event("content_block_stop", { index }));
    index++;
  }
  if (reply.toolCall) {
    const { id, name, input } = reply.toolCall;
    frames.push(event("content_block_start", { index, content_block: { type: "tool_use", id, name, input: {} } }));
    // Anthropic's first input_json_delta is empty; clients must cope, so the local model does it too.
    for (const partial_json of ["", ...jsonPieces(JSON.stringify(input))])
      frames.push(event("content_block_delta", { index, delta: { type: "input_json_delta", partial_json } }));
    frames.push(event("content_block_stop", { index }));
  }
  frames.push(
    event("message_delta", { delta: { stop_reason: STOP[reply.stop], stop_sequence: null }, usage: usage(reply) }),
    event("message_stop", {}),
  );
  return frames;
}
