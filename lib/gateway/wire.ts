/**
 * The two wire formats the reference gateway speaks (COMPAT.md): Anthropic's
 * messages API and OpenAI's chat completions. The request and the answer
 * belong to the client and the model server; the gateway passes them through
 * as JSON objects it does not model, reading only the few fields it needs.
 */
export type Wire = "anthropic" | "openai";

/** A JSON object as a client or a model server sent it, every field kept. */
export type Json = Record<string, unknown>;

/** One server-sent event, as eventsource-parser hands it over (`event` is absent for OpenAI's chunks). */
export type SseEvent = { event?: string; data: string };

/** One server-sent event as text on the wire. */
export function sseFrame(data: string, event?: string): string {
  return `${event ? `event: ${event}\n` : ""}data: ${data}\n\n`;
}

export function isJsonObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
