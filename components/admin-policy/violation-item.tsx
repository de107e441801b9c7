import { getFormatter, getTranslations } from "next-intl/server";
import type { QueueViolation } from "@/lib/policy";
import { ViolationStateBadge } from "../policy/violation-state-badge";
import { AdminEvidence } from "./admin-evidence";
import { DecisionForm } from "./decision-form";
import type { Filter, PolicyAction } from "./queue-fields";

type Props = {
  violation: QueueViolation;
  deciders: Record<string, string>;
  keyNames: Record<string, string>;
  filter: Filter;
  decideAction: PolicyAction;
};

/** One violation in the queue: rule, state, evidence, the subscriber's note, the decision so far, and the decision form while it is undecided. */
export async function ViolationItem({ violation: v, deciders, keyNames, filter, decideAction }: Props) {
  const [t, format] = await Promise.all([getTranslations("adminPolicy"), getFormatter()]);
  const when = (d: Date) => format.dateTime(d, { dateStyle: "medium", timeStyle: "short" });
  const rule = t.has(`rules.${v.rule}`) ? t(`rules.${v.rule}` as "rules.not_coding") : v.rule;
  const state = t(`states.${v.state}`);
  const undecided = v.state === "open" || v.state === "review_requested";
  const id = `violation-${v.id}`;
  return (
    <article
      aria-labelledby={id}
      className="space-y-2 rounded-lg border border-slate-200 p-3"
      data-testid="admin-violation"
    >
      <div className="flex flex-wrap items-baseline gap-x-2 gap-y-1">
        <h3 id={id} className="font-medium">
          {rule}
        </h3>
        <ViolationStateBadge state={v.state} label={state} />
        <span className="text-sm text-slate-700">{t("recorded", { time: when(v.createdAt) })}</span>
      </div>
      <AdminEvidence rule={v.rule} evidence={v.evidence} keyNames={keyNames} />
      {v.reviewAskedAt && (
        <div className="space-y-1 rounded-lg bg-sky-50 p-2 text-sm text-slate-900">
          <p className="font-medium">{t("reviewAsked", { time: when(v.reviewAskedAt) })}</p>
          <p className="whitespace-pre-line wrap-anywhere">
            {v.reviewNote ? t("note", { note: v.reviewNote }) : t("noNote")}
          </p>
        </div>
      )}
      {v.decidedAt && (
        <p className="text-sm wrap-anywhere">
          {t("decided", {
            state,
            who: (v.decidedBy && deciders[v.decidedBy]) || t("unknownAdmin"),
            time: when(v.decidedAt),
          })}
          {v.decisionReason && <> · {t("reason", { reason: v.decisionReason })}</>}
        </p>
      )}
      {undecided && (
        <DecisionForm
          action={decideAction}
          violationId={v.id}
          filter={filter}
          context={t("actions.forWhom", { email: v.user.email, rule, time: when(v.createdAt) })}
        />
      )}
    </article>
  );
}
