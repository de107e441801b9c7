import { expect } from "vitest";
import type Anthropic from "@anthropic-ai/sdk";
import type OpenAI from "openai";
import type { Json, SseEvent } from "@/lib/gateway/wire";

/**
 * Requests and streams as real coding agents and model servers send them,
 * typed against the official SDKs so that a fixture cannot drift from the
 * wire. Shared by the gateway-translate-* tests.
 */

/** What the gateway holds after `await req.json()`: plain JSON, no SDK types. */
export function asJson(v: object): Json {
  return JSON.parse(JSON.stringify(v)) as Json;
}

const schema = (properties: Record<string, object>, required: string[]) => ({
  type: "object" as const,
  properties,
  required,
  additionalProperties: false,
});

/** A dozen tools with JSON schemas, as Claude Code declares them, and one of Anthropic's own server tools. */
const claudeCodeTools: Anthropic.Beta.Messages.BetaToolUnion[] = [
  {
    name: "Task",
    description: "Launch a new agent to handle complex, multi-step tasks autonomously.",
    input_schema: schema(
      { description: { type: "string" }, prompt: { type: "string" }, subagent_type: { type: "string" } },
      ["description", "prompt", "subagent_type"],
    ),
  },
  {
    name: "Bash",
    description: "Executes a given bash command in a persistent shell session.",
    input_schema: schema(
      { command: { type: "string" }, timeout: { type: "number" }, description: { type: "string" } },
      ["command"],
    ),
  },
  {
    name: "Glob",
    description: "Fast file pattern matching tool.",
    input_schema: schema({ pattern: { type: "string" }, path: { type: "string" } }, ["pattern"]),
  },
  {
    name: "Grep",
    description: "A powerful search tool built on ripgrep.",
    input_schema: schema(
      {
        pattern: { type: "string" },
        path: { type: "string" },
        output_mode: { type: "string", enum: ["content", "files_with_matches", "count"] },
      },
      ["pattern"],
    ),
  },
  {
    name: "Read",
    description: "Reads a file from the local filesystem.",
    input_schema: schema({ file_path: { type: "string" }, offset: { type: "number" }, limit: { type: "number" } }, [
      "file_path",
    ]),
  },
  {
    name: "Edit",
    description: "Performs exact string replacements in files.",
    input_schema: schema(
      {
        file_path: { type: "string" },
        old_string: { type: "string" },
        new_string: { type: "string" },
        replace_all: { type: "boolean", default: false },
      },
      ["file_path", "old_string", "new_string"],
    ),
  },
  {
    name: "Write",
    description: "Writes a file to the local filesystem.",
    input_schema: schema({ file_path: { type: "string" }, content: { type: "string" } }, ["file_path", "content"]),
  },
  {
    name: "NotebookEdit",
    description: "Replaces the contents of a specific cell in a Jupyter notebook.",
    input_schema: schema({ notebook_path: { type: "string" }, new_source: { type: "string" } }, [
      "notebook_path",
      "new_source",
    ]),
  },
  {
    name: "WebFetch",
    description: "Fetches content from a specified URL.",
    input_schema: schema({ url: { type: "string", format: "uri" }, prompt: { type: "string" } }, ["url", "prompt"]),
  },
  {
    name: "TodoWrite",
    description: "Create and manage a structured task list.",
    input_schema: schema(
      {
        todos: {
          type: "array",
          items: {
            type: "object",
            properties: {
              content: { type: "string" },
              status: { type: "string", enum: ["pending", "in_progress", "completed"] },
            },
          },
        },
      },
      ["todos"],
    ),
  },
  {
    name: "BashOutput",
    description: "Retrieves output from a running background bash shell.",
    input_schema: schema({ bash_id: { type: "string" } }, ["bash_id"]),
  },
  {
    name: "KillShell",
    description: "Kills a running background bash shell by its ID.",
    input_schema: schema({ shell_id: { type: "string" } }, ["shell_id"]),
  },
  { type: "web_search_20250305", name: "web_search", max_uses: 5 },
];
export const CLAUDE_CODE_TOOL_COUNT = 12;

export const READ_ID = "toolu_01A09q90qw90lq917835lq9";
export const BASH_ID = "toolu_01BdnZ5mYUjX3GwLwvGSkPUz";

/** A later call of a Claude Code tool loop, with everything the CLI sends (COMPAT.md "What real coding agents send"). */
export const claudeCodeRequest: Anthropic.Beta.Messages.MessageCreateParamsStreaming = {
  model: "claude-sonnet-4-5-20250929",
  max_tokens: 32000,
  stream: true,
  system: [
    {
      type: "text",
      text: "You are Claude Code, Anthropic's official CLI for Claude.",
      cache_control: { type: "ephemeral" },
    },
    {
      type: "text",
      text: "You are an interactive CLI tool that helps users with software engineering tasks.",
      cache_control: { type: "ephemeral" },
    },
  ],
  thinking: { type: "adaptive" },
  context_management: { edits: [{ type: "clear_thinking_20251015", keep: "all" }] },
  output_config: { effort: "high" },
  metadata: { user_id: "user_2f1c_account_9a4e_session_77b0" },
  tools: claudeCodeTools,
  tool_choice: { type: "auto", disable_parallel_tool_use: false },
  messages: [
    {
      role: "user",
      content: [
        { type: "text", text: "<system-reminder>The working directory is /repo.</system-reminder>" },
        { type: "text", text: "The sum test fails, fix it.", cache_control: { type: "ephemeral" } },
      ],
    },
    { role: "system", content: "Plan mode is off; you may edit files." },
    {
      role: "assistant",
      content: [
        { type: "thinking", thinking: "I should read the file and run the tests.", signature: "EqQBCkgIARABGAIiQL2m" },
        { type: "text", text: "Let me look at the code and run the tests." },
        { type: "tool_use", id: READ_ID, name: "Read", input: { file_path: "/repo/src/sum.ts" } },
        { type: "tool_use", id: BASH_ID, name: "Bash", input: { command: "npm test", description: "Run the tests" } },
      ],
    },
    {
      role: "user",
      content: [
        {
          type: "tool_result",
          tool_use_id: READ_ID,
          content: [{ type: "text", text: "1\texport const sum = (a: number, b: number) => a - b;" }],
        },
        {
          type: "tool_result",
          tool_use_id: BASH_ID,
          content: "FAIL src/sum.test.ts: expected 3, got -1",
          is_error: true,
        },
        { type: "text", text: "Here is what the test runner showed:" },
        { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgoAAAANSUhEUg==" } },
      ],
    },
  ],
};

export const CALL_READ = "call_7Fq2aPq1u6yZbNmtGJ3Zk1aA";
export const CALL_GREP = "call_Qx9eLw3r8Hs2Dk5VbN0cT4mJ";

/** An OpenCode/Cline-like chat-completions call in the middle of a tool loop. */
export const openaiAgentRequest: OpenAI.Chat.ChatCompletionCreateParamsStreaming = {
  model: "glm-4.6",
  stream: true,
  stream_options: { include_usage: true },
  max_completion_tokens: 4096,
  temperature: 0.2,
  top_p: 0.95,
  stop: ["</done>"],
  user: "user-42",
  parallel_tool_calls: false,
  tool_choice: "auto",
  tools: [
    {
      type: "function",
      function: {
        name: "read_file",
        description: "Read a file.",
        parameters: { type: "object", properties: { path: { type: "string" } }, required: ["path"] },
      },
    },
    {
      type: "function",
      function: {
        name: "grep",
        description: "Search files.",
        parameters: { type: "object", properties: { pattern: { type: "string" } }, required: ["pattern"] },
      },
    },
    { type: "function", function: { name: "list_files" } },
  ],
  messages: [
    { role: "system", content: "You are OpenCode, an interactive CLI coding agent." },
    { role: "developer", content: [{ type: "text", text: "Answer briefly." }] },
    {
      role: "user",
      content: [
        { type: "text", text: "Why does this screen show an error?" },
        { type: "image_url", image_url: { url: "data:image/jpeg;base64,/9j/4AAQSkZJRgABAQ==", detail: "high" } },
        { type: "image_url", image_url: { url: "https://example.com/screens/error.png" } },
      ],
    },
    {
      role: "assistant",
      content: null,
      tool_calls: [
        { id: CALL_READ, type: "function", function: { name: "read_file", arguments: '{"path":"src/app.ts"}' } },
        { id: CALL_GREP, type: "function", function: { name: "grep", arguments: '{"pattern":"throw new' } },
      ],
    },
    { role: "tool", tool_call_id: CALL_READ, content: "export function main() { throw new Error('boom'); }" },
    {
      role: "tool",
      tool_call_id: CALL_GREP,
      content: [{ type: "text", text: "src/app.ts:1: throw new Error('boom')" }],
    },
    { role: "user", content: "So where does it come from?" },
  ],
};

/** Anthropic's event sequence for an answer that thinks, says something and calls a tool (arguments in pieces). */
export function anthropicToolStream(): SseEvent[] {
  const ev = (data: Json): SseEvent => ({ event: String(data.type), data: JSON.stringify(data) });
  return [
    ev({
      type: "message_start",
      message: {
        id: "msg_01XFDUDYJgAACzvnptvVoYEL",
        type: "message",
        role: "assistant",
        model: "claude-sonnet-4-5-20250929",
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 295, cache_creation_input_tokens: 100, cache_read_input_tokens: 1800, output_tokens: 1 },
      },
    }),
    ev({ type: "content_block_start", index: 0, content_block: { type: "thinking", thinking: "", signature: "" } }),
    ev({ type: "ping" }),
    ev({
      type: "content_block_delta",
      index: 0,
      delta: { type: "thinking_delta", thinking: "The test expects a sum; " },
    }),
    ev({ type: "content_block_delta", index: 0, delta: { type: "thinking_delta", thinking: "the code subtracts." } }),
    ev({
      type: "content_block_delta",
      index: 0,
      delta: { type: "signature_delta", signature: "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds" },
    }),
    ev({ type: "content_block_stop", index: 0 }),
    ev({ type: "content_block_start", index: 1, content_block: { type: "text", text: "" } }),
    ev({ type: "content_block_delta", index: 1, delta: { type: "text_delta", text: "The function subtracts. " } }),
    ev({ type: "content_block_delta", index: 1, delta: { type: "text_delta", text: "I'll fix it." } }),
    ev({ type: "content_block_stop", index: 1 }),
    ev({
      type: "content_block_start",
      index: 2,
      content_block: { type: "tool_use", id: "toolu_01T1x1fJ34qAmk2tNTrN7Up6", name: "Edit", input: {} },
    }),
    ev({ type: "content_block_delta", index: 2, delta: { type: "input_json_delta", partial_json: "" } }),
    ev({
      type: "content_block_delta",
      index: 2,
      delta: { type: "input_json_delta", partial_json: '{"file_path": "/repo/sr' },
    }),
    ev({
      type: "content_block_delta",
      index: 2,
      delta: { type: "input_json_delta", partial_json: 'c/sum.ts", "old_string": "a - b", ' },
    }),
    ev({
      type: "content_block_delta",
      index: 2,
      delta: { type: "input_json_delta", partial_json: '"new_string": "a + b"}' },
    }),
    ev({ type: "content_block_stop", index: 2 }),
    ev({
      type: "message_delta",
      delta: { stop_reason: "tool_use", stop_sequence: null },
      usage: { output_tokens: 89 },
    }),
    ev({ type: "message_stop" }),
  ];
}

/** An OpenAI-compatible server's chunks for an answer that reasons, says something and calls two tools. */
export function openaiToolStream(opts: { usageChunk: boolean } = { usageChunk: true }): SseEvent[] {
  const base = { id: "chatcmpl-9zQnA4xZ", object: "chat.completion.chunk", created: 1766000000, model: "glm-4.6" };
  const chunk = (delta: Json, finish_reason: string | null = null): SseEvent => ({
    data: JSON.stringify({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason }] }),
  });
  return [
    chunk({ role: "assistant", content: "" }),
    chunk({ reasoning_content: "The error is thrown " }),
    chunk({ reasoning_content: "in main." }),
    chunk({ content: "Let me read " }),
    chunk({ content: "the file." }),
    chunk({
      tool_calls: [{ index: 0, id: CALL_READ, type: "function", function: { name: "read_file", arguments: "" } }],
    }),
    chunk({ tool_calls: [{ index: 0, function: { arguments: '{"pa' } }] }),
    chunk({ tool_calls: [{ index: 0, function: { arguments: 'th": "src/' } }] }),
    chunk({ tool_calls: [{ index: 0, function: { arguments: 'app.ts"}' } }] }),
    chunk({
      tool_calls: [
        { index: 1, id: CALL_GREP, type: "function", function: { name: "grep", arguments: '{"pattern": "boom"}' } },
      ],
    }),
    chunk({}, "tool_calls"),
    ...(opts.usageChunk
      ? [
          {
            data: JSON.stringify({
              ...base,
              choices: [],
              usage: {
                prompt_tokens: 1200,
                completion_tokens: 60,
                total_tokens: 1260,
                prompt_tokens_details: { cached_tokens: 1000 },
              },
            }),
          },
        ]
      : []),
    { data: "[DONE]" },
  ];
}

/** Frames as the client reads them: `{event, data}` with the data parsed (`[DONE]` kept as text). */
export function readFrames(frames: string[]): { event?: string; data: unknown }[] {
  return frames.map((f) => {
    expect(f.endsWith("\n\n")).toBe(true);
    const lines = f.trimEnd().split("\n");
    const event = lines.find((l) => l.startsWith("event: "))?.slice(7);
    const data = lines.find((l) => l.startsWith("data: "))?.slice(6) ?? "";
    return { ...(event ? { event } : {}), data: data === "[DONE]" ? data : JSON.parse(data) };
  });
}

/** The frames as an HTTP answer, for the official SDKs to read through their own `fetch` option. */
export function sseResponse(frames: string[]): Response {
  return new Response(frames.join(""), { headers: { "content-type": "text/event-stream" } });
}
