import { randomUUID } from "node:crypto";
import { holdForCall, releaseHold, settleCall, type PaygContext } from "../api-billing";
import { once, type CallEnd, type Governor } from "./call";

/**
 * A pay-as-you-go call (POST /api/paas/v4/chat/completions): hold the most it
 * can cost on the balance (BILL-3, 1113 when it cannot be covered; the prompt
 * bounded by its UTF-8 bytes, BILL-1), and when
 * it ends settle its real fee (BILL-1) and release the rest of the hold. What
 * the model server reported is settled even when no answer reached the
 * client; nothing is, when it reported nothing and nothing reached the
 * client (GATE-3). No plan quota and no concurrency slot (QUOTA-9): the
 * balance is the limit.
 */
export function paygGovern(payg: PaygContext): Governor {
  return async (deps, secret, facts) => {
    const requestId = randomUUID();
    const held = await holdForCall(
      payg,
      {
        secret,
        keyHash: facts.keyHash,
        model: facts.model,
        requestId,
        promptTokens: facts.promptTokensBound(),
        maxOutputTokens: facts.maxTokens,
      },
      await deps.now(),
    );
    if ("refusal" in held) return { ok: false, requestId, refusal: held.refusal };
    const { hold } = held;
    const end = once(async (e: CallEnd) => {
      try {
        const usage = e.usage ?? (e.delivered ? e.estimate() : null);
        if (!usage) return await releaseHold(payg, hold);
        await settleCall(payg, hold, usage, await deps.now());
      } catch (err) {
        // The hold stays and keeps the money aside until it runs out; the log says which call to look at.
        deps.log(`settlement of ${requestId} failed: ${err instanceof Error ? err.message : err}`);
      }
    });
    return { ok: true, requestId, end };
  };
}
