import type { Prisma, Tx } from "../db";

/** What subscribers are told about; each kind has its text under `noticeKinds.<kind>` in both languages. */
export type NoticeKind =
  | "renewal_failed"
  | "subscription_lapsed"
  | "subscription_restored"
  | "renewal_reminder"
  | "renewal_pay_link"
  | "refund_issued"
  | "dispute_opened"
  | "dispute_won"
  | "dispute_lost"
  | "late_payment_credited"
  | "referral_reward"
  | "referral_clawback"
  | "policy_violation"
  | "policy_banned"
  | "policy_review_decided"
  | "policy_ban_lifted"
  | "referral_banned"
  | "quota_alert"
  | "quota_alert_resolved"
  | "balance_low"
  | "balance_restored"
  | "alert_test";

export type NoticeDraft = {
  userId: string;
  kind: NoticeKind;
  params: Record<string, string | number>;
  dedupeKey: string;
};

/**
 * Records notices in the caller's transaction, once per dedupe key. The e-mail
 * copy is sent later by the job worker from these rows (an outbox), so a
 * change that rolls back tells nobody, and a crash after commit still mails.
 */
export async function notify(tx: Tx, notices: NoticeDraft[], at: Date, opts: { mail?: boolean } = {}) {
  if (notices.length === 0) return;
  await tx.notice.createMany({
    data: notices.map((n) => ({
      userId: n.userId,
      kind: n.kind,
      params: n.params as Prisma.InputJsonObject,
      dedupeKey: n.dedupeKey,
      createdAt: at,
      // A notice whose e-mail goes another way (alerts have their own outbox) is born already "mailed".
      mailedAt: opts.mail === false ? at : null,
    })),
    skipDuplicates: true,
  });
}
