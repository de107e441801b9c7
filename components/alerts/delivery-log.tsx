import { useTranslations } from "next-intl";

export type DeliveryRow = { id: string; at: string; type: string; status: string; attempts: number; answer: string };

/** ALERT-1's delivery log: each webhook message, its attempts and what the receiver last answered. */
export function DeliveryLog({ rows }: { rows: DeliveryRow[] }) {
  const t = useTranslations("alerts");
  if (rows.length === 0)
    return (
      <p className="text-sm text-slate-600" data-testid="no-deliveries">
        {t("noDeliveries")}
      </p>
    );
  return (
    // Focusable, so a keyboard can scroll the table sideways at phone width.
    <div className="overflow-x-auto" tabIndex={0} role="region" aria-label={t("logTitle")}>
      <table className="w-full text-left text-sm" data-testid="delivery-log">
        <thead>
          <tr className="border-b">
            <th scope="col" className="py-2 pr-3">
              {t("logAt")}
            </th>
            <th scope="col" className="py-2 pr-3">
              {t("logType")}
            </th>
            <th scope="col" className="py-2 pr-3">
              {t("logStatus")}
            </th>
            <th scope="col" className="py-2 pr-3">
              {t("logAttempts")}
            </th>
            <th scope="col" className="py-2">
              {t("logAnswer")}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} className="border-b last:border-0">
              <td className="py-2 pr-3 whitespace-nowrap">{r.at}</td>
              <td className="py-2 pr-3 font-mono">{r.type}</td>
              <td className="py-2 pr-3">{t(`deliveryStatus.${r.status as "pending"}`)}</td>
              <td className="py-2 pr-3">{r.attempts}</td>
              <td className="py-2 break-all">{r.answer}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
