import type { LocalReply } from "./local-model-reply";
import { jsonPieces, wordPieces } from "./local-model-stream";
import { sseFrame, type Json } from "./wire";

/**
 * The local model's reply in OpenAI's chat-completions shape (POST
 * /chat/completions): a `chat.completion`, or the `chat.completion.chunk`
 * stream ending in `[DONE]`, which the official SDK accumulates back into the
 * same completion.
 */

const FINISH = { end: "stop", tool: "tool_calls", length: "length" } as const;

function usage(reply: LocalReply): Json {
  return {
    prompt_tokens: reply.inputTokens,
    completion_tokens: reply.outputTokens,
    total_tokens: reply.inputTokens + reply.outputTokens,
    prompt_tokens_details: { cached_tokens: 0 },
  };
}

export function openaiCompletion(reply: LocalReply, model: string, created: number): Json {
  const { toolCall } = reply;
  const message: Json = { role: "assistant", content: reply.text || null, refusal: null };
  if (toolCall)
    message.tool_calls = [
      {
        id: toolCall.id,
        type: "function",
        function: { name: toolCall.name, arguments: JSON.stringify(toolCall.input) },
      },
    ];
  return {
    id: reply.id,
    object: "chat.completion",
    created,
    model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: FINISH[reply.stop] }],
    usage: usage(reply),
  };
}

export function openaiChunks(reply: LocalReply, model: string, created: number, includeUsage: boolean): string[] {
  // With include_usage, OpenAI sends `usage: null` on every chunk before the usage chunk.
  const chunk = (delta: Json, finish: string | null = null) =>
    sseFrame(
      JSON.stringify({
        id: reply.id,
        object: "chat.completion.chunk",
        created,
        model,
        choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
        ...(includeUsage ? { usage: null } : {}),
      }),
    );
  const frames = [chunk({ role: "assistant", content: "", refusal: null })];
  for (const content of wordPieces(reply.text)) frames.push(chunk({ content }));
  if (reply.toolCall) {
    const { id, name, input } = reply.toolCall;
    frames.push(chunk({ tool_calls: [{ index: 0, id, type: "function", function: { name, arguments: "" } }] }));
    for (const args of jsonPieces(JSON.stringify(input)))
      frames.push(chunk({ tool_calls: [{ index: 0, function: { arguments: args } }] }));
  }
  frames.push(chunk({}, FINISH[reply.stop]));
  if (includeUsage)
    frames.push(
      sseFrame(
        JSON.stringify({
          id: reply.id,
          object: "chat.completion.chunk",
          created,
          model,
          choices: [],
          usage: usage(reply),
        }),
      ),
    );
  frames.push(sseFrame("[DONE]"));
  return frames;
}
