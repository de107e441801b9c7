import { promptTokens } from "./local-model-tokens";
import { isJsonObject, type Json, type Wire } from "./wire";

/** A tool the request offers, with the JSON schema of its arguments. */
export type OfferedTool = { name: string; schema: Json };

/** One tool's answer in the last user turn; `name` is null when no earlier call in the request carries its id. */
export type ToolResult = { name: string | null; text: string };

/**
 * What the local model reads of a request, whichever wire it came on: the
 * last user turn (its text, or the tool results it carries), the tools on
 * offer and the limits it honours. Everything else a client sends (images,
 * thinking blocks, cache_control, metadata, fields nobody knows yet) is
 * accepted and only counted.
 */
export type LocalPrompt = {
  model: string;
  userText: string;
  toolResults: ToolResult[];
  tools: OfferedTool[];
  /** False when the client said tool_choice "none". */
  toolsAllowed: boolean;
  maxTokens: number | null;
  stream: boolean;
  /** OpenAI only: stream_options.include_usage. */
  includeUsage: boolean;
  inputTokens: number;
};

const objects = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isJsonObject) : []);
const str = (v: unknown): string => (typeof v === "string" ? v : "");

/** A content field as text: a string, or the text of its parts (other parts, such as images, are marked). */
export function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  return objects(content)
    .map((p) => (typeof p.text === "string" ? p.text : p.type === "image" || p.type === "image_url" ? "[image]" : ""))
    .filter(Boolean)
    .join("\n");
}

/**
 * Claude Code puts `<system-reminder>` blocks into the user's turn; they are
 * the tool's notes to the model, not the user's words, so the local model
 * neither quotes them nor takes a tool's name from them.
 */
function userWords(text: string): string {
  return text.replace(/<system-reminder>[\s\S]*?<\/system-reminder>/g, "").trim();
}

function anthropicTurn(messages: Json[]): Pick<LocalPrompt, "userText" | "toolResults"> {
  const last = messages.findLast((m) => m.role === "user");
  if (!last) return { userText: "", toolResults: [] };
  const blocks = typeof last.content === "string" ? [{ type: "text", text: last.content }] : objects(last.content);
  const names = new Map<string, string>();
  for (const m of messages)
    for (const b of objects(m.content)) if (b.type === "tool_use") names.set(str(b.id), str(b.name));
  const toolResults = blocks
    .filter((b) => b.type === "tool_result")
    .map((b) => ({ name: names.get(str(b.tool_use_id)) ?? null, text: contentText(b.content) }));
  return {
    userText: userWords(
      blocks
        .filter((b) => b.type === "text")
        .map((b) => str(b.text))
        .join("\n"),
    ),
    toolResults,
  };
}

function openaiTurn(messages: Json[]): Pick<LocalPrompt, "userText" | "toolResults"> {
  let first = messages.length;
  while (first > 0 && messages[first - 1].role === "tool") first--;
  const trailing = messages.slice(first);
  if (trailing.length) {
    const names = new Map<string, string>();
    for (const m of messages)
      for (const c of objects(m.tool_calls)) names.set(str(c.id), isJsonObject(c.function) ? str(c.function.name) : "");
    return {
      userText: "",
      toolResults: trailing.map((m) => ({
        name: names.get(str(m.tool_call_id)) || null,
        text: contentText(m.content),
      })),
    };
  }
  const last = messages.findLast((m) => m.role === "user");
  return { userText: userWords(last ? contentText(last.content) : ""), toolResults: [] };
}

function offeredTools(wire: Wire, tools: unknown): OfferedTool[] {
  return objects(tools).flatMap((t) => {
    const spec = wire === "openai" ? (isJsonObject(t.function) ? t.function : {}) : t;
    const schema = wire === "openai" ? spec.parameters : spec.input_schema;
    return typeof spec.name === "string" && spec.name
      ? [{ name: spec.name, schema: isJsonObject(schema) ? schema : {} }]
      : [];
  });
}

function positive(...values: unknown[]): number | null {
  const n = values.find((v) => typeof v === "number" && v > 0);
  return typeof n === "number" ? Math.floor(n) : null;
}

export function readPrompt(wire: Wire, body: Json): LocalPrompt {
  const messages = objects(body.messages);
  const choice = body.tool_choice;
  return {
    model: str(body.model),
    ...(wire === "anthropic" ? anthropicTurn(messages) : openaiTurn(messages)),
    tools: offeredTools(wire, body.tools),
    toolsAllowed: choice !== "none" && !(isJsonObject(choice) && choice.type === "none"),
    maxTokens: wire === "anthropic" ? positive(body.max_tokens) : positive(body.max_completion_tokens, body.max_tokens),
    stream: body.stream === true,
    includeUsage: wire === "openai" && isJsonObject(body.stream_options) && body.stream_options.include_usage === true,
    inputTokens: promptTokens([body.system ?? null, body.messages ?? null, body.tools ?? null]),
  };
}
