import { getTranslations } from "next-intl/server";
import { PolicyRules } from "@/components/policy/policy-rules";
import { PolicyStatus } from "@/components/policy/policy-status";
import { ViolationList } from "@/components/policy/violation-list";
import { requireUser } from "@/lib/auth/session";
import { appClock } from "@/lib/clock";
import { policySettings } from "@/lib/policy";
import { violationsFor } from "@/lib/policy/face";
import { requestReviewAction } from "./actions";

export async function generateMetadata() {
  return { title: (await getTranslations("policy"))("title") };
}

// A violation counts towards the ban until it is reversed (lib/policy/violations.ts).
const COUNTING = new Set(["open", "review_requested", "upheld"]);

/**
 * POLICY-1..3 for the subscriber: where their account stands (throttled until
 * when, how many violations count), what was recorded and decided, a review
 * for an open violation, and the rules themselves in plain words.
 */
export default async function PolicyPage({ searchParams }: { searchParams: Promise<{ done?: string }> }) {
  const user = await requireUser();
  const [t, now, { done }] = await Promise.all([getTranslations("policy"), appClock().now(), searchParams]);
  const mine = await violationsFor(user.id, now);
  const settings = policySettings();
  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <h1 className="text-2xl font-semibold">{t("title")}</h1>
        <p className="text-slate-700">{t("intro")}</p>
      </div>
      {done === "review" && (
        <p role="status" className="rounded-lg bg-green-50 p-3 text-sm text-green-900">
          {t("reviewDone")}
        </p>
      )}
      <PolicyStatus
        throttledUntil={mine.throttledUntil}
        counting={mine.violations.filter((v) => COUNTING.has(v.state)).length}
        banAfter={settings.banAfter}
      />
      <ViolationList violations={mine.violations} keyNames={mine.keyNames} reviewAction={requestReviewAction} />
      <PolicyRules throttle={settings.throttle} banAfter={settings.banAfter} />
    </div>
  );
}
