import { isJsonObject, type Json, type Wire } from "./wire";

/**
 * What the gateway reads from a model request, and nothing more (GATE-1):
 * the model, that `messages` is a non-empty list, whether it streams, the
 * output cap, and what QUOTA-1 and the usage policy need. The body itself is
 * forwarded as the client sent it; the model server judges the rest.
 */
export type ModelRequest = {
  body: Json;
  model: string;
  stream: boolean;
  /** The output cap the client asked for, if any (the pay-as-you-go hold). */
  maxTokens: number | null;
  /** QUOTA-1: the ids of the tool calls the last user turn answers, when it holds only tool results; else null. */
  toolResultIds: string[] | null;
  /** QUOTA-4: the last user turn carries an image (vision draws on the prompt pool). */
  image: boolean;
  /** Tools offered or a system prompt given: how coding agents' requests look (POLICY-1). */
  agentShaped: boolean;
};

export type RequestProblem = { field: string };

/** A model request carries whole files and images; still, a bound (Anthropic's own API takes up to 32 MB). */
export const MAX_MODEL_BODY = 32 * 1024 * 1024;

/** Parses the JSON body; a problem names the field, as the 1210 refusal does. */
export function readModelRequest(wire: Wire, raw: unknown): ModelRequest | RequestProblem {
  if (!isJsonObject(raw)) return { field: "body" };
  const model = raw.model;
  if (typeof model !== "string" || !model.trim() || model.length > 100) return { field: "model" };
  const messages = raw.messages;
  if (!Array.isArray(messages) || messages.length === 0 || !messages.every(isJsonObject)) return { field: "messages" };
  const last = lastUserTurn(wire, messages as Json[]);
  const cap = wire === "openai" ? (raw.max_completion_tokens ?? raw.max_tokens) : raw.max_tokens;
  const system =
    wire === "anthropic" ? raw.system : messages.find((m) => m.role === "system" || m.role === "developer");
  return {
    body: raw,
    model: model.trim(),
    stream: raw.stream === true,
    maxTokens: typeof cap === "number" && Number.isInteger(cap) && cap > 0 ? cap : null,
    toolResultIds: toolResultIdsOf(wire, last),
    image: last.some((m) => blocksOf(m.content).some((b) => b.type === "image" || b.type === "image_url")),
    agentShaped: (Array.isArray(raw.tools) && raw.tools.length > 0) || Boolean(system),
  };
}

/**
 * The messages of the last user turn: Anthropic's last `user` message;
 * OpenAI's messages after the last assistant message (the tool answers, and
 * any user message after them).
 */
function lastUserTurn(wire: Wire, messages: Json[]): Json[] {
  if (wire === "anthropic") {
    const last = messages.findLast((m) => m.role === "user");
    return last ? [last] : [];
  }
  const assistant = messages.findLastIndex((m) => m.role === "assistant");
  return messages.slice(assistant + 1).filter((m) => m.role !== "system" && m.role !== "developer");
}

function blocksOf(content: unknown): Json[] {
  return Array.isArray(content) ? content.filter(isJsonObject) : [];
}

function toolResultIdsOf(wire: Wire, turn: Json[]): string[] | null {
  if (turn.length === 0) return null;
  const ids: string[] = [];
  if (wire === "anthropic") {
    const blocks = blocksOf(turn[0].content);
    if (blocks.length === 0 || typeof turn[0].content === "string") return null;
    for (const b of blocks) {
      if (b.type !== "tool_result" || typeof b.tool_use_id !== "string" || !b.tool_use_id) return null;
      ids.push(b.tool_use_id);
    }
    return ids;
  }
  for (const m of turn) {
    if (m.role !== "tool" || typeof m.tool_call_id !== "string" || !m.tool_call_id) return null;
    ids.push(m.tool_call_id);
  }
  return ids;
}
