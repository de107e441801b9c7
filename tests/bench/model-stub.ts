/**
 * The stub model server of tests/bench/gateway.ts, run as its own process (a
 * real model server is one; in the benchmark's process it would share an
 * event loop with whatever else runs there). POST /v1/chat/completions
 * answers in OpenAI's chunk stream, event for event: a user text gets a tool
 * call (a fresh id, its arguments in three pieces, finish_reason
 * "tool_calls"), tool results get a short text; then the usage chunk when
 * stream_options.include_usage asks for it, then [DONE]. GET /counts tells
 * how many of each it answered.
 *   STUB_PORT=3399 node --import tsx tests/bench/model-stub.ts
 */
import { randomBytes } from "node:crypto";
import http from "node:http";

const counts = { toolCalls: 0, texts: 0 };
// Ids unique across runs and cheap per call: a random stem and a counter.
const stem = randomBytes(6).toString("hex");
let next = 0;

const frame = (data: unknown) => `data: ${JSON.stringify(data)}\n\n`;

function answer(
  res: http.ServerResponse,
  body: { model?: string; messages?: { role?: string }[]; stream_options?: { include_usage?: boolean } },
) {
  const n = (next++).toString(36);
  const id = `chatcmpl-${stem}${n}`;
  const base = { id, object: "chat.completion.chunk", created: 1_767_225_600, model: body.model ?? "glm-4.7" };
  const usage = body.stream_options?.include_usage === true;
  const chunk = (delta: object, finish: string | null = null) =>
    frame({
      ...base,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      ...(usage ? { usage: null } : {}),
    });
  const frames = [chunk({ role: "assistant", content: "" })];
  if (body.messages?.at(-1)?.role === "tool") {
    counts.texts++;
    frames.push(chunk({ content: "The tests pass." }), chunk({}, "stop"));
  } else {
    counts.toolCalls++;
    const call = `call_${stem}${n}`;
    frames.push(
      chunk({ tool_calls: [{ index: 0, id: call, type: "function", function: { name: "run_tests", arguments: "" } }] }),
    );
    for (const args of ['{"comm', 'and":"npm', ' test"}'])
      frames.push(chunk({ tool_calls: [{ index: 0, function: { arguments: args } }] }));
    frames.push(chunk({}, "tool_calls"));
  }
  if (usage)
    frames.push(
      frame({
        ...base,
        choices: [],
        usage: {
          prompt_tokens: 412,
          completion_tokens: 18,
          total_tokens: 430,
          prompt_tokens_details: { cached_tokens: 0 },
        },
      }),
    );
  frames.push("data: [DONE]\n\n");
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  // One write per event, as a model server sends them (each is its own chunk on the wire).
  for (const f of frames) res.write(f);
  res.end();
}

const server = http.createServer((req, res) => {
  if (req.method === "GET" && req.url === "/counts")
    return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(counts));
  if (req.method !== "POST" || req.url !== "/v1/chat/completions") return void res.writeHead(404).end();
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    try {
      answer(res, JSON.parse(Buffer.concat(chunks).toString("utf8")));
    } catch {
      res
        .writeHead(400, { "content-type": "application/json" })
        .end('{"error":{"message":"bad JSON","type":"invalid_request_error"}}');
    }
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.STUB_PORT ?? 3399), "127.0.0.1", () => console.log("stub: listening"));
process.on("SIGTERM", () => process.exit(0));
