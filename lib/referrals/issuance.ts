import { recordAudit } from "../audit/record";
import type { Db, Tx } from "../db";
import { post, system, userCredits } from "../ledger";
import { notify } from "../notices/notify";
import { dueForReview } from "./conditions";
import { screenReferral } from "./fraud/evaluate";

const BATCH = 200;

export type IssueOutcome = "issued" | "held" | "inviter_banned" | "skipped";

/**
 * Issues one reviewed reward (REF-5), under the invitation's row lock: the
 * invitation must still be pending and past its review time, the inviter not
 * banned, and the issuance-stage fraud rules quiet. The credits are one
 * posting whose idempotency key is the invitation's, so it happens once.
 */
export async function issueReward(tx: Tx, referralId: string, now: Date): Promise<IssueOutcome> {
  const [locked] = await tx.$queryRaw<
    { id: string }[]
  >`SELECT "id" FROM "referrals" WHERE "id" = ${referralId}::uuid FOR UPDATE`;
  if (!locked) return "skipped";
  const r = await tx.referral.findUniqueOrThrow({
    where: { id: referralId },
    include: { inviter: { select: { status: true } } },
  });
  if (r.state !== "pending" || !dueForReview(r.reviewAt!, now)) return "skipped";
  if (r.inviter.status === "banned") {
    await tx.referral.update({
      where: { id: r.id },
      data: { state: "void", reason: "inviter_banned", updatedAt: now },
    });
    return "inviter_banned";
  }
  if ((await screenReferral(tx, r.id, "issuance", now)).held) return "held";
  await post(tx, {
    idempotencyKey: `referral:${r.id}:reward`,
    kind: "referral_reward",
    userId: r.inviterId,
    invoiceId: r.invoiceId,
    at: now,
    entries: [
      { account: system("promotions", r.currency!), amountMinor: -r.rewardMinor! },
      { account: userCredits(r.inviterId, r.currency!), amountMinor: r.rewardMinor! },
    ],
  });
  await tx.referral.update({ where: { id: r.id }, data: { state: "issued", issuedAt: now, updatedAt: now } });
  await recordAudit(tx, {
    actorId: null,
    action: "referral.reward_issued",
    subjectType: "referral",
    subjectId: r.id,
    after: { amountMinor: String(r.rewardMinor), currency: r.currency },
    at: now,
  });
  await notify(
    tx,
    [
      {
        userId: r.inviterId,
        kind: "referral_reward",
        params: { amountMinor: String(r.rewardMinor), currency: r.currency! },
        dedupeKey: `referral:${r.id}:reward`,
      },
    ],
    now,
  );
  return "issued";
}

/**
 * The durable reward job (REF-5): every invitation whose review time has
 * passed and that no open flag holds, each in its own transaction. State lives
 * in the rows, so a crash or a second worker only repeats what is idempotent.
 */
export async function issueDueRewards(database: Db, now: Date): Promise<Record<IssueOutcome, number>> {
  const due = await database.referral.findMany({
    where: { state: "pending", reviewAt: { lt: now }, flags: { none: { state: "open" } } },
    select: { id: true },
    orderBy: { reviewAt: "asc" },
    take: BATCH,
  });
  const counts: Record<IssueOutcome, number> = { issued: 0, held: 0, inviter_banned: 0, skipped: 0 };
  for (const { id } of due) counts[await database.$transaction((tx) => issueReward(tx, id, now))]++;
  return counts;
}
