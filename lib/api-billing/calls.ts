import type { Db } from "../db";
import type { Refusal } from "../quota/refusals";
import { hashKey } from "../quota/subjects";
import { findModel, modelRules } from "../quota/models";
import { feeMicroFor, type CallTokens } from "./fee";
import type { PaygContext } from "./context";
import { keyCapResetAt } from "./key-cap";
import type { PriceInForce } from "./prices";
import type { Settlement } from "./settle";

export type Hold = {
  userId: string;
  keyId: string;
  requestId: string;
  model: string;
  currency: string;
  price: PriceInForce;
  maxFeeMicro: bigint;
};

/**
 * BILL-3, before a pay-as-you-go call is forwarded: who is calling, what the
 * model costs, and a hold on the balance for the most the call can cost (its
 * prompt, bounded from above by the caller, and its output limit) plus the
 * user's carry, in whole minor units and at least one (BILL-1, holdMinorFor,
 * computed by api_reserve under the user's lock). Refused with 1113 when the
 * balance, less what other calls in flight hold, cannot cover it. Plan quota
 * is not touched (QUOTA-9).
 */
export async function holdForCall(
  ctx: PaygContext,
  input: {
    secret: string;
    /** hashKey(secret), when the caller has it already. */
    keyHash?: string;
    model: string;
    requestId: string;
    /** Never below the model's real count (token-estimate.ts). */ promptTokens: number;
    maxOutputTokens: number | null;
  },
  now: Date,
): Promise<{ hold: Hold } | { refusal: Refusal }> {
  const key = await ctx.cache.key(input.keyHash ?? hashKey(input.secret));
  if (!key) return { refusal: { code: "invalid_key" } };
  // KEY-1: an expired key is refused like a revoked one. Any key may call the
  // general endpoint: QUOTA-9 bills its calls to the balance instead of the plan.
  if (key.expiresAt && key.expiresAt.getTime() <= now.getTime())
    return { refusal: { code: "key_expired", expiredAt: key.expiresAt } };
  const model = findModel(modelRules(), input.model);
  const currency = await ctx.currencyOf(key.userId);
  const price = model && currency ? await ctx.prices.at(model.id, currency, now) : null;
  if (!model || !currency || !price) return { refusal: { code: "unknown_model", model: input.model } };
  const maxFeeMicro = feeMicroFor(
    price,
    {
      inputTokens: input.promptTokens,
      outputTokens: input.maxOutputTokens ?? ctx.defaultMaxOutputTokens,
      cachedTokens: 0,
    },
    price.cachedRatioBps,
  );
  const outcome = await ctx.reserver.submit({
    userId: key.userId,
    currency,
    requestId: input.requestId,
    keyId: key.keyId,
    model: model.id,
    maxFeeMicro,
    now,
    expiresAt: new Date(now.getTime() + ctx.holdMs),
  });
  if (outcome === "banned") return { refusal: { code: "banned" } };
  if (outcome === "insufficient") return { refusal: { code: "insufficient_balance" } };
  if (outcome === "key_daily_cap")
    return { refusal: { code: "key_daily_cap", resetAt: await keyCapResetAt(ctx.pool, key.userId, now) } };
  if (outcome === "duplicate") return { refusal: { code: "bad_request", field: "request_id" } };
  return {
    hold: {
      userId: key.userId,
      keyId: key.keyId,
      requestId: input.requestId,
      model: model.id,
      currency,
      price,
      maxFeeMicro,
    },
  };
}

/** The call produced nothing (the upstream failed): its hold goes, nothing is charged. */
export async function releaseHold(ctx: PaygContext, hold: Hold): Promise<void> {
  await ctx.pool.query({
    name: "api_release",
    text: 'DELETE FROM "api_holds" WHERE "user_id" = $1 AND "request_id" = $2',
    values: [hold.userId, hold.requestId],
  });
}

/** Holds whose callers died stopped counting at their expiry (api_reserve ignores them); the sweep deletes them. */
export async function deleteDeadHolds(database: Db, now: Date): Promise<number> {
  return database.apiHold.deleteMany({ where: { expiresAt: { lte: now } } }).then((r) => r.count);
}

/** After the call: its exact fee (BILL-1, in micro-units, at the price the hold was taken at), settled in a batch (settleCalls). */
export function settleCall(ctx: PaygContext, hold: Hold, tokens: CallTokens, at: Date): Promise<Settlement> {
  const feeMicro = feeMicroFor(hold.price, tokens, hold.price.cachedRatioBps);
  return ctx.settler.submit({
    userId: hold.userId,
    requestId: hold.requestId,
    keyId: hold.keyId,
    model: hold.model,
    currency: hold.currency,
    tokens,
    feeMicro,
    at,
  });
}
