import { getFormatter, getTranslations } from "next-intl/server";
import { readEvidence } from "@/lib/policy/evidence";

/**
 * What the rule saw, for the subscriber: how many calls and which clients, or
 * how many networks, client sessions or devices one key (or all their keys)
 * was used from. The networks and ids themselves stay on the admin's screen;
 * the count says enough.
 */
export async function ViolationEvidence({
  rule,
  evidence,
  keyNames,
}: {
  rule: string;
  evidence: unknown;
  keyNames: Record<string, string>;
}) {
  const [t, format] = await Promise.all([getTranslations("policy.evidence"), getFormatter()]);
  const e = readEvidence(rule, evidence);
  const percent = (bps: number) => format.number(bps / 10_000, { style: "percent", maximumFractionDigits: 1 });
  if (e.rule === "not_coding")
    return (
      <div className="space-y-1 text-sm">
        <p>
          {t("not_coding", {
            off: e.offPattern,
            calls: e.calls,
            share: percent(e.shareBps),
            threshold: percent(e.thresholdBps),
          })}
        </p>
        {e.clients.length > 0 && (
          <p className="wrap-anywhere">
            {t("clients", { clients: format.list(e.clients.map((c) => (c === "(none)" ? t("noClient") : c))) })}
          </p>
        )}
      </div>
    );
  if (e.rule === "other") return null;
  const base = {
    minutes: e.windowMinutes,
    max: e.max,
    time: e.at ? format.dateTime(e.at, { dateStyle: "medium", timeStyle: "short" }) : "—",
  };
  let text: string;
  if (e.rule === "subscription_sharing")
    text = t("subscription_sharing", { ...base, signal: e.signal, count: e.count, keys: e.keys });
  else {
    const key = keyNames[e.keyId];
    if (e.rule === "key_sharing")
      text = key
        ? t("key_sharing", { ...base, networks: e.networks.length, key })
        : t("key_sharing_unnamed", { ...base, networks: e.networks.length });
    else if (e.rule === "key_clients")
      text = key
        ? t("key_clients", { ...base, clients: e.clients, key })
        : t("key_clients_unnamed", { ...base, clients: e.clients });
    else
      text = key
        ? t("key_devices", { ...base, devices: e.devices, key })
        : t("key_devices_unnamed", { ...base, devices: e.devices });
  }
  return <p className="text-sm wrap-anywhere">{text}</p>;
}
