import type Anthropic from "@anthropic-ai/sdk";
import type OpenAI from "openai";
import type { Json, Wire } from "../../lib/gateway/wire";
import type { Reply, SeenRequest } from "./model-server";

/**
 * Coding-agent loops driven by the official SDKs, as an agent drives them:
 * ask, run each tool the model calls, send the results back, until the model
 * answers in text. `tools` and the tool's output are fixed so a test can
 * check that the model server received them unchanged.
 */

export const READ_FILE = {
  name: "read_file",
  description: "Read a file from the workspace",
  schema: {
    type: "object" as const,
    properties: { path: { type: "string", description: "Path of the file" } },
    required: ["path"],
  },
};
export const TOOL_OUTPUT = "# CodePlan\nA billing console.";

export const openaiTools = [
  {
    type: "function" as const,
    function: { name: READ_FILE.name, description: READ_FILE.description, parameters: READ_FILE.schema },
  },
];
export const anthropicTools = [
  { name: READ_FILE.name, description: READ_FILE.description, input_schema: READ_FILE.schema },
];

/** The scripted model: calls read_file until `steps` tool results are in the conversation, then answers in text. */
export function toolLoopScript(steps: number): (req: SeenRequest) => Reply {
  return (req) => {
    const results = toolResultsIn(req.wire, req.body);
    if (results.length >= steps)
      return { text: `Done after ${results.length} tool calls: ${results.at(-1)?.slice(0, 20)}` };
    return {
      toolCall: { name: READ_FILE.name, input: { path: `src/file-${results.length}.ts` } },
      text: "Let me look.",
    };
  };
}

/** The tool results a request carries, as text, in order. */
export function toolResultsIn(wire: Wire, body: Json): string[] {
  const messages = (body.messages as Json[]) ?? [];
  if (wire === "openai") return messages.filter((m) => m.role === "tool").map((m) => String(m.content));
  return messages.flatMap((m) =>
    Array.isArray(m.content)
      ? (m.content as Json[])
          .filter((b) => b.type === "tool_result")
          .map((b) => (typeof b.content === "string" ? b.content : JSON.stringify(b.content)))
      : [],
  );
}

export type LoopResult = { text: string; calls: number; toolCallIds: string[] };

export async function openaiLoop(
  client: OpenAI,
  opts: { model: string; stream: boolean; prompt?: string; maxCalls?: number },
): Promise<LoopResult> {
  const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [
    { role: "system", content: "You are a coding agent." },
    { role: "user", content: opts.prompt ?? "Read the project files and summarise them." },
  ];
  const ids: string[] = [];
  for (let calls = 1; calls <= (opts.maxCalls ?? 20); calls++) {
    const message = opts.stream
      ? (
          await client.chat.completions
            .stream({ model: opts.model, messages, tools: openaiTools, stream_options: { include_usage: true } })
            .finalChatCompletion()
        ).choices[0].message
      : (await client.chat.completions.create({ model: opts.model, messages, tools: openaiTools })).choices[0].message;
    const toolCalls = (message.tool_calls ?? []).filter((c) => c.type === "function");
    messages.push({
      role: "assistant",
      content: message.content ?? null,
      ...(toolCalls.length ? { tool_calls: toolCalls } : {}),
    });
    if (toolCalls.length === 0) return { text: message.content ?? "", calls, toolCallIds: ids };
    for (const c of toolCalls) {
      ids.push(c.id);
      messages.push({ role: "tool", tool_call_id: c.id, content: TOOL_OUTPUT });
    }
  }
  throw new Error("the loop did not end");
}

export async function anthropicLoop(
  client: Anthropic,
  opts: {
    model: string;
    stream: boolean;
    prompt?: string;
    maxCalls?: number;
    extra?: Partial<Anthropic.MessageCreateParamsNonStreaming>;
  },
): Promise<LoopResult> {
  const messages: Anthropic.MessageParam[] = [
    { role: "user", content: opts.prompt ?? "Read the project files and summarise them." },
  ];
  const ids: string[] = [];
  for (let calls = 1; calls <= (opts.maxCalls ?? 20); calls++) {
    const params = {
      model: opts.model,
      max_tokens: 1024,
      system: "You are a coding agent.",
      messages,
      tools: anthropicTools,
      ...opts.extra,
    };
    const answer = opts.stream
      ? await client.messages.stream(params).finalMessage()
      : await client.messages.create(params);
    messages.push({ role: "assistant", content: answer.content });
    const uses = answer.content.filter((b) => b.type === "tool_use");
    if (uses.length === 0)
      return { text: answer.content.map((b) => (b.type === "text" ? b.text : "")).join(""), calls, toolCallIds: ids };
    ids.push(...uses.map((u) => u.id));
    messages.push({
      role: "user",
      content: uses.map((u) => ({ type: "tool_result" as const, tool_use_id: u.id, content: TOOL_OUTPUT })),
    });
  }
  throw new Error("the loop did not end");
}
