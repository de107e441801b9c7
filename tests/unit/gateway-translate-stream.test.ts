import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { Stream } from "openai/streaming";
import { describe, expect, it } from "vitest";
import { createStreamTranslator } from "@/lib/gateway/translate";
import type { SseEvent } from "@/lib/gateway/wire";
import {
  anthropicToolStream,
  CALL_GREP,
  CALL_READ,
  openaiToolStream,
  readFrames,
  sseResponse,
} from "./gateway-translate-fixtures";

const NOW = new Date("2026-03-01T08:00:00Z");
const CREATED = Math.floor(NOW.getTime() / 1000);

function translate(
  from: "anthropic" | "openai",
  to: "anthropic" | "openai",
  events: SseEvent[],
  includeUsage = true,
): string[] {
  const t = createStreamTranslator(from, to, { model: "client-model", includeUsage, now: NOW });
  return [...events.flatMap((ev) => t.push(ev)), ...t.end()];
}

/** OpenAI chunks reduced to what a test compares: the delta and the finish reason, or the usage. */
function deltas(frames: string[]) {
  return readFrames(frames).map(({ data }) => {
    if (typeof data === "string") return data;
    const chunk = data as { choices: { delta: unknown; finish_reason: unknown }[]; usage?: unknown; error?: unknown };
    if (chunk.error) return { error: chunk.error };
    return chunk.choices.length
      ? { delta: chunk.choices[0].delta, finish: chunk.choices[0].finish_reason }
      : { usage: chunk.usage };
  });
}

describe("GATE-1 streams, Anthropic -> OpenAI", () => {
  it("GATE-1: thinking, text and a tool call with its arguments in pieces become OpenAI chunks with the id unchanged", () => {
    const frames = translate("anthropic", "openai", anthropicToolStream());
    const chunks = readFrames(frames)
      .filter((f) => f.data !== "[DONE]")
      .map((f) => f.data as Record<string, unknown>);
    expect(new Set(chunks.map((c) => c.id))).toEqual(new Set(["chatcmpl-01XFDUDYJgAACzvnptvVoYEL"]));
    expect(
      chunks.every((c) => c.object === "chat.completion.chunk" && c.created === CREATED && c.model === "client-model"),
    ).toBe(true);
    expect(frames.every((f) => f.startsWith("data: "))).toBe(true);
    expect(deltas(frames)).toEqual([
      { delta: { role: "assistant", content: "" }, finish: null },
      { delta: { reasoning_content: "The test expects a sum; " }, finish: null },
      { delta: { reasoning_content: "the code subtracts." }, finish: null },
      { delta: { content: "The function subtracts. " }, finish: null },
      { delta: { content: "I'll fix it." }, finish: null },
      {
        delta: {
          tool_calls: [
            {
              index: 0,
              id: "toolu_01T1x1fJ34qAmk2tNTrN7Up6",
              type: "function",
              function: { name: "Edit", arguments: "" },
            },
          ],
        },
        finish: null,
      },
      { delta: { tool_calls: [{ index: 0, function: { arguments: '{"file_path": "/repo/sr' } }] }, finish: null },
      {
        delta: { tool_calls: [{ index: 0, function: { arguments: 'c/sum.ts", "old_string": "a - b", ' } }] },
        finish: null,
      },
      { delta: { tool_calls: [{ index: 0, function: { arguments: '"new_string": "a + b"}' } }] }, finish: null },
      { delta: {}, finish: "tool_calls" },
      {
        usage: {
          prompt_tokens: 2195,
          completion_tokens: 89,
          total_tokens: 2284,
          prompt_tokens_details: { cached_tokens: 1800 },
        },
      },
      "[DONE]",
    ]);
  });

  it("GATE-1: without include_usage no usage chunk is sent, and end() after message_stop adds nothing", () => {
    const t = createStreamTranslator("anthropic", "openai", { model: "m", includeUsage: false });
    const frames = anthropicToolStream().flatMap((ev) => t.push(ev));
    expect(deltas(frames).slice(-2)).toEqual([{ delta: {}, finish: "tool_calls" }, "[DONE]"]);
    expect(t.end()).toEqual([]);
  });

  it("GATE-1: the official openai SDK accumulates the translated stream into the tool call and usage", async () => {
    const frames = translate("anthropic", "openai", anthropicToolStream());
    const client = new OpenAI({
      apiKey: "k",
      baseURL: "http://gateway.test/v1",
      fetch: async () => sseResponse(frames),
    });
    const stream = client.chat.completions.stream({
      model: "client-model",
      messages: [{ role: "user", content: "fix it" }],
      stream_options: { include_usage: true },
    });
    const completion = await stream.finalChatCompletion();
    const choice = completion.choices[0];
    expect(choice.finish_reason).toBe("tool_calls");
    expect(choice.message.content).toBe("The function subtracts. I'll fix it.");
    expect(choice.message.tool_calls).toEqual([
      {
        id: "toolu_01T1x1fJ34qAmk2tNTrN7Up6",
        type: "function",
        function: {
          name: "Edit",
          arguments: '{"file_path": "/repo/src/sum.ts", "old_string": "a - b", "new_string": "a + b"}',
        },
      },
    ]);
    expect(completion.usage).toMatchObject({ prompt_tokens: 2195, completion_tokens: 89 });
  });

  it("GATE-1: an Anthropic error event becomes an OpenAI error chunk the SDK throws, then [DONE]", async () => {
    const events = [
      ...anthropicToolStream().slice(0, 4),
      {
        event: "error",
        data: JSON.stringify({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } }),
      },
    ];
    const frames = translate("anthropic", "openai", events);
    expect(deltas(frames).slice(-2)).toEqual([
      { error: { message: "Overloaded", type: "server_error", code: null } },
      "[DONE]",
    ]);
    const stream = Stream.fromSSEResponse(sseResponse(frames), new AbortController());
    await expect(async () => {
      for await (const chunk of stream) void chunk;
    }).rejects.toThrow("Overloaded");
  });

  it("GATE-1: a stream cut before message_stop still ends with a finish reason and [DONE]", () => {
    const t = createStreamTranslator("anthropic", "openai", { model: "m", includeUsage: false });
    const frames = anthropicToolStream()
      .slice(0, 10)
      .flatMap((ev) => t.push(ev));
    expect(deltas(t.end())).toEqual([{ delta: {}, finish: "stop" }, "[DONE]"]);
    expect(frames.length).toBeGreaterThan(0);
  });
});

describe("GATE-1 streams, OpenAI -> Anthropic", () => {
  it("GATE-1: reasoning, text and two streamed tool calls become Anthropic content blocks with the ids unchanged", () => {
    const frames = translate("openai", "anthropic", openaiToolStream());
    const events = readFrames(frames);
    expect(events.every((e) => e.event === (e.data as { type: string }).type)).toBe(true);
    expect(events.map((e) => e.data)).toEqual([
      {
        type: "message_start",
        message: {
          id: "msg_9zQnA4xZ",
          type: "message",
          role: "assistant",
          model: "client-model",
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: 0, output_tokens: 0 },
        },
      },
      { type: "content_block_start", index: 0, content_block: { type: "thinking", thinking: "", signature: "" } },
      { type: "content_block_delta", index: 0, delta: { type: "thinking_delta", thinking: "The error is thrown " } },
      { type: "content_block_delta", index: 0, delta: { type: "thinking_delta", thinking: "in main." } },
      { type: "content_block_stop", index: 0 },
      { type: "content_block_start", index: 1, content_block: { type: "text", text: "" } },
      { type: "content_block_delta", index: 1, delta: { type: "text_delta", text: "Let me read " } },
      { type: "content_block_delta", index: 1, delta: { type: "text_delta", text: "the file." } },
      { type: "content_block_stop", index: 1 },
      {
        type: "content_block_start",
        index: 2,
        content_block: { type: "tool_use", id: CALL_READ, name: "read_file", input: {} },
      },
      { type: "content_block_delta", index: 2, delta: { type: "input_json_delta", partial_json: '{"pa' } },
      { type: "content_block_delta", index: 2, delta: { type: "input_json_delta", partial_json: 'th": "src/' } },
      { type: "content_block_delta", index: 2, delta: { type: "input_json_delta", partial_json: 'app.ts"}' } },
      { type: "content_block_stop", index: 2 },
      {
        type: "content_block_start",
        index: 3,
        content_block: { type: "tool_use", id: CALL_GREP, name: "grep", input: {} },
      },
      {
        type: "content_block_delta",
        index: 3,
        delta: { type: "input_json_delta", partial_json: '{"pattern": "boom"}' },
      },
      { type: "content_block_stop", index: 3 },
      {
        type: "message_delta",
        delta: { stop_reason: "tool_use", stop_sequence: null },
        usage: { input_tokens: 200, output_tokens: 60, cache_read_input_tokens: 1000 },
      },
      { type: "message_stop" },
    ]);
  });

  it("GATE-1: the official Anthropic SDK's MessageStream accumulates the translated stream into the final message", async () => {
    const frames = translate("openai", "anthropic", openaiToolStream());
    const client = new Anthropic({
      apiKey: "k",
      baseURL: "http://gateway.test",
      fetch: async () => sseResponse(frames),
    });
    const message = await client.messages
      .stream({ model: "client-model", max_tokens: 1000, messages: [{ role: "user", content: "why?" }] })
      .finalMessage();
    expect(message.content).toEqual([
      { type: "thinking", thinking: "The error is thrown in main.", signature: "" },
      { type: "text", text: "Let me read the file." },
      { type: "tool_use", id: CALL_READ, name: "read_file", input: { path: "src/app.ts" } },
      { type: "tool_use", id: CALL_GREP, name: "grep", input: { pattern: "boom" } },
    ]);
    expect(message.stop_reason).toBe("tool_use");
    expect(message.usage).toMatchObject({ input_tokens: 200, output_tokens: 60, cache_read_input_tokens: 1000 });
  });

  it("GATE-1: without a usage chunk, [DONE] closes the message; end() afterwards adds nothing", () => {
    const t = createStreamTranslator("openai", "anthropic", { model: "m", includeUsage: false });
    const frames = openaiToolStream({ usageChunk: false }).flatMap((ev) => t.push(ev));
    expect(readFrames(frames.slice(-2)).map((e) => e.data)).toEqual([
      {
        type: "message_delta",
        delta: { stop_reason: "tool_use", stop_sequence: null },
        usage: { input_tokens: 0, output_tokens: 0, cache_read_input_tokens: 0 },
      },
      { type: "message_stop" },
    ]);
    expect(t.end()).toEqual([]);
  });

  it("GATE-1: a stream cut mid tool call is closed by end() with what is known", async () => {
    const cut = openaiToolStream().slice(0, 8);
    const frames = translate("openai", "anthropic", cut);
    expect(readFrames(frames.slice(-3)).map((e) => e.data)).toEqual([
      { type: "content_block_stop", index: 2 },
      {
        type: "message_delta",
        delta: { stop_reason: "tool_use", stop_sequence: null },
        usage: { input_tokens: 0, output_tokens: 0, cache_read_input_tokens: 0 },
      },
      { type: "message_stop" },
    ]);
    const client = new Anthropic({
      apiKey: "k",
      baseURL: "http://gateway.test",
      fetch: async () => sseResponse(frames),
    });
    const message = await client.messages
      .stream({ model: "m", max_tokens: 10, messages: [{ role: "user", content: "x" }] })
      .finalMessage();
    expect(message.content.map((b) => b.type)).toEqual(["thinking", "text", "tool_use"]);
  });

  it("GATE-1: a plain text answer with finish_reason length becomes one text block and max_tokens", () => {
    const chunk = (delta: object, finish_reason: string | null = null) => ({
      data: JSON.stringify({
        id: "chatcmpl-1",
        object: "chat.completion.chunk",
        created: 1,
        model: "x",
        choices: [{ index: 0, delta, finish_reason }],
      }),
    });
    const frames = translate("openai", "anthropic", [
      chunk({ role: "assistant" }),
      chunk({ content: "Hel" }),
      chunk({ content: "lo" }),
      chunk({}, "length"),
      { data: "[DONE]" },
    ]);
    expect(readFrames(frames).map((e) => e.event)).toEqual([
      "message_start",
      "content_block_start",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    expect((readFrames(frames)[5].data as { delta: unknown }).delta).toEqual({
      stop_reason: "max_tokens",
      stop_sequence: null,
    });
  });

  it("GATE-1: calls numbered 0 with distinct ids (some servers) become separate tool_use blocks", () => {
    const chunk = (delta: object, finish_reason: string | null = null) => ({
      data: JSON.stringify({ id: "c", choices: [{ index: 0, delta, finish_reason }] }),
    });
    const frames = translate("openai", "anthropic", [
      chunk({ tool_calls: [{ index: 0, id: "call_a", type: "function", function: { name: "f", arguments: "{}" } }] }),
      chunk({ tool_calls: [{ index: 0, id: "call_b", type: "function", function: { name: "g", arguments: "{}" } }] }),
      chunk({}, "stop"),
      { data: "[DONE]" },
    ]);
    const starts = readFrames(frames)
      .filter((e) => e.event === "content_block_start")
      .map((e) => e.data as { index: number; content_block: { id: string } });
    expect(starts.map((s) => [s.index, s.content_block.id])).toEqual([
      [0, "call_a"],
      [1, "call_b"],
    ]);
    expect(frames.join("")).toContain('"stop_reason":"tool_use"');
  });

  it("GATE-1: an OpenAI error chunk becomes an Anthropic error event that the SDK throws", async () => {
    const frames = translate("openai", "anthropic", [
      ...openaiToolStream().slice(0, 4),
      {
        data: JSON.stringify({
          error: { message: "Rate limit reached for requests", type: "requests", code: "rate_limit_exceeded" },
        }),
      },
    ]);
    const last = readFrames(frames).at(-1);
    expect(last).toEqual({
      event: "error",
      data: { type: "error", error: { type: "rate_limit_error", message: "Rate limit reached for requests" } },
    });
    const client = new Anthropic({
      apiKey: "k",
      baseURL: "http://gateway.test",
      maxRetries: 0,
      fetch: async () => sseResponse(frames),
    });
    await expect(
      client.messages.stream({ model: "m", max_tokens: 10, messages: [{ role: "user", content: "x" }] }).finalMessage(),
    ).rejects.toThrow("Rate limit reached for requests");
  });
});

describe("GATE-1 streams, same wire", () => {
  it("GATE-1: a stream of the client's own wire passes event for event", () => {
    const events = anthropicToolStream();
    expect(translate("anthropic", "anthropic", events)).toEqual(
      events.map((e) => `event: ${e.event}\ndata: ${e.data}\n\n`),
    );
    const chunks = openaiToolStream();
    expect(translate("openai", "openai", chunks)).toEqual(chunks.map((e) => `data: ${e.data}\n\n`));
  });
});
