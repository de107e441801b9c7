import Link from "next/link";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { formatMoney } from "@/lib/money/format";
import type { QueueFlag } from "@/lib/referrals";
import { DeviceId } from "./device-id";
import type { ReviewAction } from "./filter-fields";
import { FlagEvidence } from "./flag-evidence";
import { ReviewForm } from "./review-form";

type Props = {
  referral: QueueFlag["referral"];
  flags: QueueFlag[];
  deciders: Record<string, string>;
  filter: { rule?: string; state: string };
  action: ReviewAction;
  bulkFormId: string;
};

const FLAG_STYLE = {
  open: "border-amber-300 bg-amber-50",
  released: "border-green-200 bg-green-50",
  rejected: "border-red-200 bg-red-50",
} as const;

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <>
      <dt className="text-slate-600">{label}</dt>
      <dd className="min-w-0 wrap-anywhere">{children}</dd>
    </>
  );
}

function Group({ id, title, children }: { id: string; title: string; children: React.ReactNode }) {
  return (
    <section aria-labelledby={id} className="min-w-0">
      <h3 id={id} className="mb-1 text-sm font-semibold text-slate-800">
        {title}
      </h3>
      <dl className="grid grid-cols-[fit-content(45%)_minmax(0,1fr)] gap-x-3 gap-y-1 text-sm">{children}</dl>
    </section>
  );
}

/**
 * One flagged invitation: its flags with their evidence and decisions, the two
 * accounts, where each was seen, the timings and amounts, and the decision form.
 */
export async function ReferralCard({ referral: r, flags, deciders, filter, action, bulkFormId }: Props) {
  const [t, tStatus, format, locale] = await Promise.all([
    getTranslations("adminReferrals"),
    getTranslations("statuses"),
    getFormatter(),
    getLocale(),
  ]);
  const when = (d: Date | null) =>
    d ? format.dateTime(d, { dateStyle: "medium", timeStyle: "short" }) : t("card.none");
  const money = (minor: bigint | null) =>
    minor !== null && r.currency ? formatMoney(minor, r.currency, locale) : t("card.none");
  const ruleName = (rule: string) => (t.has(`rules.${rule}`) ? t(`rules.${rule}`) : rule);
  const hasOpen = flags.some((f) => f.state === "open");
  const rewardable = r.state === "signed_up" || r.state === "pending";
  const canAct = hasOpen || rewardable;
  const canBan = r.inviter.status !== "banned";
  const id = `referral-${r.id}`;
  const state =
    r.state === "void" && r.reason
      ? t("voidWithReason", { reason: t.has(`voidReasons.${r.reason}`) ? t(`voidReasons.${r.reason}`) : r.reason })
      : t(`referralStates.${r.state}`);
  const same = (a: string, b: string) => a === b && <span className="text-slate-600"> {t("card.sameAsVisit")}</span>;
  const network = (value: string) => t.rich("card.networkIs", { v: () => <code className="text-xs">{value}</code> });
  const device = (value: string) => t.rich("card.deviceIs", { v: () => <DeviceId value={value} /> });
  return (
    <article aria-labelledby={`${id}-title`} className="card space-y-4">
      <div className="flex items-start gap-3">
        {canAct && (
          <input
            type="checkbox"
            id={`${id}-select`}
            name="referralIds"
            value={r.id}
            form={bulkFormId}
            aria-label={t("card.select", { friend: r.friend.email })}
            className="mt-1 size-5 shrink-0 accent-brand-600"
          />
        )}
        <div className="min-w-0 flex-1">
          <h2 id={`${id}-title`} className="text-lg font-semibold wrap-anywhere">
            {t("card.heading", { friend: r.friend.email, inviter: r.inviter.email })}
          </h2>
          <p className="text-sm text-slate-700">{t("card.invitation", { state })}</p>
        </div>
      </div>

      <ul className="space-y-2">
        {flags.map((f) => (
          <li key={f.id} className={`space-y-2 rounded-lg border p-3 ${FLAG_STYLE[f.state]}`}>
            <p className="flex flex-wrap items-baseline gap-x-2 gap-y-1">
              <span className="font-medium">{ruleName(f.rule)}</span>
              <span className="rounded-full border border-slate-300 bg-white px-2 text-xs font-medium text-slate-800">
                {t(`states.${f.state}`)}
              </span>
            </p>
            <p className="text-sm text-slate-700">
              {t(`stages.${f.stage}`)} · {when(f.createdAt)}
            </p>
            <FlagEvidence rule={f.rule} evidence={f.evidence} />
            {f.decidedAt && (
              <p className="text-sm text-slate-800 wrap-anywhere">
                {t("card.decided", {
                  state: t(`states.${f.state}`),
                  who: (f.decidedBy && deciders[f.decidedBy]) || t("card.unknownAdmin"),
                  time: when(f.decidedAt),
                })}
                {f.reason && <> · {t("card.decidedReason", { reason: f.reason })}</>}
              </p>
            )}
          </li>
        ))}
      </ul>

      <div className="grid gap-4 md:grid-cols-2">
        <Group id={`${id}-accounts`} title={t("card.accounts")}>
          <Row label={t("card.inviter")}>
            <Link className="text-brand-700 underline" href={`/admin/customers/${r.inviter.id}`}>
              {r.inviter.email}
            </Link>{" "}
            · {tStatus(r.inviter.status)}
          </Row>
          <Row label={t("card.friend")}>
            <Link className="text-brand-700 underline" href={`/admin/customers/${r.friend.id}`}>
              {r.friend.email}
            </Link>{" "}
            · {t("card.joined", { time: when(r.friend.createdAt) })}
          </Row>
        </Group>
        <Group id={`${id}-seen`} title={t("card.whereSeen")}>
          <Row label={t("card.visit", { via: t(`via.${r.visit.via}`) })}>
            <span className="block">{network(r.visit.network)}</span>
            <span className="block">{device(r.visit.device)}</span>
            <span className="block">{t("card.ip", { ip: r.visit.ip })}</span>
          </Row>
          <Row label={t("card.attribution")}>
            <span className="block">
              {network(r.network)}
              {same(r.network, r.visit.network)}
            </span>
            <span className="block">
              {device(r.device)}
              {same(r.device, r.visit.device)}
            </span>
          </Row>
        </Group>
        <Group id={`${id}-timings`} title={t("card.timings")}>
          <Row label={t("card.visited")}>{when(r.visitedAt)}</Row>
          <Row label={t("card.attributed")}>{when(r.createdAt)}</Row>
          <Row label={t("card.paid")}>{when(r.paidAt)}</Row>
          <Row label={t("card.reviewAt")}>{when(r.reviewAt)}</Row>
          <Row label={t("card.issueBy")}>{when(r.issueBy)}</Row>
        </Group>
        <Group id={`${id}-amounts`} title={t("card.amounts")}>
          <Row label={t("card.cashPaid")}>{money(r.cashPaidMinor)}</Row>
          <Row label={t("card.reward")}>{money(r.rewardMinor)}</Row>
        </Group>
      </div>

      {canAct && (
        <ReviewForm
          action={action}
          referralId={r.id}
          friend={r.friend.email}
          filter={filter}
          canRelease={hasOpen}
          canBan={canBan}
        />
      )}
    </article>
  );
}
