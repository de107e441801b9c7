import { isJsonObject } from "./wire";

/**
 * The local model's token counts. They stand in for a real tokenizer's, and
 * a hold or a quota figure built on them must never come out below the real
 * count (PRODUCT.md, BILL-1): a token is at least one character and a CJK
 * character is three UTF-8 bytes, so bytes ÷ 3 over-counts English and is
 * about one token a character for CJK, where characters ÷ 4 would under-count.
 */
export function tokensOf(text: string): number {
  return Math.ceil(new TextEncoder().encode(text).length / 3);
}

/** Anthropic's figure for a large image (about 1.15 megapixels ÷ 750); smaller images cost less. */
const IMAGE_TOKENS = 1600;

/**
 * The prompt's size: everything the model reads (system, messages, tool
 * definitions), counted as JSON so that the structure costs something too.
 * An image counts as an image, not as the length of its base64 text.
 */
export function promptTokens(parts: unknown[]): number {
  let images = 0;
  const text = JSON.stringify(parts, (_key, value: unknown) => {
    if (isJsonObject(value) && (value.type === "image" || value.type === "image_url" || value.type === "input_image")) {
      images++;
      return { type: value.type };
    }
    return value;
  });
  return tokensOf(text ?? "") + images * IMAGE_TOKENS;
}
