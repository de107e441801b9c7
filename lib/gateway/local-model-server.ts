import { anthropicEvents, anthropicMessage } from "./local-model-anthropic";
import { openaiChunks, openaiCompletion } from "./local-model-openai";
import { localReply } from "./local-model-reply";
import { readPrompt } from "./local-model-request";
import { frameStream } from "./local-model-stream";
import type { Json, Wire } from "./wire";

const EVENT_STREAM = { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" };

/**
 * The built-in model for when no model server is configured (never in
 * production, GATE-2), so that the demo and the tests run a whole coding
 * agent's loop on one machine. The gateway treats it as a remote model
 * server: it hands over the body it would have POSTed to Anthropic's
 * /v1/messages or OpenAI's /chat/completions and gets back the Response such
 * a server sends, JSON or a stream. It quotes the user, calls a tool only
 * when the user names an offered one, and answers a tool's result in text.
 */
export function localModelServer(wire: Wire, body: Json, signal?: AbortSignal): Response {
  const prompt = readPrompt(wire, body);
  const reply = localReply(wire, prompt);
  // A real server stamps its own clock here; nothing is decided by this value.
  const created = Math.floor(Date.now() / 1000);
  if (wire === "anthropic") {
    const headers = { "request-id": `req_${reply.id.slice(4)}` };
    if (!prompt.stream) return Response.json(anthropicMessage(reply, prompt.model), { headers });
    return new Response(frameStream(anthropicEvents(reply, prompt.model), signal), {
      headers: { ...EVENT_STREAM, ...headers },
    });
  }
  const headers = { "x-request-id": `req_${reply.id.slice(9)}` };
  if (!prompt.stream) return Response.json(openaiCompletion(reply, prompt.model, created), { headers });
  return new Response(frameStream(openaiChunks(reply, prompt.model, created, prompt.includeUsage), signal), {
    headers: { ...EVENT_STREAM, ...headers },
  });
}
