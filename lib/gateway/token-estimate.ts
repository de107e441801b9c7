import { isJsonObject, type Json } from "./wire";

/**
 * Token counts for when nobody counted: count_tokens, the pay-as-you-go
 * hold, and an answer whose model server reported none.
 */

/** The text a model reads from a request: its system prompt, messages and tool definitions, as JSON. */
export function promptText(body: Json): string {
  return JSON.stringify([body.system ?? null, body.messages ?? null, body.tools ?? null]);
}

/**
 * About four ASCII characters a token, and a token for every other character: CJK text runs near one a character.
 * A likely figure, for reports (an answer whose server reported no usage); it can be below the real count.
 */
export function likelyTokens(text: string): number {
  let ascii = 0;
  let other = 0;
  for (const ch of text) {
    if (ch.charCodeAt(0) < 128) ascii += 1;
    else other += 1;
  }
  return Math.ceil(ascii / 4) + other;
}

/** What an image may cost on top of its text (Anthropic's figure for a large one; the local model's too). */
export const IMAGE_TOKENS_BOUND = 1600;

const isImage = (v: unknown) =>
  isJsonObject(v) && (v.type === "image" || v.type === "image_url" || v.type === "input_image");

/**
 * BILL-1: a prompt size the real count never exceeds, for the pay-as-you-go
 * hold. Every BPE tokenizer (GLM's, tiktoken's, Claude's) starts from bytes
 * and only merges them, so a text never has more tokens than UTF-8 bytes;
 * CJK text is three bytes a character, where likelyTokens counts one. The
 * prompt is measured as JSON, whose quotes, keys and brackets stand for the
 * chat template's role and separator tokens. An image is read from its
 * pixels, not its text (a URL is a few bytes), so each adds its own bound.
 * No JavaScript tokenizer is kept for the GLM models, and one for another
 * family would count differently, so bytes are the bound that holds for all.
 */
export function promptTokensBound(body: Json): number {
  let images = 0;
  const text = JSON.stringify(
    [body.system ?? null, body.messages ?? null, body.tools ?? null],
    (_key, value: unknown) => {
      if (isImage(value)) images++;
      return value;
    },
  );
  return Buffer.byteLength(text, "utf8") + images * IMAGE_TOKENS_BOUND;
}
