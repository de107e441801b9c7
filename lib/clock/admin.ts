import { recordAudit } from "../audit/record";
import { db } from "../db";
import { ClockError, movableClock } from "./index";

export type AdvanceResult = { ok: true; now: Date } | { ok: false; error: ClockError["code"] };

/** Moves the test clock for an admin and audits it. */
export async function advanceAppClock(adminId: string, how: { byMs: number } | { to: Date }): Promise<AdvanceResult> {
  try {
    const clock = movableClock();
    const before = await clock.now();
    const now = "byMs" in how ? await clock.advanceBy(how.byMs) : await clock.advanceTo(how.to);
    await recordAudit(db(), {
      actorId: adminId,
      action: "clock.advance",
      subjectType: "test_clock",
      before: { now: before.toISOString() },
      after: { now: now.toISOString() },
      at: now,
    });
    return { ok: true, now };
  } catch (e) {
    if (e instanceof ClockError) return { ok: false, error: e.code };
    throw e;
  }
}
