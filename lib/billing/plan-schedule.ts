import { recordAudit } from "../audit/record";
import { liveSubscription, lockUser, TX_OPTIONS, type BillingDeps } from "./deps";
import { BillingError } from "./errors";
import { scheduleChange } from "./plan-change";
import type { Cycle, Tier } from "./types";

/**
 * SUB-5: schedule a downgrade or cycle change for the end of the cycle (one at
 * a time; a new one replaces the old). Asking for the current plan, or
 * `withdraw`, clears it.
 */
export async function schedulePlanChange(
  deps: BillingDeps,
  input: { userId: string; tier: Tier; cycle: Cycle } | { userId: string; withdraw: true },
) {
  return deps.db.$transaction(async (tx) => {
    await lockUser(tx, input.userId);
    const sub = await liveSubscription(tx, input.userId);
    if (!sub || sub.status !== "active") throw new BillingError("no_subscription");
    const change =
      "withdraw" in input
        ? { ok: true as const, scheduledTier: null, scheduledCycle: null }
        : scheduleChange(sub, input);
    if (!change.ok) throw new BillingError("upgrade_is_immediate");
    const updated = await tx.subscription.update({
      where: { id: sub.id },
      data: { scheduledTier: change.scheduledTier, scheduledCycle: change.scheduledCycle, updatedAt: deps.now },
    });
    await recordAudit(tx, {
      actorId: input.userId,
      action: change.scheduledTier ? "subscription.schedule_change" : "subscription.withdraw_change",
      subjectType: "subscription",
      subjectId: sub.id,
      before: { scheduledTier: sub.scheduledTier, scheduledCycle: sub.scheduledCycle },
      after: {
        scheduledTier: change.scheduledTier,
        scheduledCycle: change.scheduledCycle,
        effectiveAt: sub.periodEnd.toISOString(),
      },
      at: deps.now,
    });
    return updated;
  }, TX_OPTIONS);
}
