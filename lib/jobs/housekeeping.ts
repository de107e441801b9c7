import { deliverDueWebhooks, evaluateAlerts, mailPendingAlerts, pruneAlerts } from "../alerts";
import { deleteDeadHolds, expirePacks, rollupDueDays } from "../api-billing";
import { expireAbandonedPayments, sendRenewalReminders, type BillingDeps } from "../billing";
import { mailPendingNotices } from "../notices";
import { drainEvents } from "../payments/webhooks";
import { evaluatePolicy } from "../policy/evaluate";
import { pruneQuota } from "../quota/prune";
import { issueDueRewards } from "../referrals";

/**
 * The small periodic chores, each idempotent by its own keys, run on every
 * sweep: renewal reminders before the cutoff, orders left at 3-D Secure, the
 * notices' e-mail outbox, quota rows no window can see any more, and
 * processor events that were stored but not finished (a crash, a failed
 * handler) (PAY-2: stored before acted on, so none is lost), and referral
 * rewards whose review time has passed (REF-5: state is in the rows, so a
 * sweep that dies half-way is finished by the next). Pay-as-you-go: expired
 * resource packs give their rest to revenue, dead calls' holds go, and the
 * days that are over are rolled up for the billing page (BILL-2, durable:
 * a day is claimed with its rows, so none is rolled twice or skipped). And
 * the usage-policy rules run over the last hour's calls (POLICY-1..3), and
 * quota and balance alerts are derived from recorded use and sent (ALERT-1).
 */
export async function runHousekeeping(deps: BillingDeps) {
  const reminders = await sendRenewalReminders(deps);
  // Events a request stored a while ago and nobody finished (the app crashed, or a handler failed).
  const drained = await drainEvents(async () => deps, { kind: "sweep", ageSeconds: 10 });
  const events = [...drained.values()].filter((o) => o === "processed").length;
  const abandoned = await expireAbandonedPayments(deps);
  const mailed = await mailPendingNotices(deps.db, deps.now);
  const pruned = await pruneQuota(deps.db, deps.now);
  const rewards = await issueDueRewards(deps.db, deps.now);
  const packs = await expirePacks(deps.db, deps.now);
  const holds = await deleteDeadHolds(deps.db, deps.now);
  const days = await rollupDueDays(deps.db, deps.now);
  const policy = await evaluatePolicy(deps.db, deps.now);
  const alerts = await evaluateAlerts(deps.db, deps.now);
  const alertMails = await mailPendingAlerts(deps.db, deps.now);
  const webhooks = await deliverDueWebhooks(deps.db, deps.now);
  await pruneAlerts(deps.db, deps.now);
  return {
    reminders,
    events,
    abandoned,
    mailed,
    pruned,
    rewards: rewards.issued,
    packs,
    holds,
    days,
    policy,
    alerts,
    alertMails,
    webhooks,
  };
}
