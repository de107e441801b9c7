import { recordAudit } from "../audit/record";
import type { Db } from "../db";
import { system, userCredits } from "./accounts";
import { post } from "./post";

/**
 * An admin grants promotional credits (WALLET-2: spendable, never withdrawn),
 * as a posting from the promotions account, with a required reason that goes
 * to the audit log. `requestId` makes a double submit grant once.
 */
export async function grantCredits(
  database: Db,
  input: { adminId: string; userId: string; currency: string; amountMinor: bigint; reason: string; requestId: string; now: Date },
) {
  return database.$transaction(async (tx) => {
    const posted = await post(tx, {
      idempotencyKey: `grant:${input.requestId}`,
      kind: "credit_grant",
      userId: input.userId,
      memo: input.reason,
      at: input.now,
      entries: [
        { account: system("promotions", input.currency), amountMinor: -input.amountMinor },
        { account: userCredits(input.userId, input.currency), amountMinor: input.amountMinor },
      ],
    });
    if (posted)
      await recordAudit(tx, {
        actorId: input.adminId,
        action: "wallet.grant_credits",
        subjectType: "user",
        subjectId: input.userId,
        after: { amountMinor: String(input.amountMinor), currency: input.currency, reason: input.reason },
        at: input.now,
      });
    return posted;
  });
}
