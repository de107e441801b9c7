import type { Db } from "../db";
import { sendMail } from "../mail/send";
import { noticeText } from "./notice-text";

/**
 * Sends the e-mail copy of new notices (the outbox of `notify`). Rows are
 * claimed with SKIP LOCKED, so several workers share the work, and marked
 * before sending: a crash mid-send loses that e-mail rather than sending it
 * twice; the notice itself is always in the app.
 */
export async function mailPendingNotices(db: Db, now: Date, limit = 100) {
  const claimed = await db.$queryRaw<{ id: string }[]>`
    UPDATE "notices" SET "mailed_at" = ${now}
    WHERE "id" IN (SELECT "id" FROM "notices" WHERE "mailed_at" IS NULL ORDER BY "created_at" LIMIT ${limit} FOR UPDATE SKIP LOCKED)
    RETURNING "id"::text`;
  if (claimed.length === 0) return 0;
  const notices = await db.notice.findMany({
    where: { id: { in: claimed.map((c) => c.id) } },
    include: { user: { select: { email: true, locale: true, timeZone: true } } },
  });
  for (const n of notices) {
    const { title, body } = noticeText(n, n.user.locale, n.user.timeZone ?? "UTC");
    await sendMail({ to: n.user.email, subject: `CodePlan: ${title}`, text: body });
  }
  return notices.length;
}

/** The subscriber's latest notices, newest first. */
export function noticesOf(db: Db, userId: string, limit = 20) {
  return db.notice.findMany({ where: { userId }, orderBy: { createdAt: "desc" }, take: limit });
}
