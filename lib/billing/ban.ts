import type { Tx } from "../db";

/**
 * SUB-7: a ban (POLICY-2's third violation, REF-5's referral-fraud ban) turns
 * auto-renewal off at once, in the ban's own transaction, so no renewal is
 * ever issued for the account again. A renewal already in dunning is due
 * again now: the next dunning sweep hands it to the charge guard, which ends
 * it without charging (charge-guard.ts). Kept free of other billing imports so
 * the banning contexts (policy, referrals) can call it without a cycle.
 */
export async function stopChargesOnBan(tx: Tx, userId: string, now: Date, actorId: string | null) {
  // SEC-1: the ban ends every session too, so lifting it later does not bring old sessions back.
  await tx.user.update({ where: { id: userId }, data: { sessionVersion: { increment: 1 } } });
  const stopped = await tx.subscription.updateManyAndReturn({
    where: { userId, status: { not: "expired" }, autoRenew: true },
    data: { autoRenew: false, canceledAt: now, updatedAt: now },
    select: { id: true, periodEnd: true },
  });
  await tx.invoice.updateMany({
    where: { userId, kind: "renewal", status: "open", nextAttemptAt: { gt: now } },
    data: { nextAttemptAt: now },
  });
  if (stopped.length)
    await tx.auditLog.createMany({
      data: stopped.map((s) => ({
        actorId,
        action: "subscription.cancel",
        subjectType: "subscription",
        subjectId: s.id,
        after: { endsAt: s.periodEnd.toISOString(), cause: "account_banned" },
        createdAt: now,
      })),
    });
  return stopped.length;
}
