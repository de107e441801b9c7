import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startModelServer, type ModelServer } from "../support/model-server";

/**
 * The scripted model server that the gateway's integration tests point the
 * gateway at: its answers must be what the official SDKs accept, or those
 * tests would prove nothing.
 */

let server: ModelServer;
let anthropic: Anthropic;
let openai: OpenAI;

beforeAll(async () => {
  server = await startModelServer();
  anthropic = new Anthropic({ apiKey: "sk-ant-test", baseURL: server.url, maxRetries: 0 });
  openai = new OpenAI({ apiKey: "sk-test", baseURL: `${server.url}/v1`, maxRetries: 0 });
});
afterAll(() => server.close());
beforeEach(() => {
  server.seen.length = 0;
  server.script(() => ({ text: "scripted hello there" }));
});

const tools: Anthropic.Tool[] = [
  {
    name: "Read",
    input_schema: { type: "object", properties: { file_path: { type: "string" } }, required: ["file_path"] },
  },
];
const readCall = {
  toolCall: { name: "Read", input: { file_path: "/tmp/x/notes.txt", offset: 10 } },
  text: "Reading it.",
  usage: { input: 7, output: 3, cacheRead: 100, cacheCreation: 20 },
};

/** Raw events of a streamed POST, read until the body ends or breaks. */
async function rawEvents(path: string, body: object): Promise<{ events: string[]; error: unknown }> {
  const res = await fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  let text = "";
  let error: unknown = null;
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>)
      text += Buffer.from(chunk).toString("utf8");
  } catch (e) {
    error = e;
  }
  return { events: text.split("\n\n").filter(Boolean), error };
}

describe("GATE-1: the scripted model server speaks both wires as the SDKs expect", () => {
  it("GATE-1: Anthropic text and a tool call, streamed and not, parse with @anthropic-ai/sdk; requests are recorded", async () => {
    const text = await anthropic.messages
      .stream(
        { model: "glm-4.7", max_tokens: 50, messages: [{ role: "user", content: "hi" }] },
        { query: { beta: "true" } },
      )
      .finalMessage();
    expect(text.content).toMatchObject([{ type: "text", text: "scripted hello there" }]);
    expect(text.usage).toMatchObject({ input_tokens: 10, output_tokens: 5, cache_read_input_tokens: 0 });
    expect(server.seen[0]).toMatchObject({
      wire: "anthropic",
      path: "/v1/messages?beta=true",
      body: { model: "glm-4.7", stream: true },
    });
    // @anthropic-ai/sdk 1.x sends the key as a bearer token; older clients send x-api-key.
    expect(server.seen[0].headers.authorization ?? `Bearer ${server.seen[0].headers["x-api-key"]}`).toBe(
      "Bearer sk-ant-test",
    );

    server.script(() => readCall);
    const deltas: string[] = [];
    const stream = anthropic.messages.stream({
      model: "glm-4.7",
      max_tokens: 50,
      tools,
      messages: [{ role: "user", content: "read" }],
    });
    stream.on("inputJson", (partial) => void deltas.push(partial));
    const call = await stream.finalMessage();
    expect(deltas.filter(Boolean).length).toBeGreaterThanOrEqual(2);
    expect(call.stop_reason).toBe("tool_use");
    expect(call.content[1]).toMatchObject({ type: "tool_use", name: "Read", input: readCall.toolCall.input });
    expect(call.usage).toMatchObject({
      input_tokens: 7,
      output_tokens: 3,
      cache_read_input_tokens: 100,
      cache_creation_input_tokens: 20,
    });
    const plain = await anthropic.messages.create({
      model: "glm-4.7",
      max_tokens: 50,
      tools,
      messages: [{ role: "user", content: "read" }],
    });
    expect(plain.content.map((b) => b.type)).toEqual(["text", "tool_use"]);
  });

  it("GATE-1: OpenAI text and a tool call, streamed and not, parse with openai; usage chunk only with include_usage", async () => {
    const text = await openai.chat.completions.create({
      model: "glm-4.7",
      messages: [{ role: "user", content: "hi" }],
    });
    expect(text.choices[0].message.content).toBe("scripted hello there");
    expect(server.seen[0]).toMatchObject({ wire: "openai", path: "/v1/chat/completions" });
    expect(server.seen[0].headers.authorization).toBe("Bearer sk-test");

    server.script(() => readCall);
    const final = await openai.chat.completions
      .stream({
        model: "glm-4.7",
        messages: [{ role: "user", content: "read" }],
        stream_options: { include_usage: true },
      })
      .finalChatCompletion();
    const tc = final.choices[0].message.tool_calls?.[0];
    expect(final.choices[0].finish_reason).toBe("tool_calls");
    expect(tc?.type === "function" && JSON.parse(tc.function.arguments)).toEqual(readCall.toolCall.input);
    expect(final.usage).toMatchObject({
      prompt_tokens: 127,
      completion_tokens: 3,
      prompt_tokens_details: { cached_tokens: 100 },
    });

    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const c of await openai.chat.completions.create({
      model: "glm-4.7",
      messages: [{ role: "user", content: "read" }],
      stream: true,
    }))
      chunks.push(c);
    expect(chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []).length).toBeGreaterThanOrEqual(3);
    expect(chunks.some((c) => c.usage)).toBe(false);
  });
});

describe("GATE-3: the scripted model server fails on demand", () => {
  it("GATE-3: `status` answers an error in the wire's shape and status", async () => {
    server.script(() => ({ status: 400 }));
    const a = await anthropic.messages
      .create({ model: "m", max_tokens: 5, messages: [{ role: "user", content: "x" }] })
      .catch((e: unknown) => e);
    expect(a).toBeInstanceOf(Anthropic.BadRequestError);
    expect((a as InstanceType<typeof Anthropic.BadRequestError>).error).toMatchObject({
      type: "error",
      error: { type: "invalid_request_error" },
    });
    server.script(() => ({ status: 529 }));
    const o = await openai.chat.completions
      .create({ model: "m", messages: [{ role: "user", content: "x" }] })
      .catch((e: unknown) => e);
    expect(o).toBeInstanceOf(OpenAI.APIError);
    expect((o as InstanceType<typeof OpenAI.APIError>).status).toBe(529);
  });

  it("GATE-3: `cutAfterEvents` sends that many whole events, then breaks the connection", async () => {
    server.script(() => ({ text: "one two three four five", cutAfterEvents: 4 }));
    const a = await rawEvents("/v1/messages", { model: "m", max_tokens: 5, stream: true, messages: [] });
    expect(a.events.map((e) => e.split("\n")[0])).toEqual([
      "event: message_start",
      "event: content_block_start",
      "event: ping",
      "event: content_block_delta",
    ]);
    expect(a.error).toBeTruthy();
    const o = await rawEvents("/chat/completions", { model: "m", stream: true, messages: [] });
    expect(o.error).toBeTruthy();
    expect(o.events).toHaveLength(4);
    const sdk = anthropic.messages.stream({ model: "m", max_tokens: 5, messages: [{ role: "user", content: "x" }] });
    await expect(sdk.finalMessage()).rejects.toThrow();
  });

  it("GATE-3: `hang` never answers and `delayMs` holds the first byte back", async () => {
    server.script(() => ({ hang: true }));
    await expect(
      fetch(`${server.url}/v1/messages`, { method: "POST", body: "{}", signal: AbortSignal.timeout(150) }),
    ).rejects.toThrow();
    server.script(() => ({ text: "late", delayMs: 200 }));
    const started = Date.now();
    const res = await fetch(`${server.url}/v1/chat/completions`, {
      method: "POST",
      body: JSON.stringify({ model: "m", messages: [] }),
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(await res.json()).toMatchObject({ choices: [{ message: { content: "late" } }] });
  });
});
