import { recordAudit } from "../audit/record";
import { loadCatalog } from "./catalog-load";
import { cancellationWindow } from "./cancellation-window";
import { regionRules } from "./catalog";
import { liveSubscription, lockUser, TX_OPTIONS, type BillingDeps } from "./deps";
import { BillingError } from "./errors";
import { endPastDue } from "./past-due-cancel";

/**
 * SUB-3: cancel turns auto-renewal off, only up to the region's cutoff before
 * the renewal; inside it the refusal names the cutoff time and the renewal
 * goes ahead. The current period stays valid to its end. SUB-7: a past-due
 * subscriber can always cancel, which ends the subscription and stops the
 * retries (past-due-cancel.ts); a banned account can cancel too (its ban
 * already turned auto-renewal off, so it is told so).
 */
export async function cancelSubscription(deps: BillingDeps, userId: string) {
  const catalog = await loadCatalog(deps.db);
  return deps.db.$transaction(async (tx) => {
    await lockUser(tx, userId, { allowBanned: true });
    const sub = await liveSubscription(tx, userId);
    if (sub?.status === "past_due") return endPastDue(tx, sub, userId, deps.now);
    if (!sub || sub.status !== "active") throw new BillingError("no_subscription");
    if (!sub.autoRenew) throw new BillingError("already_canceled");
    const window = cancellationWindow(sub.periodEnd, regionRules(catalog, sub.region).cancelCutoffSeconds, deps.now);
    if (!window.allowed) throw new BillingError("inside_cutoff", { cutoffAt: window.cutoffAt.toISOString() });
    const updated = await tx.subscription.update({
      where: { id: sub.id },
      data: { autoRenew: false, canceledAt: deps.now, updatedAt: deps.now },
    });
    await recordAudit(tx, {
      actorId: userId,
      action: "subscription.cancel",
      subjectType: "subscription",
      subjectId: sub.id,
      after: { endsAt: sub.periodEnd.toISOString() },
      at: deps.now,
    });
    return updated;
  }, TX_OPTIONS);
}

/** SUB-3: resume before the period ends; no stock is needed (SUB-8). */
export async function resumeSubscription(deps: BillingDeps, userId: string) {
  return deps.db.$transaction(async (tx) => {
    await lockUser(tx, userId);
    const sub = await liveSubscription(tx, userId);
    if (!sub || sub.status !== "active") throw new BillingError("no_subscription");
    // Too late to resume: the cancelled period is over and the subscription is about to expire.
    if (deps.now.getTime() >= sub.periodEnd.getTime()) throw new BillingError("period_ended");
    if (sub.autoRenew) throw new BillingError("not_canceled");
    const updated = await tx.subscription.update({
      where: { id: sub.id },
      data: { autoRenew: true, canceledAt: null, updatedAt: deps.now },
    });
    await recordAudit(tx, {
      actorId: userId,
      action: "subscription.resume",
      subjectType: "subscription",
      subjectId: sub.id,
      at: deps.now,
    });
    return updated;
  }, TX_OPTIONS);
}
