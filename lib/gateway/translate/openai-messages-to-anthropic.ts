import { isJsonObject, type Json } from "../wire";
import { obj, objects, parseJson, str } from "./json-read";
import { toDocumentBlock, toImageBlock } from "./media";

/** OpenAI chat messages as Anthropic's system text and strictly alternating turns. */

type Turn = { role: "user" | "assistant"; content: Json[] };

export function toAnthropicMessages(messages: unknown): { system: string; messages: Json[] } {
  const system: string[] = [];
  const turns: Turn[] = [];
  // Anthropic wants user and assistant to alternate: a run of tool answers, and
  // a user message right after them, become one user turn.
  const add = (role: Turn["role"], blocks: Json[]) => {
    if (!blocks.length) return;
    const last = turns.at(-1);
    if (last?.role === role) last.content.push(...blocks);
    else turns.push({ role, content: blocks });
  };
  for (const m of objects(messages)) {
    if (m.role === "system" || m.role === "developer") {
      const text = textOf(m.content);
      if (text) system.push(text);
    } else if (m.role === "assistant") add("assistant", assistantBlocks(m));
    else if (m.role === "tool") add("user", [toolResult(m)]);
    else if (m.role === "user") add("user", userBlocks(m.content));
    // Legacy `function` messages carry no call id to answer: they have no Anthropic form.
  }
  return {
    system: system.join("\n\n"),
    messages: turns.map((t) => ({
      role: t.role,
      content: t.role === "user" ? toolResultsFirst(t.content) : t.content,
    })),
  };
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  return objects(content)
    .flatMap((p) => (typeof p.text === "string" ? [p.text] : []))
    .join("\n\n");
}

/** Anthropic refuses empty text blocks, so empty text is left out. */
function textBlock(text: unknown): Json[] {
  return typeof text === "string" && text ? [{ type: "text", text }] : [];
}

function userBlocks(content: unknown): Json[] {
  if (typeof content === "string") return textBlock(content);
  return objects(content).flatMap((p): Json[] => {
    if (p.type === "text") return textBlock(p.text);
    const block = p.type === "image_url" ? toImageBlock(p) : p.type === "file" ? toDocumentBlock(p) : undefined;
    return block ? [block] : [];
  });
}

function assistantBlocks(m: Json): Json[] {
  const blocks: Json[] =
    typeof m.content === "string"
      ? textBlock(m.content)
      : objects(m.content).flatMap((p) => textBlock(p.type === "refusal" ? p.refusal : p.text));
  for (const call of objects(m.tool_calls)) {
    const f = obj(call.function);
    blocks.push({ type: "tool_use", id: str(call.id) ?? "", name: str(f.name) ?? "", input: toolInput(f.arguments) });
  }
  return blocks;
}

/** Anthropic wants the input as an object: arguments that are not a JSON object (cut or invalid) become `{}`. */
function toolInput(args: unknown): Json {
  const parsed = typeof args === "string" ? parseJson(args) : args;
  return isJsonObject(parsed) ? parsed : {};
}

function toolResult(m: Json): Json {
  const content = typeof m.content === "string" ? m.content : objects(m.content).flatMap((p) => textBlock(p.text));
  return { type: "tool_result", tool_use_id: str(m.tool_call_id) ?? "", ...(content.length ? { content } : {}) };
}

/** Anthropic wants a user turn's tool results before anything else in it. */
function toolResultsFirst(blocks: Json[]): Json[] {
  return [...blocks.filter((b) => b.type === "tool_result"), ...blocks.filter((b) => b.type !== "tool_result")];
}
