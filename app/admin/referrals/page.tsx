import { getTranslations } from "next-intl/server";
import { QueueFilters } from "@/components/admin-referrals/queue-filters";
import { ReferralQueue } from "@/components/admin-referrals/referral-queue";
import { ReviewNotice } from "@/components/admin-referrals/review-notice";
import { FLAG_STATES, FRAUD_RULE_TYPES } from "@/lib/referrals";
import { flagDeciders, referralFlagQueue } from "@/lib/referrals/face";
import { reviewReferralsAction } from "./actions";
import { queueFilter, REVIEW_ACTIONS } from "./filters";
import { requireAdmin } from "@/lib/auth/session";

const LIMIT = 100;

export async function generateMetadata() {
  return { title: (await getTranslations("adminReferrals"))("title") };
}

type Search = { rule?: string; state?: string; done?: string; changed?: string };

/** REF-5: the flags the fraud rules raised, newest first, with the evidence to decide on and the decisions. */
export default async function AdminReferralsPage({ searchParams }: { searchParams: Promise<Search> }) {
  // SEC-1: the page checks for itself; the layout does not run again on a client-side navigation.
  await requireAdmin();
  const search = await searchParams;
  const filter = queueFilter.parse({ rule: search.rule || undefined, state: search.state });
  const [t, flags] = await Promise.all([
    getTranslations("adminReferrals"),
    referralFlagQueue({ rule: filter.rule, state: filter.state === "all" ? undefined : filter.state, limit: LIMIT }),
  ]);
  const deciders = await flagDeciders(flags);
  const done = REVIEW_ACTIONS.find((a) => a === search.done);
  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <h1 className="text-2xl font-semibold">{t("title")}</h1>
        <p className="text-slate-700">{t("intro")}</p>
      </div>
      {done && <ReviewNotice action={done} changed={Number(search.changed) || 0} />}
      <QueueFilters rules={FRAUD_RULE_TYPES} states={[...FLAG_STATES, "all"]} filter={filter} />
      <ReferralQueue
        flags={flags}
        deciders={deciders}
        filter={filter}
        limited={flags.length === LIMIT ? LIMIT : null}
        action={reviewReferralsAction}
      />
    </div>
  );
}
