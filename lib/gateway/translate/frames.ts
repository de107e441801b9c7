import { sseFrame, type Json } from "../wire";

/** Anthropic names every event twice, in the SSE `event:` line and in the data's `type`; its SDK skips events without the line. */
export function anthropicFrame(type: string, data: Json = {}): string {
  return sseFrame(JSON.stringify({ type, ...data }), type);
}

export function openaiFrame(data: Json): string {
  return sseFrame(JSON.stringify(data));
}

export const OPENAI_DONE = sseFrame("[DONE]");
