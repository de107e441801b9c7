import { z } from "zod";
import type { Db } from "../db";
import { anthropicMessages } from "../gateway/anthropic-wire";
import type { GatewayDeps } from "../gateway/call";
import { openaiChat } from "../gateway/openai-wire";
import { gatewayRoute } from "../gateway/route";
import { CLIENT_ADDRESS_HEADER } from "../http/client-address";
import { countedRoute, outcomeOf, type OutcomeTally } from "../ops/outcomes";
import { hashKey } from "../quota";
import { baseUrls } from "./settings";

export const testCallInput = z.object({
  wire: z.enum(["openai", "anthropic"]),
  // Our keys are ~50 characters; the bound keeps a pasted novel out of the hash and the request.
  key: z.string().trim().min(1).max(200),
  model: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9][A-Za-z0-9.\-]*$/),
});
export type TestCallInput = z.infer<typeof testCallInput>;

export type TestCallResult =
  | { ok: true; answer: string; model: string; wire: "openai" | "anthropic" }
  | { ok: false; reason: "not_your_key" }
  | { ok: false; reason: "refused"; code: string; status: number; message: string };

const PROMPT = "Reply with one short sentence: is this connection working?";
const MAX_ANSWER_CHARS = 600;

/**
 * CONNECT-1's "test my key": one real model call through the reference
 * gateway, the same handlers the model routes run (key, decision, slot,
 * usage), so what it shows is what the tool will meet: the answer, or the
 * refusal with its code. The key must be one of the asker's own (checked by
 * its hash against the database), so this is no oracle for others' keys.
 * The call carries the asker's own network address (SEC-4: the demo's local
 * responder still answers only on loopback). The key is never logged.
 */
export async function testCall(
  database: Db,
  deps: GatewayDeps,
  tally: () => OutcomeTally,
  who: { userId: string; clientAddress: string; language: string; origin: string },
  input: TestCallInput,
): Promise<TestCallResult> {
  const owned = await database.apiKey.findFirst({
    where: { hash: hashKey(input.key), userId: who.userId },
    select: { id: true },
  });
  if (!owned) return { ok: false, reason: "not_your_key" };
  const base = baseUrls(who.origin);
  const anthropic = input.wire === "anthropic";
  const req = new Request(anthropic ? `${base.anthropic}/v1/messages` : `${base.openai}/chat/completions`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "accept-language": who.language,
      "user-agent": "CodePlan-connect-test/1",
      [CLIENT_ADDRESS_HEADER]: who.clientAddress,
      ...(anthropic
        ? { "x-api-key": input.key, "anthropic-version": "2023-06-01" }
        : { authorization: `Bearer ${input.key}` }),
    },
    body: JSON.stringify({ model: input.model, max_tokens: 64, messages: [{ role: "user", content: PROMPT }] }),
  });
  const handler = anthropic
    ? gatewayRoute("anthropic", (r) => anthropicMessages(deps, r))
    : gatewayRoute("openai", (r) => openaiChat(deps, r));
  const response = await countedRoute(tally, handler)(req);
  const code = await outcomeOf(response);
  const body = (await response.json().catch(() => null)) as Record<string, unknown> | null;
  if (response.ok && body)
    return {
      ok: true,
      answer: answerText(body).slice(0, MAX_ANSWER_CHARS),
      model: String(body.model ?? input.model),
      wire: input.wire,
    };
  const error = (body?.error ?? {}) as { message?: unknown };
  return {
    ok: false,
    reason: "refused",
    code,
    status: response.status,
    message: typeof error.message === "string" ? error.message.slice(0, 400) : "",
  };
}

function answerText(body: Record<string, unknown>): string {
  const choices = body.choices as { message?: { content?: unknown } }[] | undefined;
  if (Array.isArray(choices)) return typeof choices[0]?.message?.content === "string" ? choices[0].message.content : "";
  const content = body.content as { type?: string; text?: string }[] | undefined;
  return Array.isArray(content)
    ? content
        .filter((b) => b.type === "text")
        .map((b) => b.text ?? "")
        .join("")
    : "";
}
