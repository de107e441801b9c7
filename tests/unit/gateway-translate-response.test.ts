import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { toAnthropicRequest, toAnthropicResponse, toOpenaiRequest, toOpenaiResponse } from "@/lib/gateway/translate";
import type { Json } from "@/lib/gateway/wire";
import { asJson, claudeCodeRequest } from "./gateway-translate-fixtures";

const NOW = new Date("2026-03-01T08:00:00Z");

/** Anthropic's answer to a tool-loop call: thinking, text and a tool call. */
const anthropicMessage: Json = {
  id: "msg_01Aq9w938a90dw8q",
  type: "message",
  role: "assistant",
  model: "claude-sonnet-4-5-20250929",
  content: [
    { type: "thinking", thinking: "Run the tests first.", signature: "EqQBCgIYAh" },
    { type: "text", text: "I'll run the tests." },
    { type: "tool_use", id: "toolu_01D7FLrfh4GYq7yT1ULFeyMV", name: "Bash", input: { command: "npm test" } },
  ],
  stop_reason: "tool_use",
  stop_sequence: null,
  usage: { input_tokens: 120, cache_creation_input_tokens: 30, cache_read_input_tokens: 2000, output_tokens: 45 },
};

/** An OpenAI-compatible server's answer with reasoning and two tool calls. */
const openaiCompletion: Json = {
  id: "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG",
  object: "chat.completion",
  created: 1766000000,
  model: "glm-4.6",
  choices: [
    {
      index: 0,
      message: {
        role: "assistant",
        content: "Reading both files.",
        reasoning_content: "Both files matter.",
        tool_calls: [
          { id: "call_abc123", type: "function", function: { name: "read_file", arguments: '{"path":"a.ts"}' } },
          { id: "call_def456", type: "function", function: { name: "read_file", arguments: '{"path":"b.ts"}' } },
        ],
      },
      logprobs: null,
      finish_reason: "tool_calls",
    },
  ],
  usage: {
    prompt_tokens: 2150,
    completion_tokens: 45,
    total_tokens: 2195,
    prompt_tokens_details: { cached_tokens: 2000 },
  },
};

describe("GATE-1 non-streamed answers", () => {
  it("GATE-1: an Anthropic message becomes a chat.completion with the tool-call id unchanged and usage in OpenAI's terms", () => {
    expect(toOpenaiResponse(anthropicMessage, { model: "claude-sonnet-4-5", now: NOW })).toEqual({
      id: "chatcmpl-01Aq9w938a90dw8q",
      object: "chat.completion",
      created: Math.floor(NOW.getTime() / 1000),
      model: "claude-sonnet-4-5",
      choices: [
        {
          index: 0,
          message: {
            role: "assistant",
            content: "I'll run the tests.",
            refusal: null,
            reasoning_content: "Run the tests first.",
            tool_calls: [
              {
                id: "toolu_01D7FLrfh4GYq7yT1ULFeyMV",
                type: "function",
                function: { name: "Bash", arguments: '{"command":"npm test"}' },
              },
            ],
          },
          logprobs: null,
          finish_reason: "tool_calls",
        },
      ],
      usage: {
        prompt_tokens: 2150,
        completion_tokens: 45,
        total_tokens: 2195,
        prompt_tokens_details: { cached_tokens: 2000 },
      },
    });
  });

  it("GATE-1: stop reasons map to finish reasons, and an answer of tool calls alone has null content", () => {
    const finish = (stop_reason: string | null) =>
      ((toOpenaiResponse({ ...anthropicMessage, stop_reason }).choices as Json[])[0] as Json).finish_reason;
    expect([
      finish("end_turn"),
      finish("stop_sequence"),
      finish("max_tokens"),
      finish("tool_use"),
      finish("refusal"),
      finish(null),
    ]).toEqual(["stop", "stop", "length", "tool_calls", "content_filter", "stop"]);
    const toolsOnly = toOpenaiResponse({ ...anthropicMessage, content: (anthropicMessage.content as Json[]).slice(2) });
    expect(((toolsOnly.choices as Json[])[0].message as Json).content).toBeNull();
    expect(toOpenaiResponse(anthropicMessage).model).toBe("claude-sonnet-4-5-20250929");
  });

  it("GATE-1: a chat.completion becomes an Anthropic message with the tool-call ids unchanged and cached tokens apart", () => {
    expect(toAnthropicResponse(openaiCompletion, { model: "glm-4.6-coding" })).toEqual({
      id: "msg_B9MHDbslfkBeAs8l4bebGdFOJ6PeG",
      type: "message",
      role: "assistant",
      model: "glm-4.6-coding",
      content: [
        { type: "thinking", thinking: "Both files matter.", signature: "" },
        { type: "text", text: "Reading both files." },
        { type: "tool_use", id: "call_abc123", name: "read_file", input: { path: "a.ts" } },
        { type: "tool_use", id: "call_def456", name: "read_file", input: { path: "b.ts" } },
      ],
      stop_reason: "tool_use",
      stop_sequence: null,
      usage: { input_tokens: 150, output_tokens: 45, cache_read_input_tokens: 2000, cache_creation_input_tokens: 0 },
    });
  });

  it('GATE-1: finish reasons map to stop reasons; a server that answers tool calls with "stop" still yields tool_use', () => {
    const stop = (finish_reason: string, message: Json = { role: "assistant", content: "ok" }) =>
      toAnthropicResponse({ ...openaiCompletion, choices: [{ index: 0, message, finish_reason }] }).stop_reason;
    expect([stop("stop"), stop("length"), stop("tool_calls"), stop("content_filter")]).toEqual([
      "end_turn",
      "max_tokens",
      "tool_use",
      "refusal",
    ]);
    expect(stop("stop", (openaiCompletion.choices as Json[])[0].message as Json)).toBe("tool_use");
    const plain = toAnthropicResponse({
      id: "x1",
      choices: [{ index: 0, message: { role: "assistant", content: "Hi" }, finish_reason: "stop" }],
    });
    expect(plain).toMatchObject({
      id: "msg_x1",
      content: [{ type: "text", text: "Hi" }],
      usage: { input_tokens: 0, output_tokens: 0 },
    });
  });

  it("GATE-1: a two-step tool loop in Anthropic's shape translates to OpenAI's and back with the ids unchanged", () => {
    // Step 1: Claude Code asks; the OpenAI server answers with a tool call.
    const first = toOpenaiRequest(asJson(claudeCodeRequest));
    expect(first.messages).toBeInstanceOf(Array);
    const answer = toAnthropicResponse(openaiCompletion);
    const calls = (answer.content as Json[]).filter((b) => b.type === "tool_use");
    expect(calls.map((b) => b.id)).toEqual(["call_abc123", "call_def456"]);
    // Step 2: Claude Code sends the answer back with the tool results; the OpenAI server sees its own ids.
    const second = toOpenaiRequest({
      model: "claude-sonnet-4-5",
      max_tokens: 1000,
      messages: [
        { role: "user", content: "Read a.ts and b.ts" },
        { role: "assistant", content: answer.content },
        {
          role: "user",
          content: calls.map((c) => ({
            type: "tool_result",
            tool_use_id: c.id,
            content: `contents of ${(c.input as Json).path}`,
          })),
        },
      ],
    });
    const msgs = second.messages as Json[];
    expect((msgs[1].tool_calls as Json[]).map((c) => c.id)).toEqual(["call_abc123", "call_def456"]);
    expect(msgs.slice(2)).toEqual([
      { role: "tool", tool_call_id: "call_abc123", content: "contents of a.ts" },
      { role: "tool", tool_call_id: "call_def456", content: "contents of b.ts" },
    ]);
    // And the OpenAI-shaped history translates back to Anthropic with the same ids.
    const back = toAnthropicRequest(second);
    const turns = back.messages as Json[];
    expect((turns[1].content as Json[]).filter((b) => b.type === "tool_use").map((b) => b.id)).toEqual([
      "call_abc123",
      "call_def456",
    ]);
    expect((turns[2].content as Json[]).map((b) => b.tool_use_id)).toEqual(["call_abc123", "call_def456"]);
  });

  it("GATE-1: the official SDKs read the translated answers (tool calls, usage)", async () => {
    const openai = new OpenAI({
      apiKey: "k",
      baseURL: "http://gateway.test/v1",
      fetch: async () => Response.json(toOpenaiResponse(anthropicMessage, { model: "m", now: NOW })),
    });
    const completion = await openai.chat.completions.create({
      model: "m",
      messages: [{ role: "user", content: "go" }],
    });
    expect(completion.choices[0].message.tool_calls?.[0]).toMatchObject({
      id: "toolu_01D7FLrfh4GYq7yT1ULFeyMV",
      function: { name: "Bash" },
    });
    expect(completion.usage?.prompt_tokens_details?.cached_tokens).toBe(2000);

    const anthropic = new Anthropic({
      apiKey: "k",
      baseURL: "http://gateway.test",
      fetch: async () => Response.json(toAnthropicResponse(openaiCompletion, { model: "m" })),
    });
    const message = await anthropic.messages.create({
      model: "m",
      max_tokens: 100,
      messages: [{ role: "user", content: "go" }],
    });
    const toolUses = message.content.filter((b) => b.type === "tool_use");
    expect(toolUses.map((b) => b.id)).toEqual(["call_abc123", "call_def456"]);
    expect(message.usage).toMatchObject({ input_tokens: 150, cache_read_input_tokens: 2000, output_tokens: 45 });
  });
});
