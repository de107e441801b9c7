import { randomUUID } from "node:crypto";
import { holdForCall, releaseHold, settleCall, type PaygContext } from "../api-billing";
import type { GatewayDeps, Governed } from "./call";
import { chatText, estimateTokens, type Chat, type Completion } from "./completion";
import { localCompletion } from "./local-responder";
import { upstreamCompletion } from "./upstream";

/**
 * One pay-as-you-go model call (POST /api/paas/v4/chat/completions): hold
 * the most it can cost on the balance (BILL-3, 1113 when it cannot be
 * covered), forward it, and when the answer ends settle its real fee
 * (BILL-1) and release the rest of the hold. No plan quota and no
 * concurrency slot (QUOTA-9): the balance is the limit.
 */
export function paygGovern(payg: PaygContext) {
  return async (deps: GatewayDeps, secret: string | null, chat: Chat, _kind: "prompt" | "vision", signal: AbortSignal): Promise<Governed> => {
    const requestId = randomUUID();
    if (!secret) return { ok: false, requestId, refusal: { code: "missing_key" } };
    const held = await holdForCall(payg, { secret, model: chat.model, requestId, promptTokens: estimateTokens(chatText(chat)), maxOutputTokens: chat.maxTokens }, await deps.now());
    if ("refusal" in held) return { ok: false, requestId, refusal: held.refusal };
    const { hold } = held;
    let completion: Completion;
    try {
      completion = deps.upstream ? await upstreamCompletion(deps.upstream.url, deps.upstream.apiKey, chat, signal) : localCompletion(chat);
    } catch (e) {
      // No answer, no charge.
      await releaseHold(payg, hold).catch(() => {});
      throw e;
    }
    let finished: Promise<void> | null = null;
    const finish = () =>
      (finished ??= (async () => {
        try {
          await settleCall(payg, hold, await completion.usage(), await deps.now());
        } catch (e) {
          // The hold stays and keeps the money aside until it runs out; the log says which call to look at.
          deps.log(`settlement of ${requestId} failed: ${e instanceof Error ? e.message : e}`);
        }
      })());
    return { ok: true, requestId, completion, finish };
  };
}
