import type { SseEvent } from "../wire";

/** Who asked (the model name the client used) and when (from the gateway's clock; now if absent). */
export type AnswerOptions = { model?: string; now?: Date };

/** `includeUsage`: the OpenAI client asked for stream_options.include_usage. */
export type StreamOptions = { model: string; includeUsage: boolean; now?: Date };

/**
 * Turns a model server's stream into the client's wire as it arrives: `push`
 * takes one upstream event and answers the frames to send now; `end` runs once
 * the upstream is over (finished or cut) and answers whatever the client still
 * needs to see a well-formed ending.
 */
export type StreamTranslator = { push(ev: SseEvent): string[]; end(): string[] };
