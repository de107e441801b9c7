import { getFormatter, getTranslations } from "next-intl/server";
import { DeviceId } from "./device-id";

type Evidence = Record<string, unknown>;

const text = (v: unknown) => (typeof v === "string" ? v : typeof v === "number" ? String(v) : "");
const count = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : 0);
const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
const records = (v: unknown) =>
  Array.isArray(v) ? v.filter((x): x is Evidence => typeof x === "object" && x !== null) : [];

function Emails({ emails }: { emails: string[] }) {
  return (
    <ul className="mt-1 list-disc space-y-0.5 pl-5 wrap-anywhere">
      {emails.map((e, i) => (
        <li key={`${e}-${i}`}>{e}</li>
      ))}
    </ul>
  );
}

/** What a fraud rule saw when it fired, in words (each rule's evidence has its own shape: lib/referrals/fraud/rules). */
export async function FlagEvidence({ rule, evidence }: { rule: string; evidence: unknown }) {
  const [t, format] = await Promise.all([getTranslations("adminReferrals.evidence"), getFormatter()]);
  const e: Evidence =
    typeof evidence === "object" && evidence !== null && !Array.isArray(evidence) ? (evidence as Evidence) : {};
  const percent = (bps: unknown) => format.number(count(bps) / 10_000, { style: "percent", maximumFractionDigits: 1 });
  const when = (iso: unknown) => {
    const d = new Date(text(iso));
    return Number.isNaN(d.getTime()) ? "" : format.dateTime(d, { dateStyle: "medium", timeStyle: "short" });
  };
  switch (rule) {
    case "bulk_registration": {
      const signups = records(e.signups);
      return (
        <div className="text-sm">
          <p>{t("bulk", { count: signups.length, hours: count(e.windowHours) })}</p>
          <ul className="mt-1 list-disc space-y-0.5 pl-5 wrap-anywhere">
            {signups.map((s, i) => (
              <li key={i}>{t("bulkItem", { email: text(s.friend), time: when(s.at) })}</li>
            ))}
          </ul>
        </div>
      );
    }
    case "self_referral_payment_method": {
      const cards = strings(e.cardFingerprints);
      return (
        <div className="text-sm">
          <p>{t("cards", { count: cards.length })}</p>
          <ul className="mt-1 list-disc pl-5">
            {cards.map((c) => (
              <li key={c}>
                <DeviceId value={c} />
              </li>
            ))}
          </ul>
        </div>
      );
    }
    case "self_referral_device":
      return (
        <p className="text-sm">
          {t("device")} <DeviceId value={text(e.device)} />
        </p>
      );
    case "disposable_email":
      return (
        <p className="text-sm wrap-anywhere">{t("disposable", { email: text(e.email), domain: text(e.domain) })}</p>
      );
    case "invitee_refund_rate":
      return (
        <p className="text-sm">
          {t("refundRate", {
            bad: count(e.refundedOrDisputed),
            paid: count(e.paid),
            rate: percent(e.rateBps),
            threshold: percent(e.thresholdBps),
          })}
        </p>
      );
    case "shared_device_network": {
      const onDevice = strings(e.deviceAccounts);
      const onNetwork = strings(e.networkAccounts);
      return (
        <div className="space-y-2 text-sm">
          {"deviceAccounts" in e && (
            <div>
              <p>
                {t.rich("onDevice", {
                  count: onDevice.length,
                  days: count(e.windowDays),
                  device: () => <DeviceId value={text(e.device)} />,
                })}
              </p>
              <Emails emails={onDevice} />
            </div>
          )}
          {"networkAccounts" in e && (
            <div>
              <p>{t("onNetwork", { count: onNetwork.length, days: count(e.windowDays), network: text(e.network) })}</p>
              <Emails emails={onNetwork} />
            </div>
          )}
        </div>
      );
    }
    default: {
      // A rule this screen does not know yet: its plain values, labelled by their keys.
      const plain = Object.entries(e).filter(([, v]) => ["string", "number", "boolean"].includes(typeof v));
      return (
        <div className="text-sm">
          <p>{t("details")}</p>
          <dl className="grid grid-cols-[max-content_1fr] gap-x-3">
            {plain.map(([k, v]) => (
              <div key={k} className="contents">
                <dt className="text-slate-600">{k}</dt>
                <dd className="wrap-anywhere">{String(v)}</dd>
              </div>
            ))}
          </dl>
        </div>
      );
    }
  }
}
