import { env } from "../config/env";
import { notify } from "../notices/notify";
import { loadCatalog } from "./catalog-load";
import { TX_OPTIONS, type BillingDeps } from "./deps";

/**
 * Renewal reminders (SUB-2, SUB-3): each auto-renewing subscription is told
 * of its coming renewal once per period, RENEWAL_REMINDER_HOURS before the
 * cancellation cutoff (24 h or 72 h before renewal, by region), so there is
 * still time to cancel. Set-based; the notice's key sends each reminder once.
 */
export async function sendRenewalReminders(
  deps: Pick<BillingDeps, "db" | "now">,
  leadHours = env().RENEWAL_REMINDER_HOURS,
) {
  const catalog = await loadCatalog(deps.db);
  let sent = 0;
  for (const rules of Object.values(catalog.regions)) {
    const cutoffMs = rules.cancelCutoffSeconds * 1000;
    // Due for a reminder: the cutoff (periodEnd − cutoff) is ahead of now, by at most the lead.
    const from = new Date(deps.now.getTime() + cutoffMs);
    const to = new Date(deps.now.getTime() + cutoffMs + leadHours * 3_600_000);
    // Only those not reminded yet, so a sweep every few seconds costs one indexed query.
    const subs = await deps.db.$queryRaw<
      { id: string; userId: string; tier: string; cycle: string; periodEnd: Date }[]
    >`
      SELECT s."id"::text, s."user_id"::text AS "userId", s."tier"::text, s."cycle"::text, s."period_end" AS "periodEnd"
      FROM "subscriptions" s
      WHERE s."region" = ${rules.region}::"Region" AND s."status" = 'active' AND s."auto_renew" AND s."period_end" > ${from} AND s."period_end" <= ${to}
        AND NOT EXISTS (SELECT 1 FROM "notices" n WHERE n."dedupe_key" = 'reminder:' || s."id" || ':' || to_char(s."period_end" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))`;
    if (subs.length === 0) continue;
    await deps.db.$transaction(
      (tx) =>
        notify(
          tx,
          subs.map((s) => ({
            userId: s.userId,
            kind: "renewal_reminder" as const,
            params: {
              tier: s.tier,
              cycle: s.cycle,
              renewsAt: s.periodEnd.toISOString(),
              cutoffAt: new Date(s.periodEnd.getTime() - cutoffMs).toISOString(),
            },
            dedupeKey: `reminder:${s.id}:${s.periodEnd.toISOString()}`,
          })),
          deps.now,
        ),
      TX_OPTIONS,
    );
    sent += subs.length;
  }
  return sent;
}
