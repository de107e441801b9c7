import { getFormatter, getTranslations } from "next-intl/server";
import { readEvidence } from "@/lib/policy/evidence";

/**
 * What the rule saw, for the subscriber: how many calls and which clients, or
 * how many networks one key was used from. The networks themselves stay on
 * the admin's screen; the count says enough.
 */
export async function ViolationEvidence({ rule, evidence, keyNames }: { rule: string; evidence: unknown; keyNames: Record<string, string> }) {
  const [t, format] = await Promise.all([getTranslations("policy.evidence"), getFormatter()]);
  const e = readEvidence(rule, evidence);
  const percent = (bps: number) => format.number(bps / 10_000, { style: "percent", maximumFractionDigits: 1 });
  if (e.rule === "not_coding")
    return (
      <div className="space-y-1 text-sm">
        <p>{t("not_coding", { off: e.offPattern, calls: e.calls, share: percent(e.shareBps), threshold: percent(e.thresholdBps) })}</p>
        {e.clients.length > 0 && <p className="wrap-anywhere">{t("clients", { clients: format.list(e.clients.map((c) => (c === "(none)" ? t("noClient") : c))) })}</p>}
      </div>
    );
  if (e.rule === "key_sharing") {
    const values = {
      networks: e.networks.length,
      minutes: e.windowMinutes,
      max: e.max,
      time: e.at ? format.dateTime(e.at, { dateStyle: "medium", timeStyle: "short" }) : "—",
    };
    const key = keyNames[e.keyId];
    return <p className="text-sm wrap-anywhere">{key ? t("key_sharing", { ...values, key }) : t("key_sharing_unnamed", values)}</p>;
  }
  return null;
}
