import type { Json } from "../wire";
import { defined, obj, objects, str } from "./json-read";

/** Tool definitions and the choice among them, in each wire's shape. */

/**
 * Anthropic's own server tools (web_search_20250305, bash_20250124, …) carry a
 * versioned `type` and no schema: an OpenAI model server cannot run them, so
 * they are left out. `strict` is dropped too: OpenAI's strict mode demands
 * schemas that coding agents' tools do not follow.
 */
export function toOpenaiTools(tools: unknown): Json[] {
  return objects(tools)
    .filter(
      (t) =>
        (t.type === undefined || t.type === "custom" || t.input_schema !== undefined) && typeof t.name === "string",
    )
    .map((t) => ({
      type: "function",
      function: defined({
        name: t.name,
        description: str(t.description),
        parameters: t.input_schema ?? { type: "object" },
      }),
    }));
}

export function toAnthropicTools(tools: unknown): Json[] {
  return objects(tools)
    .filter((t) => t.type === "function" && typeof obj(t.function).name === "string")
    .map((t) => {
      const f = obj(t.function);
      return defined({
        name: f.name,
        description: str(f.description),
        input_schema: f.parameters ?? { type: "object" },
      });
    });
}

/**
 * tool_choice and parallel calls, Anthropic -> OpenAI. Both are left out when
 * no tool is sent: OpenAI refuses either without `tools`.
 */
export function toOpenaiToolChoice(choice: unknown): Json {
  const c = obj(choice);
  const out: Json = {};
  if (c.type === "auto") out.tool_choice = "auto";
  else if (c.type === "any") out.tool_choice = "required";
  else if (c.type === "none") out.tool_choice = "none";
  else if (c.type === "tool" && typeof c.name === "string")
    out.tool_choice = { type: "function", function: { name: c.name } };
  if (c.disable_parallel_tool_use === true) out.parallel_tool_calls = false;
  return out;
}

/** tool_choice and parallel calls, OpenAI -> Anthropic, where the parallel switch lives inside tool_choice. */
export function toAnthropicToolChoice(choice: unknown, parallelToolCalls: unknown): Json | undefined {
  let out: Json | undefined;
  if (choice === "auto") out = { type: "auto" };
  else if (choice === "required") out = { type: "any" };
  else if (choice === "none") out = { type: "none" };
  else {
    const name = str(obj(obj(choice).function).name);
    if (name) out = { type: "tool", name };
  }
  if (parallelToolCalls === false && out?.type !== "none")
    out = { ...(out ?? { type: "auto" }), disable_parallel_tool_use: true };
  return out;
}
