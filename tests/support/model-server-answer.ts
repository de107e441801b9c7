import { randomBytes } from "node:crypto";
import type { Json, Wire } from "../../lib/gateway/wire";

/**
 * Token counts a scripted answer reports, in Anthropic's terms: `input` is
 * the uncached part of the prompt, `cacheRead`/`cacheCreation` the cached
 * parts. On OpenAI's wire they become prompt_tokens = input + cacheRead +
 * cacheCreation and prompt_tokens_details.cached_tokens = cacheRead, as
 * OpenAI counts cached tokens inside the prompt.
 */
export type ScriptUsage = Partial<{ input: number; output: number; cacheRead: number; cacheCreation: number }>;

/** What the scripted model says: text, or a tool call (with optional text before it). */
export type Answer =
  | { text: string; usage?: ScriptUsage }
  | { toolCall: { name: string; input: Json; id?: string }; text?: string; usage?: ScriptUsage };

/** An answer ready to write out, defaults filled in. */
export type Scripted = {
  id: string;
  model: string;
  text: string;
  toolCall: { id: string; name: string; input: Json } | null;
  usage: Required<ScriptUsage>;
};

/** Counts reported when the script names none: fixed, so tests can assert them. */
export const DEFAULT_USAGE: Required<ScriptUsage> = { input: 10, output: 5, cacheRead: 0, cacheCreation: 0 };

const token = () => randomBytes(12).toString("hex");

export function scripted(wire: Wire, answer: Answer, model: string): Scripted {
  const toolCall =
    "toolCall" in answer
      ? {
          id: answer.toolCall.id ?? `${wire === "anthropic" ? "toolu_" : "call_"}${token()}`,
          name: answer.toolCall.name,
          input: answer.toolCall.input,
        }
      : null;
  return {
    id: wire === "anthropic" ? `msg_${token()}` : `chatcmpl-${token()}`,
    model,
    text: answer.text ?? "",
    toolCall,
    usage: { ...DEFAULT_USAGE, ...answer.usage },
  };
}

/** Text in word-sized pieces (each keeps the spaces after it). */
export const textPieces = (text: string): string[] => (text ? text.split(/(?<=\s)(?=\S)/) : []);

/** Tool arguments as JSON in three pieces cut mid-token, as models stream them. */
export function argumentPieces(input: Json): string[] {
  const json = JSON.stringify(input);
  const third = Math.ceil(json.length / 3);
  return [json.slice(0, third), json.slice(third, 2 * third), json.slice(2 * third)].filter((p) => p.length > 0);
}
