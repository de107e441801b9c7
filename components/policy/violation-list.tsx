import { getFormatter, getTranslations } from "next-intl/server";
import type { ActionResult } from "@/lib/http/action-result";
import type { SubscriberViolations } from "@/lib/policy";
import { ReviewRequestForm } from "./review-request-form";
import { ViolationEvidence } from "./violation-evidence";
import { ViolationStateBadge } from "./violation-state-badge";

type Props = {
  violations: SubscriberViolations["violations"];
  keyNames: Record<string, string>;
  reviewAction: (prev: unknown, form: FormData) => Promise<ActionResult>;
};

/** The subscriber's violations, newest first: the rule in plain words, what it saw, where the review stands, and a review to ask for. */
export async function ViolationList({ violations, keyNames, reviewAction }: Props) {
  const [t, rules, format] = await Promise.all([
    getTranslations("policy"),
    getTranslations("policyRules"),
    getFormatter(),
  ]);
  const when = (d: Date) => format.dateTime(d, { dateStyle: "medium", timeStyle: "short" });
  const explain = (rule: string) => (rules.has(rule) ? rules(rule as "not_coding") : rule);
  return (
    <section className="card space-y-3" aria-labelledby="violations-title">
      <h2 id="violations-title" className="text-lg font-semibold">
        {t("listTitle")}
      </h2>
      {violations.length === 0 ? (
        <p>{t("none")}</p>
      ) : (
        <ul className="space-y-3" data-testid="violations">
          {violations.map((v) => (
            <li key={v.id}>
              <article
                aria-labelledby={`violation-${v.id}`}
                className="space-y-2 rounded-lg border border-slate-200 p-3"
              >
                <div className="flex flex-wrap items-baseline justify-between gap-2">
                  <h3 id={`violation-${v.id}`} className="font-medium">
                    {t("recorded", { time: when(v.createdAt) })}
                  </h3>
                  <ViolationStateBadge label={t(`states.${v.state}`)} state={v.state} />
                </div>
                <p>{t("ruleSeen", { ruleText: explain(v.rule) })}</p>
                <ViolationEvidence rule={v.rule} evidence={v.evidence} keyNames={keyNames} />
                {v.reviewAskedAt && (
                  <div className="space-y-1 text-sm text-slate-800">
                    {v.state === "review_requested" && <p>{t("reviewAsked", { time: when(v.reviewAskedAt) })}</p>}
                    {v.reviewNote && (
                      <p className="whitespace-pre-line wrap-anywhere">{t("yourNote", { note: v.reviewNote })}</p>
                    )}
                  </div>
                )}
                {v.decidedAt && (
                  <div className="space-y-1 text-sm">
                    <p className="font-medium">{t("decided", { state: v.state, time: when(v.decidedAt) })}</p>
                    {v.decisionReason && (
                      <p className="wrap-anywhere">{t("decisionReason", { reason: v.decisionReason })}</p>
                    )}
                  </div>
                )}
                {v.state === "open" && (
                  <ReviewRequestForm action={reviewAction} violationId={v.id} recorded={when(v.createdAt)} />
                )}
              </article>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
