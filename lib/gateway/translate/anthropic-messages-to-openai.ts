import type { Json } from "../wire";
import { objects, str } from "./json-read";
import { textOfBlocks, toDocumentPart, toImagePart } from "./media";

/** Anthropic's conversation (system + messages) as OpenAI chat messages. */

/** `system` as a string or text blocks; cache_control has no OpenAI counterpart and goes. */
export function systemText(system: unknown): string {
  return typeof system === "string" ? system : textOfBlocks(system);
}

export function toOpenaiMessages(system: unknown, messages: unknown): Json[] {
  const out: Json[] = [];
  const head = systemText(system);
  if (head) out.push({ role: "system", content: head });
  for (const m of objects(messages)) {
    if (m.role === "assistant") out.push(assistantMessage(m.content));
    else if (m.role === "system") {
      // Claude Code puts system-role messages among the turns: kept where they stand.
      const text = systemText(m.content);
      if (text) out.push({ role: "system", content: text });
    } else out.push(...userMessages(m.content));
  }
  return out;
}

/** Text, then tool calls; thinking (signed for Anthropic only) and server-tool blocks have no OpenAI counterpart. */
function assistantMessage(content: unknown): Json {
  if (typeof content === "string") return { role: "assistant", content };
  const texts: string[] = [];
  const calls: Json[] = [];
  for (const b of objects(content)) {
    if (b.type === "text" && typeof b.text === "string") texts.push(b.text);
    else if (b.type === "tool_use") {
      calls.push({
        id: str(b.id) ?? "",
        type: "function",
        function: { name: str(b.name) ?? "", arguments: JSON.stringify(b.input ?? {}) },
      });
    }
  }
  const text = texts.join("\n\n");
  return calls.length
    ? { role: "assistant", content: text || null, tool_calls: calls }
    : { role: "assistant", content: text };
}

/**
 * One Anthropic user turn can answer tool calls and say more: OpenAI wants the
 * answers as `tool` messages right after the assistant's calls, so they come
 * first and the rest follows as a user message.
 */
function userMessages(content: unknown): Json[] {
  if (typeof content === "string") return [{ role: "user", content }];
  const tools: Json[] = [];
  const toolImages: Json[] = [];
  const own: Json[] = [];
  for (const b of objects(content)) {
    if (b.type === "text" && typeof b.text === "string") own.push({ type: "text", text: b.text });
    else if (b.type === "image") pushDefined(own, toImagePart(b));
    else if (b.type === "document") pushDefined(own, toDocumentPart(b));
    else if (b.type === "tool_result") {
      const r = toolMessage(b);
      tools.push(r.message);
      toolImages.push(...r.images);
    }
  }
  const parts = [...toolImages, ...own];
  if (!parts.length) return tools.length ? tools : [{ role: "user", content: "" }];
  // Text alone goes as a string: every OpenAI-compatible server reads that, not all read part lists.
  const onlyText = parts.every((p) => p.type === "text");
  return [...tools, { role: "user", content: onlyText ? parts.map((p) => str(p.text) ?? "").join("\n\n") : parts }];
}

/**
 * A tool message carries text only, so a tool result's images (screenshots)
 * travel in the user message that follows. OpenAI has no error flag: an
 * `is_error` result says so in its text.
 */
function toolMessage(block: Json): { message: Json; images: Json[] } {
  let text = typeof block.content === "string" ? block.content : textOfBlocks(block.content);
  if (block.is_error === true) text = text ? `Error: ${text}` : "Error";
  const images: Json[] = [];
  for (const b of objects(block.content)) if (b.type === "image") pushDefined(images, toImagePart(b));
  return { message: { role: "tool", tool_call_id: str(block.tool_use_id) ?? "", content: text }, images };
}

function pushDefined(list: Json[], item: Json | undefined): void {
  if (item) list.push(item);
}
