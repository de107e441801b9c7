import { randomUUID } from "node:crypto";
import { buyPack, holdForCall, paygContextFor, settleCall, type PaygContext } from "../../lib/api-billing";
import type { Db } from "../../lib/db";
import { createKey } from "../../lib/quota";
import { makeUser } from "./billing";
import { fakePayments } from "./fake-payments";

/** Shared helpers for the pay-as-you-go tests: a user with a key, packs, and one held-and-settled call. */

export async function apiUser(db: Db, now: Date, opts: { region?: "intl" | "cn" } = {}) {
  const userId = await makeUser(db, now, opts);
  const { secret, key } = await createKey(db, userId, "server", now);
  return { userId, secret, keyId: key.id, port: fakePayments().port };
}

export async function packFor(db: Db, userId: string, product: string, now: Date) {
  const { port } = fakePayments();
  const outcome = await buyPack({ db, now, port }, { userId, productId: product, requestId: randomUUID() });
  if (outcome.status !== "paid") throw new Error(`pack not paid: ${outcome.status}`);
  return db.resourcePack.findFirstOrThrow({ where: { invoiceId: outcome.invoiceId } });
}

export const paygCtx = (db: Db, url: string): PaygContext => paygContextFor(db, url);

/**
 * One call on glm-4.7 whose hold is exactly its fee: P prompt tokens and O
 * output tokens held, and the same settled (USD 0.60 in, 2.20 out per million:
 * 6,000 in + 12,000 out = 0.36 + 2.64 = exactly 3 cents, so it debits 3 and
 * carries nothing, BILL-1).
 */
export const THREE_CENTS = { inputTokens: 6_000, outputTokens: 12_000, cachedTokens: 0 };

export async function exactCall(ctx: PaygContext, secret: string, now: Date, tokens = THREE_CENTS) {
  const requestId = randomUUID();
  const held = await holdForCall(
    ctx,
    { secret, model: "glm-4.7", requestId, promptTokens: tokens.inputTokens, maxOutputTokens: tokens.outputTokens },
    now,
  );
  if ("refusal" in held) return { refused: held.refusal.code, requestId };
  const settlement = await settleCall(ctx, held.hold, tokens, now);
  return { refused: null, requestId, hold: held.hold, settlement };
}

/** The refusal code of a hold for a small call, or null when it was held. */
export async function holdRefusal(ctx: PaygContext, secret: string, now: Date): Promise<string | null> {
  const held = await holdForCall(
    ctx,
    { secret, model: "glm-4.7", requestId: randomUUID(), promptTokens: 10, maxOutputTokens: 10 },
    now,
  );
  return "refusal" in held ? held.refusal.code : null;
}
