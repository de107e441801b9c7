import { randomUUID } from "node:crypto";

/**
 * Answer ids across wires: the upstream's id is kept under the other wire's
 * prefix, so a translated answer can still be matched with the model server's
 * logs. Tool-call ids are never rewritten (the gateway recognises tool loops by them).
 */

function core(id: unknown, prefix: string): string {
  if (typeof id !== "string" || !id) return randomUUID().replace(/-/g, "");
  return id.startsWith(prefix) ? id.slice(prefix.length) : id;
}

export function chatCompletionId(anthropicId: unknown): string {
  return `chatcmpl-${core(anthropicId, "msg_")}`;
}

export function messageId(openaiId: unknown): string {
  return `msg_${core(openaiId, "chatcmpl-")}`;
}

/** For a streamed tool call that arrived without an id (some OpenAI-compatible servers): Anthropic requires one. */
export function freshToolCallId(): string {
  return `call_${randomUUID().replace(/-/g, "").slice(0, 24)}`;
}

/** OpenAI's `created`: seconds since the epoch. */
export function epochSeconds(now: Date | undefined): number {
  return Math.floor((now ?? new Date()).getTime() / 1000);
}
