import type { Db } from "../db";
import { sendMail } from "../mail/send";
import { noticeText } from "../notices";

/**
 * The e-mail channel of ALERT-1: events still owing an e-mail are claimed
 * with SKIP LOCKED (several workers share them) and marked before sending,
 * as the notice outbox does: a crash mid-send loses that e-mail rather than
 * sending it twice.
 */
export async function mailPendingAlerts(database: Db, now: Date, limit = 100) {
  const claimed = await database.$queryRaw<{ id: string }[]>`
    UPDATE "alert_events" SET "mailed_at" = ${now}
    WHERE "id" IN (SELECT "id" FROM "alert_events" WHERE "mailed_at" IS NULL ORDER BY "created_at" LIMIT ${limit} FOR UPDATE SKIP LOCKED)
    RETURNING "id"::text`;
  if (claimed.length === 0) return 0;
  const events = await database.alertEvent.findMany({
    where: { id: { in: claimed.map((c) => c.id) } },
    include: { user: { select: { email: true, locale: true, timeZone: true } } },
  });
  for (const e of events) {
    const { title, body } = noticeText(
      e.payload as { kind: string; params: unknown },
      e.user.locale,
      e.user.timeZone ?? "UTC",
    );
    await sendMail({ to: e.user.email, subject: `CodePlan: ${title}`, text: body });
  }
  return events.length;
}
