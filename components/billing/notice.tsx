import { getTranslations } from "next-intl/server";

const KNOWN = new Set([
  "subscribed",
  "upgraded",
  "bought",
  "scheduled",
  "withdrawn",
  "canceled",
  "ended",
  "resumed",
  "topped_up",
  "granted",
  "paid",
  "card_saved",
  "refunded",
  "pack_bought",
  "pack_pending",
  "agreement_ended",
]);
const FAILED = { payment: "payment_failed", card: "card_failed" } as const;

/**
 * The outcome after an action or a 3-D Secure round trip redirected here:
 * `?notice=…` confirms, `?failed=payment|card&reason=…` says what went wrong.
 * Unknown values show nothing.
 */
export async function Notice({ notice, failed, reason }: { notice?: string; failed?: string; reason?: string }) {
  const t = await getTranslations();
  if (failed === "payment" || failed === "card") {
    const why =
      reason && t.has(`declines.${reason}`) ? t(`declines.${reason}` as "declines.other") : t("declines.other");
    return (
      <p role="alert" className="rounded-lg bg-red-50 p-3 text-sm text-red-800">
        {t(`errors.${FAILED[failed]}`, { reason: why })}
      </p>
    );
  }
  if (!notice || !KNOWN.has(notice)) return null;
  return (
    <p role="status" className="rounded-lg bg-green-50 p-3 text-sm text-green-900">
      {t(`notices.${notice}` as "notices.paid")}
    </p>
  );
}
