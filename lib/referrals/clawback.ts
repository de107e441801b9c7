import { recordAudit } from "../audit/record";
import type { Tx } from "../db";
import { post, system, userCredits, walletOf } from "../ledger";
import { notify } from "../notices/notify";
import { referralRules } from "./config";
import { clawbackFor, rewardFor } from "./reward";

type Cause = { kind: "refund" | "dispute"; id: string; amountMinor: bigint };

const HOUR_MS = 3_600_000;

/**
 * A refund or a dispute on a referred order (REFUND-1, REF-2, REF-4, REF-5).
 * Before issuance: a dispute, or a refund within the refund window after
 * payment (*config* `refundWindowHours`; exactly paid + 24 h is within),
 * cancels the reward; a later refund keeps it, reduced to the share of what
 * remains paid (it is void only when nothing remains). After issuance, what
 * the order no longer earns is taken back from the inviter's credits by a
 * reversing posting; credits never go below zero, so what is missing is
 * recorded as a shortfall.
 */
export async function referralOnMoneyBack(tx: Tx, invoiceId: string, cause: Cause, now: Date) {
  const [locked] = await tx.$queryRaw<
    { id: string }[]
  >`SELECT "id" FROM "referrals" WHERE "invoice_id" = ${invoiceId}::uuid FOR UPDATE`;
  if (!locked) return;
  const r = await tx.referral.findUniqueOrThrow({ where: { id: locked.id } });
  const refundedMinor = cause.kind === "dispute" ? (r.cashPaidMinor ?? 0n) : r.refundedMinor + cause.amountMinor;
  const reason = cause.kind === "dispute" ? "disputed" : "refunded";
  if (r.state === "pending") {
    const rules = referralRules();
    const inWindow = now.getTime() <= r.paidAt!.getTime() + rules.refundWindowHours * HOUR_MS;
    const rewardMinor = rewardFor(r.cashPaidMinor!, refundedMinor, rules.rewardBps);
    if (cause.kind === "dispute" || inWindow || rewardMinor === 0n) {
      await tx.referral.update({ where: { id: r.id }, data: { state: "void", reason, refundedMinor, updatedAt: now } });
      await recordAudit(tx, {
        actorId: null,
        action: "referral.cancelled",
        subjectType: "referral",
        subjectId: r.id,
        after: { reason, [cause.kind]: cause.id },
        at: now,
      });
      return;
    }
    // Never more than the reward the order was judged to earn, even if the configured share has grown since.
    const reduced = rewardMinor < r.rewardMinor! ? rewardMinor : r.rewardMinor!;
    await tx.referral.update({ where: { id: r.id }, data: { refundedMinor, rewardMinor: reduced, updatedAt: now } });
    await recordAudit(tx, {
      actorId: null,
      action: "referral.reward_reduced",
      subjectType: "referral",
      subjectId: r.id,
      after: {
        [cause.kind]: cause.id,
        fromMinor: String(r.rewardMinor),
        toMinor: String(reduced),
        currency: r.currency,
      },
      at: now,
    });
    return;
  }
  if (r.state !== "issued") {
    await tx.referral.update({ where: { id: r.id }, data: { refundedMinor, updatedAt: now } });
    return;
  }
  const issued = r.rewardMinor!;
  // Never more than was issued, even if the configured share has grown since.
  const earned = rewardFor(r.cashPaidMinor!, refundedMinor, referralRules().rewardBps);
  const earnedNow = earned < issued ? earned : issued;
  const wallet = await walletOf(tx, r.inviterId, r.currency!, { lock: true });
  const { takeMinor, shortfallMinor } = clawbackFor({
    issuedMinor: issued,
    earnedNowMinor: earnedNow,
    takenMinor: r.clawedBackMinor + r.shortfallMinor,
    creditsMinor: wallet.creditsMinor,
  });
  if (takeMinor > 0n)
    await post(tx, {
      idempotencyKey: `referral:${r.id}:clawback:${cause.kind}:${cause.id}`,
      kind: "referral_clawback",
      userId: r.inviterId,
      invoiceId,
      at: now,
      entries: [
        { account: userCredits(r.inviterId, r.currency!), amountMinor: -takeMinor },
        { account: system("promotions", r.currency!), amountMinor: takeMinor },
      ],
    });
  await tx.referral.update({
    where: { id: r.id },
    data: {
      refundedMinor,
      clawedBackMinor: r.clawedBackMinor + takeMinor,
      shortfallMinor: r.shortfallMinor + shortfallMinor,
      updatedAt: now,
    },
  });
  if (takeMinor + shortfallMinor > 0n) {
    const after = {
      [cause.kind]: cause.id,
      takenMinor: String(takeMinor),
      shortfallMinor: String(shortfallMinor),
      currency: r.currency,
    };
    await recordAudit(tx, {
      actorId: null,
      action: "referral.clawback",
      subjectType: "referral",
      subjectId: r.id,
      after,
      at: now,
    });
    await notify(
      tx,
      [
        {
          userId: r.inviterId,
          kind: "referral_clawback",
          params: { amountMinor: String(takeMinor + shortfallMinor), currency: r.currency! },
          dedupeKey: `referral:${r.id}:clawback:${cause.kind}:${cause.id}`,
        },
      ],
      now,
    );
  }
}
