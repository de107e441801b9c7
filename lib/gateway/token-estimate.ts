import type { Json } from "./wire";

/**
 * Token counts for when nobody counted: count_tokens, the pay-as-you-go
 * hold, and an answer whose model server reported none.
 */

/** The text a model reads from a request: its system prompt, messages and tool definitions, as JSON. */
export function promptText(body: Json): string {
  return JSON.stringify([body.system ?? null, body.messages ?? null, body.tools ?? null]);
}

/** About four ASCII characters a token, and a token for every other character: CJK text runs near one a character. */
export function likelyTokens(text: string): number {
  let ascii = 0;
  let other = 0;
  for (const ch of text) {
    if (ch.charCodeAt(0) < 128) ascii += 1;
    else other += 1;
  }
  return Math.ceil(ascii / 4) + other;
}
