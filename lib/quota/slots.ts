import { policySettings } from "../policy/config";
import { effectiveConcurrency } from "../policy/throttle";
import type { QuotaContext } from "./consume";
import type { KeySubject, PlanSubject } from "./subjects";

/** How long a slot is held without being renewed: a caller that crashed frees it after this (QUOTA-8). */
export const SLOT_LEASE_SECONDS_DEFAULT = 120;

export type SlotResult = { acquired: boolean; renewed: boolean; held: number; limit: number };

/**
 * QUOTA-8: take one of the tier's concurrency slots for a call (or renew the
 * lease of the one this request id holds). Over the limit is refused at once;
 * calls never queue. A throttled subscription has fewer (POLICY-1).
 */
export async function acquireSlot(
  ctx: QuotaContext,
  who: { key: KeySubject; plan: PlanSubject },
  requestId: string,
  now: Date,
  leaseSeconds: number,
): Promise<SlotResult> {
  const limit = effectiveConcurrency(who.plan, now, policySettings().throttle);
  const { outcome, held } = await ctx.slots.submit({
    sub: who.plan.subscriptionId,
    key: who.key.keyId,
    requestId,
    limit,
    now,
    leaseUntil: new Date(now.getTime() + leaseSeconds * 1000),
  });
  return { acquired: outcome !== "denied", renewed: outcome === "renewed", held, limit };
}

/** Ends a call's hold on its slot. Releasing twice, or a slot whose lease already ran out, is not an error. */
export async function releaseSlot(ctx: QuotaContext, subscriptionId: string, requestId: string): Promise<boolean> {
  const { rowCount } = await ctx.pool.query({
    name: "quota_release_slot",
    text: 'DELETE FROM "quota_slots" WHERE "subscription_id" = $1 AND "request_id" = $2',
    values: [subscriptionId, requestId],
  });
  return (rowCount ?? 0) > 0;
}

/**
 * Frees the slot a request holds, found by the key that took it: a call whose
 * key was revoked or whose plan ended meanwhile must still give its slot back,
 * or the subscriber's other keys would be refused until the lease runs out.
 */
export async function releaseSlotByKey(ctx: QuotaContext, keyHash: string, requestId: string): Promise<boolean> {
  const { rowCount } = await ctx.pool.query({
    name: "quota_release_slot_by_key",
    text: 'DELETE FROM "quota_slots" s USING "api_keys" k WHERE k."hash" = $1 AND s."key_id" = k."id" AND s."request_id" = $2',
    values: [keyHash, requestId],
  });
  return (rowCount ?? 0) > 0;
}
