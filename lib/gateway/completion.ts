import type { CallerSignals } from "../policy/signals";

/**
 * What the reference gateway gets back from a model, whatever answered it:
 * the text as it arrives, then the token counts. The wire formats (OpenAI,
 * Anthropic) are rendered from this in openai-wire.ts and anthropic-wire.ts.
 */
export type TokenUsage = { inputTokens: number; outputTokens: number; cachedTokens: number };

export type Completion = {
  deltas: AsyncIterable<string>;
  /** Settles once the deltas are exhausted. */
  usage: () => Promise<TokenUsage>;
};

/**
 * A chat as the gateway passes it on: plain-text turns (images and tool parts
 * are counted, not interpreted). `caller` is what the usage policy records
 * about who sent it; it is never forwarded.
 */
export type Chat = { model: string; system: string; messages: { role: string; text: string }[]; maxTokens: number | null; caller?: CallerSignals };

/** A rough count for when nobody counted: about four characters a token, as the providers' own estimates go. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export function chatText(chat: Chat): string {
  return [chat.system, ...chat.messages.map((m) => m.text)].join("\n");
}
