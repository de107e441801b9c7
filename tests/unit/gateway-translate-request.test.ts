import { describe, expect, it } from "vitest";
import { toAnthropicRequest, toOpenaiRequest } from "@/lib/gateway/translate";
import type { Json } from "@/lib/gateway/wire";
import {
  asJson,
  BASH_ID,
  CALL_GREP,
  CALL_READ,
  CLAUDE_CODE_TOOL_COUNT,
  claudeCodeRequest,
  openaiAgentRequest,
  READ_ID,
} from "./gateway-translate-fixtures";

describe("GATE-1 Anthropic request -> OpenAI request", () => {
  const out = toOpenaiRequest(asJson(claudeCodeRequest));
  const messages = out.messages as Json[];

  it("GATE-1: a Claude Code request keeps its conversation, in OpenAI's order, with the ids unchanged", () => {
    expect(messages).toEqual([
      {
        role: "system",
        content:
          "You are Claude Code, Anthropic's official CLI for Claude.\n\nYou are an interactive CLI tool that helps users with software engineering tasks.",
      },
      {
        role: "user",
        content: "<system-reminder>The working directory is /repo.</system-reminder>\n\nThe sum test fails, fix it.",
      },
      { role: "system", content: "Plan mode is off; you may edit files." },
      {
        role: "assistant",
        content: "Let me look at the code and run the tests.",
        tool_calls: [
          { id: READ_ID, type: "function", function: { name: "Read", arguments: '{"file_path":"/repo/src/sum.ts"}' } },
          {
            id: BASH_ID,
            type: "function",
            function: { name: "Bash", arguments: '{"command":"npm test","description":"Run the tests"}' },
          },
        ],
      },
      // Tool answers right after the calls, before the rest of the user's turn.
      { role: "tool", tool_call_id: READ_ID, content: "1\texport const sum = (a: number, b: number) => a - b;" },
      { role: "tool", tool_call_id: BASH_ID, content: "Error: FAIL src/sum.test.ts: expected 3, got -1" },
      {
        role: "user",
        content: [
          { type: "text", text: "Here is what the test runner showed:" },
          { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==" } },
        ],
      },
    ]);
  });

  it("GATE-1: tools become functions (server tools left out) and the settings map; Anthropic-only fields are dropped", () => {
    const tools = out.tools as Json[];
    expect(tools).toHaveLength(CLAUDE_CODE_TOOL_COUNT);
    expect(tools[4]).toEqual({
      type: "function",
      function: {
        name: "Read",
        description: "Reads a file from the local filesystem.",
        parameters: {
          type: "object",
          properties: { file_path: { type: "string" }, offset: { type: "number" }, limit: { type: "number" } },
          required: ["file_path"],
          additionalProperties: false,
        },
      },
    });
    expect(tools.map((t) => (t.function as Json).name)).not.toContain("web_search");
    expect(out).toMatchObject({
      model: "claude-sonnet-4-5-20250929",
      max_tokens: 32000,
      stream: true,
      stream_options: { include_usage: true },
      tool_choice: "auto",
      user: "user_2f1c_account_9a4e_session_77b0",
    });
    for (const dropped of [
      "system",
      "thinking",
      "context_management",
      "output_config",
      "metadata",
      "parallel_tool_calls",
      "stop",
    ])
      expect(out).not.toHaveProperty(dropped);
    expect(JSON.stringify(out)).not.toContain("cache_control");
    expect(JSON.stringify(out)).not.toContain("signature");
  });

  it("GATE-1: tool_choice any/none/tool, disable_parallel_tool_use, stop_sequences and a URL image map to OpenAI's fields", () => {
    const base = {
      model: "m",
      max_tokens: 100,
      tools: [{ name: "Read", input_schema: { type: "object" } }],
      messages: [
        { role: "user", content: [{ type: "image", source: { type: "url", url: "https://example.com/a.png" } }] },
      ],
    };
    expect(toOpenaiRequest({ ...base, tool_choice: { type: "any", disable_parallel_tool_use: true } })).toMatchObject({
      tool_choice: "required",
      parallel_tool_calls: false,
    });
    expect(toOpenaiRequest({ ...base, tool_choice: { type: "none" } }).tool_choice).toBe("none");
    expect(toOpenaiRequest({ ...base, tool_choice: { type: "tool", name: "Read" } }).tool_choice).toEqual({
      type: "function",
      function: { name: "Read" },
    });
    const plain = toOpenaiRequest({ ...base, stop_sequences: ["\n\nHuman:"], top_p: 0.9, stream: false });
    expect(plain).toMatchObject({ stop: ["\n\nHuman:"], top_p: 0.9, stream: false });
    expect(plain).not.toHaveProperty("stream_options");
    expect((plain.messages as Json[])[0]).toEqual({
      role: "user",
      content: [{ type: "image_url", image_url: { url: "https://example.com/a.png" } }],
    });
  });

  it("GATE-1: without tools no tool_choice is sent (OpenAI refuses one), and a document's text and a tool result's screenshot are kept", () => {
    const out = toOpenaiRequest({
      model: "m",
      max_tokens: 100,
      tool_choice: { type: "auto", disable_parallel_tool_use: true },
      tools: [{ type: "web_search_20250305", name: "web_search" }],
      messages: [
        {
          role: "user",
          content: [
            { type: "document", source: { type: "text", media_type: "text/plain", data: "README: run npm test" } },
            { type: "text", text: "Summarise." },
          ],
        },
        { role: "assistant", content: [{ type: "tool_use", id: "toolu_shot", name: "screenshot", input: {} }] },
        {
          role: "user",
          content: [
            {
              type: "tool_result",
              tool_use_id: "toolu_shot",
              content: [
                { type: "text", text: "captured" },
                { type: "image", source: { type: "base64", media_type: "image/webp", data: "UklGRg==" } },
              ],
            },
          ],
        },
      ],
    });
    expect(out).not.toHaveProperty("tools");
    expect(out).not.toHaveProperty("tool_choice");
    expect(out).not.toHaveProperty("parallel_tool_calls");
    expect(out.messages).toEqual([
      { role: "user", content: "README: run npm test\n\nSummarise." },
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "toolu_shot", type: "function", function: { name: "screenshot", arguments: "{}" } }],
      },
      { role: "tool", tool_call_id: "toolu_shot", content: "captured" },
      { role: "user", content: [{ type: "image_url", image_url: { url: "data:image/webp;base64,UklGRg==" } }] },
    ]);
  });
});

describe("GATE-1 OpenAI request -> Anthropic request", () => {
  const out = toAnthropicRequest(asJson(openaiAgentRequest));

  it("GATE-1: an agent's chat request becomes alternating Anthropic turns, tool answers merged into one user turn, ids unchanged", () => {
    expect(out.system).toBe("You are OpenCode, an interactive CLI coding agent.\n\nAnswer briefly.");
    expect(out.messages).toEqual([
      {
        role: "user",
        content: [
          { type: "text", text: "Why does this screen show an error?" },
          { type: "image", source: { type: "base64", media_type: "image/jpeg", data: "/9j/4AAQSkZJRgABAQ==" } },
          { type: "image", source: { type: "url", url: "https://example.com/screens/error.png" } },
        ],
      },
      {
        role: "assistant",
        content: [
          { type: "tool_use", id: CALL_READ, name: "read_file", input: { path: "src/app.ts" } },
          // Arguments cut short are no JSON object: Anthropic still needs an object.
          { type: "tool_use", id: CALL_GREP, name: "grep", input: {} },
        ],
      },
      {
        role: "user",
        content: [
          {
            type: "tool_result",
            tool_use_id: CALL_READ,
            content: "export function main() { throw new Error('boom'); }",
          },
          {
            type: "tool_result",
            tool_use_id: CALL_GREP,
            content: [{ type: "text", text: "src/app.ts:1: throw new Error('boom')" }],
          },
          { type: "text", text: "So where does it come from?" },
        ],
      },
    ]);
  });

  it("GATE-1: tools, tool_choice with parallel calls off, limits and the user map to Anthropic's fields", () => {
    expect(out.tools).toEqual([
      {
        name: "read_file",
        description: "Read a file.",
        input_schema: { type: "object", properties: { path: { type: "string" } }, required: ["path"] },
      },
      {
        name: "grep",
        description: "Search files.",
        input_schema: { type: "object", properties: { pattern: { type: "string" } }, required: ["pattern"] },
      },
      { name: "list_files", input_schema: { type: "object" } },
    ]);
    expect(out).toMatchObject({
      model: "glm-4.6",
      max_tokens: 4096,
      stop_sequences: ["</done>"],
      temperature: 0.2,
      top_p: 0.95,
      stream: true,
      tool_choice: { type: "auto", disable_parallel_tool_use: true },
      metadata: { user_id: "user-42" },
    });
    for (const dropped of ["stream_options", "parallel_tool_calls", "user", "max_completion_tokens", "stop"])
      expect(out).not.toHaveProperty(dropped);
  });

  it("GATE-1: max_tokens falls back to max_tokens then 8192; stop as a string; tool_choice required/none/function; temperature capped at 1", () => {
    const base = {
      model: "m",
      messages: [{ role: "user", content: "hi" }],
      tools: [{ type: "function", function: { name: "f" } }],
    };
    expect(toAnthropicRequest(base).max_tokens).toBe(8192);
    expect(toAnthropicRequest({ ...base, max_tokens: 300 }).max_tokens).toBe(300);
    expect(toAnthropicRequest({ ...base, stop: "END" }).stop_sequences).toEqual(["END"]);
    expect(toAnthropicRequest({ ...base, tool_choice: "required" }).tool_choice).toEqual({ type: "any" });
    expect(toAnthropicRequest({ ...base, tool_choice: "none", parallel_tool_calls: false }).tool_choice).toEqual({
      type: "none",
    });
    expect(
      toAnthropicRequest({ ...base, tool_choice: { type: "function", function: { name: "f" } } }).tool_choice,
    ).toEqual({ type: "tool", name: "f" });
    expect(toAnthropicRequest({ ...base, temperature: 1.6 }).temperature).toBe(1);
    expect(toAnthropicRequest({ ...base, tools: undefined, tool_choice: "auto" })).not.toHaveProperty("tool_choice");
    expect(toAnthropicRequest(base).messages).toEqual([{ role: "user", content: [{ type: "text", text: "hi" }] }]);
  });

  it("GATE-1: an assistant turn with text and calls keeps both, and consecutive same-role turns merge", () => {
    const out = toAnthropicRequest({
      model: "m",
      messages: [
        { role: "user", content: "one" },
        { role: "user", content: [{ type: "text", text: "two" }] },
        {
          role: "assistant",
          content: "Reading.",
          tool_calls: [{ id: "call_1", type: "function", function: { name: "read", arguments: '{"p":1}' } }],
        },
        { role: "tool", tool_call_id: "call_1", content: "" },
        { role: "assistant", content: "Done." },
      ],
    });
    expect(out.messages).toEqual([
      {
        role: "user",
        content: [
          { type: "text", text: "one" },
          { type: "text", text: "two" },
        ],
      },
      {
        role: "assistant",
        content: [
          { type: "text", text: "Reading." },
          { type: "tool_use", id: "call_1", name: "read", input: { p: 1 } },
        ],
      },
      { role: "user", content: [{ type: "tool_result", tool_use_id: "call_1" }] },
      { role: "assistant", content: [{ type: "text", text: "Done." }] },
    ]);
  });
});
