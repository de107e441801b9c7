import { randomUUID } from "node:crypto";
import { namedTool, toolArguments } from "./local-model-arguments";
import type { LocalPrompt } from "./local-model-request";
import { tokensOf } from "./local-model-tokens";
import type { Json, Wire } from "./wire";

export type LocalToolCall = { id: string; name: string; input: Json };

/** The local model's answer before either wire renders it. `stop`: finished, wants a tool, or cut at max_tokens. */
export type LocalReply = {
  id: string;
  text: string;
  toolCall: LocalToolCall | null;
  stop: "end" | "tool" | "length";
  inputTokens: number;
  outputTokens: number;
};

const randomId = () => randomUUID().replace(/-/g, "").slice(0, 24);

/** The longest start of `text` whose tokens fit in `max` (at least one character, so there is an answer). */
function truncate(text: string, max: number): string {
  let out = "";
  for (const ch of text) {
    if (out && tokensOf(out + ch) > max) break;
    out += ch;
  }
  return out;
}

/**
 * Answers the prompt: from the tool results when the last turn carries them
 * (a final answer, never another call, so a loop always ends), with one call
 * of a tool the user named, or with a short sentence quoting the user.
 */
export function localReply(wire: Wire, prompt: LocalPrompt): LocalReply {
  const base = {
    id: wire === "anthropic" ? `msg_${randomId()}` : `chatcmpl-${randomId()}`,
    inputTokens: prompt.inputTokens,
  };
  if (!prompt.toolResults.length) {
    const tool = prompt.toolsAllowed ? namedTool(prompt.tools, prompt.userText) : null;
    if (tool) {
      const input = toolArguments(tool, prompt.userText);
      const text = `I'll use the ${tool.name} tool.`;
      const toolCall = { id: `${wire === "anthropic" ? "toolu_" : "call_"}${randomId()}`, name: tool.name, input };
      return {
        ...base,
        text,
        toolCall,
        stop: "tool",
        outputTokens: tokensOf(text + tool.name + JSON.stringify(input)),
      };
    }
  }
  const echo = prompt.userText.length > 120 ? `${prompt.userText.slice(0, 117)}...` : prompt.userText;
  const full = prompt.toolResults.length
    ? prompt.toolResults
        .map((r) => `The ${r.name ? `${r.name} ` : ""}tool returned: ${[...r.text].slice(0, 200).join("")}`)
        .join("\n")
    : `Hello from CodePlan's local responder (${prompt.model}). You said: "${echo}"`;
  const text = prompt.maxTokens !== null && tokensOf(full) > prompt.maxTokens ? truncate(full, prompt.maxTokens) : full;
  return { ...base, text, toolCall: null, stop: text === full ? "end" : "length", outputTokens: tokensOf(text) };
}
