import { recordAudit } from "../audit/record";
import { db } from "../db";
import type { Locale } from "../i18n/config";

export type Preferences = { locale?: Locale; timeZone?: string };

/** Saves a user's language and time zone; an actual change is audited. */
export async function savePreferences(userId: string, prefs: Preferences, now: Date) {
  await db().$transaction(async (tx) => {
    const before = await tx.user.findUnique({ where: { id: userId }, select: { locale: true, timeZone: true } });
    if (!before) return;
    const changed = Object.entries(prefs).filter(([k, v]) => v !== undefined && before[k as keyof typeof before] !== v);
    if (changed.length === 0) return;
    await tx.user.update({ where: { id: userId }, data: { ...prefs, updatedAt: now } });
    await recordAudit(tx, {
      actorId: userId,
      action: "user.preferences",
      subjectType: "user",
      subjectId: userId,
      before: Object.fromEntries(changed.map(([k]) => [k, before[k as keyof typeof before]])),
      after: Object.fromEntries(changed),
      at: now,
    });
  });
}
