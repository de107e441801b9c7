import { recordAudit } from "../audit/record";
import type { Db } from "../db";

/**
 * SEC-1: ends every session of the account, this one included, by raising
 * the session version that every request compares its token against
 * (session-gate.ts). Tokens cannot be recalled, so this is what revokes them.
 * Audited with the version before and after.
 */
export async function signOutEverywhere(database: Db, userId: string, now: Date): Promise<void> {
  await database.$transaction(async (tx) => {
    const user = await tx.user.update({
      where: { id: userId },
      data: { sessionVersion: { increment: 1 }, updatedAt: now },
      select: { sessionVersion: true },
    });
    await recordAudit(tx, {
      actorId: userId,
      action: "auth.sign_out_everywhere",
      subjectType: "user",
      subjectId: userId,
      before: { sessionVersion: user.sessionVersion - 1 },
      after: { sessionVersion: user.sessionVersion },
      at: now,
    });
  });
}
