import { chatText, estimateTokens, type Chat, type Completion } from "./completion";

/**
 * The built-in model used when no upstream is configured, so the whole path
 * (key, slot, quota, answer, usage report) runs on one machine. Its reply is
 * short and deterministic, and its token counts are plausible estimates.
 */
export function localCompletion(chat: Chat): Completion {
  const last = [...chat.messages].reverse().find((m) => m.role === "user")?.text ?? "";
  const echo = last.length > 120 ? `${last.slice(0, 117)}...` : last;
  let reply = `Hello from CodePlan's local responder (${chat.model}). You said: "${echo}"`;
  if (chat.maxTokens !== null && estimateTokens(reply) > chat.maxTokens) reply = reply.slice(0, Math.max(1, chat.maxTokens * 4));
  const words = reply.match(/\S+\s*/g) ?? [reply];
  return {
    deltas: (async function* () {
      for (const w of words) yield w;
    })(),
    usage: async () => ({ inputTokens: estimateTokens(chatText(chat)), outputTokens: estimateTokens(reply), cachedTokens: 0 }),
  };
}
