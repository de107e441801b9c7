import type { Json } from "../../lib/gateway/wire";
import { argumentPieces, textPieces, type Scripted } from "./model-server-answer";

/**
 * OpenAI's POST /chat/completions answers, written out by hand from OpenAI's
 * API reference (not from the product's code).
 */

const CREATED = 1_767_225_600; // a fixed timestamp: nothing reads it but the shape needs one

const finishReason = (a: Scripted) => (a.toolCall ? "tool_calls" : "stop");

function usage(a: Scripted): Json {
  const prompt = a.usage.input + a.usage.cacheRead + a.usage.cacheCreation;
  return {
    prompt_tokens: prompt,
    completion_tokens: a.usage.output,
    total_tokens: prompt + a.usage.output,
    prompt_tokens_details: { cached_tokens: a.usage.cacheRead },
  };
}

export function openaiCompletion(a: Scripted): Json {
  const message: Json = { role: "assistant", content: a.text || null, refusal: null };
  if (a.toolCall)
    message.tool_calls = [
      {
        id: a.toolCall.id,
        type: "function",
        function: { name: a.toolCall.name, arguments: JSON.stringify(a.toolCall.input) },
      },
    ];
  return {
    id: a.id,
    object: "chat.completion",
    created: CREATED,
    model: a.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason(a) }],
    usage: usage(a),
  };
}

/**
 * The chunk stream: a role chunk, content pieces, the tool call (id and name
 * first, then its arguments in pieces), a finish chunk, the usage chunk with
 * `choices: []` only when stream_options.include_usage asked for it, then
 * `[DONE]`. Each string is one whole event.
 */
export function openaiChunks(a: Scripted, includeUsage: boolean): string[] {
  const out: string[] = [];
  const chunk = (choices: Json[], extra: Json = includeUsage ? { usage: null } : {}) =>
    out.push(
      `data: ${JSON.stringify({ id: a.id, object: "chat.completion.chunk", created: CREATED, model: a.model, choices, ...extra })}\n\n`,
    );
  const delta = (d: Json, finish_reason: string | null = null) =>
    chunk([{ index: 0, delta: d, logprobs: null, finish_reason }]);
  delta({ role: "assistant", content: "" });
  for (const content of textPieces(a.text)) delta({ content });
  if (a.toolCall) {
    delta({
      tool_calls: [
        { index: 0, id: a.toolCall.id, type: "function", function: { name: a.toolCall.name, arguments: "" } },
      ],
    });
    for (const args of argumentPieces(a.toolCall.input))
      delta({ tool_calls: [{ index: 0, function: { arguments: args } }] });
  }
  delta({}, finishReason(a));
  if (includeUsage) chunk([], { usage: usage(a) });
  out.push("data: [DONE]\n\n");
  return out;
}

export function openaiError(status: number): Json {
  const type = status === 429 ? "rate_limit_error" : status >= 500 ? "server_error" : "invalid_request_error";
  return { error: { message: `scripted ${status} (${type})`, type, param: null, code: null } };
}
