import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { namedTool, toolArguments } from "../../lib/gateway/local-model-arguments";
import { localModelServer } from "../../lib/gateway/local-model-server";
import type { Json, Wire } from "../../lib/gateway/wire";

// The official SDKs, unmodified, with their HTTP replaced by the local model server.
const route = (wire: Wire) => async (_url: string | URL | Request, init?: RequestInit) =>
  localModelServer(wire, JSON.parse(String(init?.body)), init?.signal ?? undefined);
const anthropic = new Anthropic({ apiKey: "x", baseURL: "http://local", maxRetries: 0, fetch: route("anthropic") });
const openai = new OpenAI({ apiKey: "x", baseURL: "http://local", maxRetries: 0, fetch: route("openai") });

const PROMPT = "Use the Read tool to read /tmp/x/notes.txt";
const RESULT = "alpha beta gamma: the notes";
const fileSchema = {
  type: "object" as const,
  properties: { file_path: { type: "string" }, limit: { type: "integer" } },
  required: ["file_path"],
};
const claudeTools: Anthropic.Tool[] = [
  {
    name: "Bash",
    description: "Runs a command",
    input_schema: { type: "object", properties: { command: { type: "string" } }, required: ["command"] },
  },
  { name: "Read", description: "Reads a file", input_schema: fileSchema },
];
const openaiTools: OpenAI.ChatCompletionTool[] = claudeTools.map((t) => ({
  type: "function",
  function: { name: t.name, description: t.description, parameters: t.input_schema },
}));

async function json(wire: Wire, body: Json): Promise<Json> {
  const res = localModelServer(wire, body);
  expect(res.status).toBe(200);
  return (await res.json()) as Json;
}

/** The frames of a streamed answer, each split into its event name and parsed data. */
async function frames(res: Response): Promise<{ event?: string; data: string }[]> {
  const text = await res.text();
  expect(text.endsWith("\n\n")).toBe(true);
  return text
    .slice(0, -2)
    .split("\n\n")
    .map((f) => {
      const event = /^event: (.*)$/m.exec(f)?.[1];
      return { event, data: /^data: (.*)$/m.exec(f)?.[1] ?? "" };
    });
}

describe("GATE-1: the local responder on Anthropic's messages wire", () => {
  const base = { model: "glm-4.7", max_tokens: 1024, tools: claudeTools };

  it("GATE-1: the local responder calls the tool the prompt names once, with the path from the prompt, then answers from its result (not streamed)", async () => {
    const messages: Anthropic.MessageParam[] = [{ role: "user", content: PROMPT }];
    const call = await anthropic.messages.create({ ...base, messages });
    expect(call.stop_reason).toBe("tool_use");
    const uses = call.content.filter((b) => b.type === "tool_use");
    expect(uses).toHaveLength(1);
    expect(uses[0]).toMatchObject({ name: "Read", input: { file_path: "/tmp/x/notes.txt" } });
    expect(uses[0].id).toMatch(/^toolu_\w+$/);
    expect(call.usage).toMatchObject({ cache_read_input_tokens: 0, cache_creation_input_tokens: 0 });

    messages.push(
      { role: "assistant", content: call.content },
      { role: "user", content: [{ type: "tool_result", tool_use_id: uses[0].id, content: RESULT }] },
    );
    const final = await anthropic.messages.create({ ...base, messages });
    expect(final.stop_reason).toBe("end_turn");
    expect(final.content.map((b) => b.type)).toEqual(["text"]);
    expect(final.content[0].type === "text" && final.content[0].text).toBe(`The Read tool returned: ${RESULT}`);
  });

  it("GATE-1: the same tool loop streamed: the SDK accumulates text deltas and the call's partial JSON into the same messages", async () => {
    const messages: Anthropic.MessageParam[] = [{ role: "user", content: PROMPT }];
    const stream = anthropic.messages.stream({ ...base, messages });
    const deltas: string[] = [];
    stream.on("streamEvent", (e) => void (e.type === "content_block_delta" && deltas.push(e.delta.type)));
    const call = await stream.finalMessage();
    expect(deltas.filter((d) => d === "input_json_delta").length).toBeGreaterThanOrEqual(3);
    expect(deltas.filter((d) => d === "text_delta").length).toBeGreaterThanOrEqual(2);
    const use = call.content.find((b) => b.type === "tool_use");
    expect(call.stop_reason).toBe("tool_use");
    expect(use).toMatchObject({ type: "tool_use", name: "Read", input: { file_path: "/tmp/x/notes.txt" } });
    if (use?.type !== "tool_use") throw new Error("no tool call");

    messages.push(
      { role: "assistant", content: call.content },
      {
        role: "user",
        content: [{ type: "tool_result", tool_use_id: use.id, content: [{ type: "text", text: RESULT }] }],
      },
    );
    const final = await anthropic.messages.stream({ ...base, messages }).finalMessage();
    expect(final.stop_reason).toBe("end_turn");
    expect(final.content).toHaveLength(1);
    expect(final.content[0]).toMatchObject({ type: "text", text: `The Read tool returned: ${RESULT}` });
    expect(final.usage.output_tokens).toBeGreaterThan(0);
  });

  it("GATE-1: a streamed answer is Anthropic's event sequence, each frame `event: <type>` then `data: <json>`", async () => {
    const fs = await frames(
      localModelServer("anthropic", { ...base, stream: true, messages: [{ role: "user", content: PROMPT }] }),
    );
    for (const f of fs) expect(JSON.parse(f.data).type).toBe(f.event);
    const types = fs.map((f) => f.event);
    expect(types[0]).toBe("message_start");
    expect(types.slice(-2)).toEqual(["message_delta", "message_stop"]);
    expect(types.filter((t) => t === "content_block_start")).toHaveLength(2);
    expect(types.filter((t) => t === "content_block_stop")).toHaveLength(2);
    const last = JSON.parse(fs.at(-2)!.data);
    expect(last.delta.stop_reason).toBe("tool_use");
    expect(last.usage.output_tokens).toBeGreaterThan(1);
  });

  it("GATE-1: accepts what Claude Code sends: system blocks with cache_control, a system-role message, an image, a thinking block with its signature, metadata, unknown fields", async () => {
    const body = {
      model: "glm-4.7",
      max_tokens: 32000,
      stream: false,
      system: [{ type: "text", text: "You are Claude Code.", cache_control: { type: "ephemeral" } }],
      metadata: { user_id: "u-1" },
      thinking: { type: "adaptive" },
      context_management: { edits: [] },
      output_config: { effort: "high" },
      some_future_field: { x: 1 },
      tools: claudeTools,
      messages: [
        {
          role: "user",
          content: [
            { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=".repeat(100) } },
            { type: "text", text: "first" },
          ],
        },
        {
          role: "assistant",
          content: [
            { type: "thinking", thinking: "Let me think.", signature: "EqQBCkYIBxgCKkD" },
            { type: "text", text: "ok" },
          ],
        },
        { role: "system", content: "The user switched to plan mode." },
        {
          role: "user",
          content: [
            { type: "text", text: "<system-reminder>Use the Read tool on /etc/x.txt</system-reminder>" },
            { type: "text", text: "hello there", cache_control: { type: "ephemeral" } },
          ],
        },
      ],
    };
    const m = await json("anthropic", body);
    expect(m).toMatchObject({
      type: "message",
      role: "assistant",
      model: "glm-4.7",
      stop_reason: "end_turn",
      stop_sequence: null,
    });
    // The reminder is the tool's note, not the user's words: no tool call, and the quote is the user's.
    expect(m.content).toEqual([
      { type: "text", text: `Hello from CodePlan's local responder (glm-4.7). You said: "hello there"` },
    ]);
    const streamed = await anthropic.messages
      .stream({ ...body, stream: undefined } as unknown as Anthropic.MessageStreamParams)
      .finalMessage();
    expect(streamed.content[0].type === "text" && streamed.content[0].text).toContain("hello there");
  });
});

describe("GATE-1: the local responder on OpenAI's chat-completions wire", () => {
  const base = { model: "glm-4.7", tools: openaiTools };

  it("GATE-1: the local responder calls the tool the prompt names once, with the path from the prompt, then answers from its result (not streamed)", async () => {
    const messages: OpenAI.ChatCompletionMessageParam[] = [
      { role: "system", content: "You are a coding agent." },
      { role: "user", content: PROMPT },
    ];
    const call = await openai.chat.completions.create({ ...base, messages });
    const choice = call.choices[0];
    expect(choice.finish_reason).toBe("tool_calls");
    expect(choice.message.tool_calls).toHaveLength(1);
    const tc = choice.message.tool_calls![0];
    expect(tc.type === "function" && tc.function.name).toBe("Read");
    expect(tc.type === "function" && JSON.parse(tc.function.arguments)).toEqual({ file_path: "/tmp/x/notes.txt" });
    expect(tc.id).toMatch(/^call_\w+$/);
    expect(call.usage).toMatchObject({ prompt_tokens_details: { cached_tokens: 0 } });
    expect(call.usage!.total_tokens).toBe(call.usage!.prompt_tokens + call.usage!.completion_tokens);

    messages.push(choice.message, { role: "tool", tool_call_id: tc.id, content: RESULT });
    const final = await openai.chat.completions.create({ ...base, messages });
    expect(final.choices[0].finish_reason).toBe("stop");
    expect(final.choices[0].message.tool_calls ?? []).toHaveLength(0);
    expect(final.choices[0].message.content).toBe(`The Read tool returned: ${RESULT}`);
  });

  it("GATE-1: the same tool loop streamed: the SDK accumulates content pieces and the call's argument pieces", async () => {
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: "user", content: PROMPT }];
    const call = await openai.chat.completions.stream({ ...base, messages }).finalChatCompletion();
    const tc = call.choices[0].message.tool_calls?.[0];
    expect(call.choices[0].finish_reason).toBe("tool_calls");
    expect(tc?.type === "function" && JSON.parse(tc.function.arguments)).toEqual({ file_path: "/tmp/x/notes.txt" });

    messages.push(call.choices[0].message as OpenAI.ChatCompletionAssistantMessageParam, {
      role: "tool",
      tool_call_id: tc!.id,
      content: RESULT,
    });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const c of await openai.chat.completions.create({
      ...base,
      messages,
      stream: true,
      stream_options: { include_usage: true },
    }))
      chunks.push(c);
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? "").join("");
    expect(text).toBe(`The Read tool returned: ${RESULT}`);
    expect(chunks.some((c) => c.choices[0]?.delta.tool_calls)).toBe(false);
    expect(chunks.at(-2)?.choices[0].finish_reason).toBe("stop");
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens_details: { cached_tokens: 0 } } });
  });

  it("GATE-1: a streamed answer is chat.completion.chunk frames: role, pieces, the call with its arguments over several chunks, finish, usage only when asked, then [DONE]", async () => {
    const body = { ...base, stream: true, messages: [{ role: "user", content: PROMPT }] };
    const withUsage = await frames(localModelServer("openai", { ...body, stream_options: { include_usage: true } }));
    expect(withUsage.at(-1)).toEqual({ event: undefined, data: "[DONE]" });
    const chunks = withUsage.slice(0, -1).map((f) => JSON.parse(f.data));
    expect(chunks[0].choices[0].delta.role).toBe("assistant");
    const calls = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(calls[0]).toMatchObject({ index: 0, type: "function", function: { name: "Read", arguments: "" } });
    expect(calls.length).toBeGreaterThanOrEqual(3);
    expect(calls.map((c) => c.function.arguments).join("")).toBe(JSON.stringify({ file_path: "/tmp/x/notes.txt" }));
    expect(chunks.at(-2).choices[0].finish_reason).toBe("tool_calls");
    expect(chunks.at(-1)).toMatchObject({
      object: "chat.completion.chunk",
      choices: [],
      usage: { prompt_tokens: expect.any(Number) },
    });

    const without = await frames(localModelServer("openai", body));
    expect(without.map((f) => f.data).filter((d) => d.includes('"usage"'))).toEqual([]);
  });

  it("GATE-1: accepts a system message, image parts, tool_choice, stream_options and unknown fields", async () => {
    const c = await json("openai", {
      model: "glm-4.7",
      tool_choice: "auto",
      parallel_tool_calls: false,
      some_future_field: true,
      tools: openaiTools,
      messages: [
        { role: "system", content: [{ type: "text", text: "Be brief." }] },
        {
          role: "user",
          content: [
            { type: "image_url", image_url: { url: `data:image/png;base64,${"A".repeat(4000)}` } },
            { type: "text", text: "what is this?" },
          ],
        },
      ],
    });
    expect(c).toMatchObject({
      object: "chat.completion",
      model: "glm-4.7",
      choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant" } }],
    });
    expect(JSON.stringify(c)).toContain("what is this?");
  });
});

describe("GATE-1: the local responder never calls a tool unprompted", () => {
  const plain = (model: string, said: string) =>
    `Hello from CodePlan's local responder (${model}). You said: "${said}"`;

  it("GATE-1: a prompt that names no offered tool gets the plain reply quoting the user, on both wires", async () => {
    const a = await anthropic.messages.create({
      model: "glm-4.7",
      max_tokens: 100,
      tools: claudeTools,
      messages: [{ role: "user", content: "hello there" }],
    });
    expect(a.stop_reason).toBe("end_turn");
    expect(a.content).toEqual([{ type: "text", text: plain("glm-4.7", "hello there") }]);
    const o = await openai.chat.completions.create({
      model: "glm-4.7",
      tools: openaiTools,
      messages: [{ role: "user", content: "hello there" }],
    });
    expect(o.choices[0].finish_reason).toBe("stop");
    expect(o.choices[0].message.content).toBe(plain("glm-4.7", "hello there"));
  });

  it("GATE-1: naming a tool that is not offered, or with tool_choice none, gets a plain reply too", async () => {
    const a = await json("anthropic", { model: "m", max_tokens: 100, messages: [{ role: "user", content: PROMPT }] });
    expect(a.stop_reason).toBe("end_turn");
    const none = await json("anthropic", {
      model: "m",
      max_tokens: 100,
      tools: claudeTools,
      tool_choice: { type: "none" },
      messages: [{ role: "user", content: PROMPT }],
    });
    expect(none.stop_reason).toBe("end_turn");
    const o = await json("openai", {
      model: "m",
      tools: openaiTools,
      tool_choice: "none",
      messages: [{ role: "user", content: PROMPT }],
    });
    expect(o).toMatchObject({ choices: [{ finish_reason: "stop" }] });
    const readme = await json("anthropic", {
      model: "m",
      max_tokens: 100,
      tools: claudeTools,
      messages: [{ role: "user", content: "Improve the README.md" }],
    });
    expect(readme.stop_reason).toBe("end_turn");
  });
});

describe("GATE-1: token counts and limits", () => {
  it("BILL-1: a CJK prompt counts at least a token a character (never below the real count), on both wires", async () => {
    const cjk = "请帮我重构这个函数并解释每一步的原因".repeat(20);
    const chars = [...cjk].length;
    const a = await anthropic.messages.create({
      model: "glm-4.7",
      max_tokens: 100,
      messages: [{ role: "user", content: cjk }],
    });
    expect(a.usage.input_tokens).toBeGreaterThanOrEqual(chars);
    const o = await openai.chat.completions.create({ model: "glm-4.7", messages: [{ role: "user", content: cjk }] });
    expect(o.usage!.prompt_tokens).toBeGreaterThanOrEqual(chars);
  });

  it("GATE-1: max_tokens cuts the reply: stop_reason max_tokens / finish_reason length, output within the limit", async () => {
    const a = await anthropic.messages.create({
      model: "glm-4.7",
      max_tokens: 5,
      messages: [{ role: "user", content: "hello there" }],
    });
    expect(a.stop_reason).toBe("max_tokens");
    expect(a.usage.output_tokens).toBeLessThanOrEqual(5);
    const o = await openai.chat.completions.create({
      model: "glm-4.7",
      max_completion_tokens: 5,
      messages: [{ role: "user", content: "hello there" }],
    });
    expect(o.choices[0].finish_reason).toBe("length");
    expect(o.usage!.completion_tokens).toBeLessThanOrEqual(5);
  });

  it("GATE-1: an aborted request stops the stream", async () => {
    const controller = new AbortController();
    const res = localModelServer(
      "anthropic",
      {
        model: "m",
        max_tokens: 100,
        stream: true,
        messages: [{ role: "user", content: "a long enough prompt to stream" }],
      },
      controller.signal,
    );
    const reader = res.body!.getReader();
    expect((await reader.read()).done).toBe(false);
    controller.abort();
    await expect(reader.read()).rejects.toThrow();
  });
});

describe("GATE-1: tool arguments come from the prompt, shaped by the tool's schema", () => {
  const tool = (name: string, schema: Json) => ({ name, schema });

  it("GATE-1: a command comes from backticks or after a colon; numbers, booleans and enums follow their types", () => {
    const bash = tool("Bash", {
      type: "object",
      properties: { command: { type: "string" }, timeout: { type: "number" }, background: { type: "boolean" } },
      required: ["command", "timeout", "background"],
    });
    expect(toolArguments(bash, "Use Bash to run: ls -la /tmp")).toEqual({
      command: "ls -la /tmp",
      timeout: 1,
      background: false,
    });
    expect(toolArguments(bash, "Run `npm test` with Bash, timeout 300")).toEqual({
      command: "npm test",
      timeout: 300,
      background: false,
    });
    expect(toolArguments(bash, `Use Bash to run: echo '{"a":1}'`)).toEqual({
      command: `echo '{"a":1}'`,
      timeout: 1,
      background: false,
    });
    const grep = tool("Grep", {
      type: "object",
      properties: {
        pattern: { type: "string" },
        output_mode: { type: "string", enum: ["content", "files_with_matches", "count"] },
      },
      required: ["pattern", "output_mode"],
    });
    expect(toolArguments(grep, 'Use Grep to count "TODO" in the repo')).toEqual({
      pattern: "TODO",
      output_mode: "count",
    });
    expect(toolArguments(grep, "Use Grep for fixme")).toEqual({ pattern: "for fixme", output_mode: "content" });
  });

  it("GATE-1: a JSON object in the prompt is the arguments; with nothing required the first property is filled", () => {
    const edit = tool("Edit", {
      type: "object",
      properties: { file_path: { type: "string" }, old_string: { type: "string" } },
      required: ["file_path", "old_string"],
    });
    expect(toolArguments(edit, 'Call Edit with {"file_path": "/a.ts", "old_string": "x", "new_string": "y"}')).toEqual({
      file_path: "/a.ts",
      old_string: "x",
      new_string: "y",
    });
    const ls = tool("LS", { type: "object", properties: { dir: { type: "string" }, depth: { type: "integer" } } });
    expect(toolArguments(ls, "Run LS on src/lib please")).toEqual({ dir: "src/lib" });
    expect(toolArguments(tool("Read", fileSchema), "用 Read 读取 `notes.txt`。")).toEqual({ file_path: "notes.txt" });
    expect(toolArguments(tool("Read", fileSchema), "用Read工具读取`/tmp/笔记.md`的内容")).toEqual({
      file_path: "/tmp/笔记.md",
    });
  });

  it("GATE-1: a tool is named as a whole word, case-insensitive, and the first one named wins", () => {
    const tools = [tool("Read", {}), tool("Write", {}), tool("web-reader", {})];
    expect(namedTool(tools, "please READ it")?.name).toBe("Read");
    expect(namedTool(tools, "Write it, then read it")?.name).toBe("Write");
    expect(namedTool(tools, "ask web-reader")?.name).toBe("web-reader");
    expect(namedTool(tools, "the Readme and the Reader")).toBeNull();
    expect(namedTool(tools, "use reader-web")).toBeNull();
  });
});

describe("GATE-1: the local responder's arguments", () => {
  it("GATE-1: a prompt wrapped whole in quotes (as OpenCode sends it) is not taken for a quoted argument", async () => {
    const { toolArguments } = await import("../../lib/gateway/local-model-arguments");
    const grep = {
      name: "grep",
      description: "",
      schema: { type: "object", properties: { pattern: { type: "string" } }, required: ["pattern"] },
    };
    expect(toolArguments(grep, '"Use the grep tool to search for "PURPLE" in the notes"')).toEqual({
      pattern: "PURPLE",
    });
    expect(toolArguments(grep, '"Use the grep tool to search for `PURPLE`"')).toEqual({ pattern: "PURPLE" });
  });
});
