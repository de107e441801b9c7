import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { promptTokens } from "../../lib/gateway/local-model-tokens";
import { IMAGE_TOKENS_BOUND, likelyTokens, promptText, promptTokensBound } from "../../lib/gateway/token-estimate";

const chat = (content: unknown) => ({ model: "glm-4.7", messages: [{ role: "user", content }] });

describe("BILL-1 the hold's prompt bound", () => {
  it("BILL-1: a CJK prompt is bounded by its UTF-8 bytes, three a character, where the likely count gives one", () => {
    const body = chat("漢字".repeat(1_000));
    const bytes = Buffer.byteLength(promptText(body), "utf8");
    expect(promptTokensBound(body)).toBe(bytes);
    expect(bytes).toBeGreaterThanOrEqual(6_000);
    expect(likelyTokens(promptText(body))).toBeLessThan(2_100);
  });

  it("BILL-1: an image adds its own bound, even when it is only a URL", () => {
    const body = chat([
      { type: "image_url", image_url: { url: "https://x.test/a.png" } },
      { type: "text", text: "what is this" },
    ]);
    expect(promptTokensBound(body)).toBe(Buffer.byteLength(promptText(body), "utf8") + IMAGE_TOKENS_BOUND);
  });

  it("BILL-1: for any text, the bound is at least the text's bytes, the likely count and the local model's count (property, 300 runs)", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "binary", maxLength: 400 }),
        fc.string({ unit: "binary", maxLength: 200 }),
        (a, b) => {
          const body = { model: "glm-4.7", system: a, messages: [{ role: "user", content: b }] };
          const bound = promptTokensBound(body);
          expect(bound).toBeGreaterThanOrEqual(Buffer.byteLength(a + b, "utf8"));
          expect(bound).toBeGreaterThanOrEqual(likelyTokens(promptText(body)));
          expect(bound).toBeGreaterThanOrEqual(promptTokens([body.system, body.messages, null]));
        },
      ),
      { numRuns: 300 },
    );
  }, 30_000);
});
