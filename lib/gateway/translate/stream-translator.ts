import { sseFrame, type SseEvent, type Wire } from "../wire";
import { openaiToAnthropicStream } from "./stream-to-anthropic";
import { anthropicToOpenaiStream } from "./stream-to-openai";
import type { StreamOptions, StreamTranslator } from "./types";

/** A stream translator from the model server's wire to the client's; the same wire passes every event through. */
export function createStreamTranslator(from: Wire, to: Wire, opts: StreamOptions): StreamTranslator {
  if (from === "anthropic" && to === "openai") return anthropicToOpenaiStream(opts);
  if (from === "openai" && to === "anthropic") return openaiToAnthropicStream(opts);
  return { push: (ev: SseEvent) => [sseFrame(ev.data, ev.event)], end: () => [] };
}
