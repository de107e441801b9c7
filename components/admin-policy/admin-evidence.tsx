import { getFormatter, getTranslations } from "next-intl/server";
import { readEvidence } from "@/lib/policy/evidence";

/**
 * What the rule saw, in full for the admin: the clients, or the key and every
 * network it was used from, the client names behind a key's many sessions, or
 * the keys that together crossed the subscription's limit. Client and device
 * ids are hashes and are not shown: their count is the evidence.
 */
export async function AdminEvidence({
  rule,
  evidence,
  keyNames,
}: {
  rule: string;
  evidence: unknown;
  keyNames: Record<string, string>;
}) {
  const [t, format] = await Promise.all([getTranslations("adminPolicy.evidence"), getFormatter()]);
  const e = readEvidence(rule, evidence);
  const percent = (bps: number) => format.number(bps / 10_000, { style: "percent", maximumFractionDigits: 1 });
  const time = (at: Date | null) => (at ? format.dateTime(at, { dateStyle: "medium", timeStyle: "short" }) : "—");
  const chips = (items: string[]) => (
    <ul className="mt-1 flex flex-wrap gap-x-3 gap-y-1">
      {items.map((n, i) => (
        // Two deleted keys read the same: the position tells them apart.
        <li key={i}>
          <code className="rounded bg-slate-100 px-1 text-xs text-slate-800">{n}</code>
        </li>
      ))}
    </ul>
  );
  switch (e.rule) {
    case "not_coding":
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
          <p className="wrap-anywhere">
            {t("clients", { clients: format.list(e.clients.map((c) => (c === "(none)" ? t("noClient") : c))) })}
          </p>
        </div>
      );
    case "key_sharing":
      return (
        <div className="text-sm">
          <p className="wrap-anywhere">
            {t("key_sharing", {
              key: keyNames[e.keyId] ?? t("unknownKey"),
              count: e.networks.length,
              minutes: e.windowMinutes,
              max: e.max,
              time: e.at ? format.dateTime(e.at, { dateStyle: "medium", timeStyle: "short" }) : "—",
            })}
          </p>
          <ul className="mt-1 flex flex-wrap gap-x-3 gap-y-1">
            {e.networks.map((n) => (
              <li key={n}>
                <code className="rounded bg-slate-100 px-1 text-xs text-slate-800">{n}</code>
              </li>
            ))}
          </ul>
        </div>
      );
    case "key_clients":
      return (
        <div className="text-sm">
          <p className="wrap-anywhere">
            {t("key_clients", {
              key: keyNames[e.keyId] ?? t("unknownKey"),
              count: e.clients,
              minutes: e.windowMinutes,
              max: e.max,
              time: time(e.at),
            })}
          </p>
          {chips(e.names.map((c) => (c === "(none)" ? t("noClient") : c)))}
        </div>
      );
    case "key_devices":
      return (
        <p className="text-sm wrap-anywhere">
          {t("key_devices", {
            key: keyNames[e.keyId] ?? t("unknownKey"),
            count: e.devices,
            minutes: e.windowMinutes,
            max: e.max,
            time: time(e.at),
          })}
        </p>
      );
    case "subscription_sharing":
      return (
        <div className="text-sm">
          <p className="wrap-anywhere">
            {t("subscription_sharing", {
              signal: e.signal,
              keys: e.keys,
              count: e.count,
              minutes: e.windowMinutes,
              max: e.max,
              time: time(e.at),
            })}
          </p>
          {chips(e.keyIds.map((id) => keyNames[id] ?? t("unknownKey")))}
        </div>
      );
    default:
      // Evidence this screen does not know the shape of: its plain values, labelled by their keys.
      return (
        <dl className="grid grid-cols-[max-content_1fr] gap-x-3 text-sm">
          {e.values.map(([k, v]) => (
            <div key={k} className="contents">
              <dt className="text-slate-600">{k}</dt>
              <dd className="wrap-anywhere">{v}</dd>
            </div>
          ))}
        </dl>
      );
  }
}
