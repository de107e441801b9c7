import type { Json } from "../../lib/gateway/wire";
import { argumentPieces, textPieces, type Scripted } from "./model-server-answer";

/**
 * Anthropic's POST /v1/messages answers, written out by hand from Anthropic's
 * documentation (not from the product's code, so that the tests do not check
 * the gateway against itself).
 */

const stopReason = (a: Scripted) => (a.toolCall ? "tool_use" : "end_turn");

function usage(a: Scripted, output: number): Json {
  return {
    input_tokens: a.usage.input,
    cache_creation_input_tokens: a.usage.cacheCreation,
    cache_read_input_tokens: a.usage.cacheRead,
    output_tokens: output,
  };
}

export function anthropicMessage(a: Scripted): Json {
  const content: Json[] = [];
  if (a.text) content.push({ type: "text", text: a.text });
  if (a.toolCall) content.push({ type: "tool_use", ...a.toolCall });
  return {
    id: a.id,
    type: "message",
    role: "assistant",
    model: a.model,
    content,
    stop_reason: stopReason(a),
    stop_sequence: null,
    usage: usage(a, a.usage.output),
  };
}

/**
 * The event stream: message_start, then per block content_block_start,
 * (a ping after the first), deltas and content_block_stop, then message_delta
 * and message_stop. Each string is one whole event.
 */
export function anthropicEvents(a: Scripted): string[] {
  const out: string[] = [];
  const send = (type: string, data: Json) => out.push(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  send("message_start", {
    message: {
      id: a.id,
      type: "message",
      role: "assistant",
      model: a.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: usage(a, 1),
    },
  });
  let index = 0;
  if (a.text) {
    send("content_block_start", { index, content_block: { type: "text", text: "" } });
    send("ping", {});
    for (const text of textPieces(a.text)) send("content_block_delta", { index, delta: { type: "text_delta", text } });
    send("content_block_stop", { index });
    index += 1;
  }
  if (a.toolCall) {
    send("content_block_start", {
      index,
      content_block: { type: "tool_use", id: a.toolCall.id, name: a.toolCall.name, input: {} },
    });
    if (index === 0) send("ping", {});
    for (const partial_json of ["", ...argumentPieces(a.toolCall.input)])
      send("content_block_delta", { index, delta: { type: "input_json_delta", partial_json } });
    send("content_block_stop", { index });
  }
  send("message_delta", {
    delta: { stop_reason: stopReason(a), stop_sequence: null },
    usage: usage(a, a.usage.output),
  });
  send("message_stop", {});
  return out;
}

const ERROR_TYPES: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  403: "permission_error",
  404: "not_found_error",
  413: "request_too_large",
  429: "rate_limit_error",
  500: "api_error",
  529: "overloaded_error",
};

export function anthropicError(status: number, requestId: string): Json {
  const type = ERROR_TYPES[status] ?? (status >= 500 ? "api_error" : "invalid_request_error");
  return { type: "error", error: { type, message: `scripted ${status} (${type})` }, request_id: requestId };
}
