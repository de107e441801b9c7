import { getTranslations } from "next-intl/server";
import { DoneNotice } from "@/components/admin-policy/done-notice";
import { QueueFilters } from "@/components/admin-policy/queue-filters";
import { ViolationQueue } from "@/components/admin-policy/violation-queue";
import { appClock } from "@/lib/clock";
import { POLICY_RULE_TYPES } from "@/lib/policy";
import { violationQueueFor } from "@/lib/policy/face";
import { decideViolationAction, liftBanAction } from "./actions";
import { DONE, FILTER_STATES, queueFilter } from "./filters";
import { requireAdmin } from "@/lib/auth/session";

const LIMIT = 100;

export async function generateMetadata() {
  return { title: (await getTranslations("adminPolicy"))("title") };
}

type Search = { rule?: string; state?: string; user?: string; done?: string };

/** POLICY-2: the usage-policy violations to decide, review requests first, grouped by customer, with uphold / reverse and lifting a ban. */
export default async function AdminViolationsPage({ searchParams }: { searchParams: Promise<Search> }) {
  // SEC-1: the page checks for itself; the layout does not run again on a client-side navigation.
  await requireAdmin();
  const search = await searchParams;
  const filter = queueFilter.parse({
    rule: search.rule || undefined,
    state: search.state,
    user: search.user || undefined,
  });
  const [t, now, queue] = await Promise.all([
    getTranslations("adminPolicy"),
    appClock().now(),
    violationQueueFor({ rule: filter.rule, state: filter.state, userId: filter.user, take: LIMIT }),
  ]);
  const done = DONE.find((d) => d === search.done);
  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <h1 className="text-2xl font-semibold">{t("title")}</h1>
        <p className="text-slate-700">{t("intro")}</p>
      </div>
      {done && <DoneNotice done={done} />}
      <QueueFilters
        rules={POLICY_RULE_TYPES}
        states={FILTER_STATES}
        filter={filter}
        customer={queue.violations[0]?.user.email}
      />
      <ViolationQueue
        violations={queue.violations}
        deciders={queue.deciders}
        keyNames={queue.keyNames}
        now={now}
        filter={filter}
        limited={queue.violations.length === LIMIT ? LIMIT : null}
        decideAction={decideViolationAction}
        liftBanAction={liftBanAction}
      />
    </div>
  );
}
