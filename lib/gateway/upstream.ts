import { chatText, estimateTokens, type Chat, type Completion, type TokenUsage } from "./completion";

export class UpstreamError extends Error {}

/**
 * Forwards a chat to the configured OpenAI-compatible model server, streamed,
 * and reads the text and the token counts it reports (asked for with
 * stream_options.include_usage). A server that reports none is estimated.
 */
export async function upstreamCompletion(baseUrl: string, apiKey: string | undefined, chat: Chat, signal: AbortSignal): Promise<Completion> {
  const messages = [...(chat.system ? [{ role: "system", content: chat.system }] : []), ...chat.messages.map((m) => ({ role: m.role, content: m.text }))];
  const res = await fetch(`${baseUrl.replace(/\/$/, "")}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
    body: JSON.stringify({ model: chat.model, messages, stream: true, stream_options: { include_usage: true }, ...(chat.maxTokens ? { max_tokens: chat.maxTokens } : {}) }),
    signal,
  }).catch((e: unknown) => {
    // Refused, reset or unreachable: the model server's failure, not ours.
    throw new UpstreamError(`upstream unreachable: ${e instanceof Error ? e.message : e}`);
  });
  if (!res.ok || !res.body) throw new UpstreamError(`upstream answered ${res.status}`);
  let usage: TokenUsage | null = null;
  let text = "";
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  const body = res.body;
  async function* deltas() {
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let cut;
        while ((cut = buffer.indexOf("\n")) >= 0) {
          const line = buffer.slice(0, cut).trim();
          buffer = buffer.slice(cut + 1);
          if (!line.startsWith("data:")) continue;
          const data = line.slice(5).trim();
          if (data === "[DONE]") continue;
          const event = JSON.parse(data);
          if (event.usage) {
            usage = {
              inputTokens: event.usage.prompt_tokens ?? 0,
              outputTokens: event.usage.completion_tokens ?? 0,
              cachedTokens: event.usage.prompt_tokens_details?.cached_tokens ?? 0,
            };
          }
          const piece = event.choices?.[0]?.delta?.content;
          if (typeof piece === "string" && piece) {
            text += piece;
            yield piece;
          }
        }
      }
    } finally {
      done();
    }
  }
  return {
    deltas: deltas(),
    usage: async () => {
      await finished;
      return usage ?? { inputTokens: estimateTokens(chatText(chat)), outputTokens: estimateTokens(text), cachedTokens: 0 };
    },
  };
}
