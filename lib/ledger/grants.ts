import { DomainError } from "../errors/domain-error";
import { recordAudit } from "../audit/record";
import type { Db } from "../db";
import { system, userCredits } from "./accounts";
import { walletOf } from "./balances";
import { LedgerError, post } from "./post";

export type CreditAdjustment = {
  adminId: string;
  userId: string;
  currency: string;
  /** Signed: positive grants credits, negative removes them. */
  amountMinor: bigint;
  reason: string;
  /** From the admin's form: a double submit posts once. */
  requestId: string;
  now: Date;
};

export type AdjustmentResult = { posted: boolean; beforeMinor: bigint; afterMinor: bigint };

/** A refused adjustment; `code` is an i18n key, `params` fill it (the balance as minor units). */
export class CreditAdjustmentError extends DomainError<"reason_required" | "amount_invalid" | "credits_below_zero"> {
  declare readonly params: Readonly<Record<string, string>>;

  constructor(code: "reason_required" | "amount_invalid" | "credits_below_zero", params: Record<string, string> = {}) {
    super(code, code, code === "credits_below_zero" ? 409 : 422, { params });
  }
}

/**
 * An admin adds or removes promotional credits (WALLET-2) with a required
 * reason: one posting against the promotions account, and an audit entry with
 * who, when, why and the credit balance before and after. A removal may take
 * the balance to zero, never below (WALLET-3): refused before anything is
 * written. The same request id posts once, however often it is sent.
 */
export async function adjustCredits(database: Db, input: CreditAdjustment): Promise<AdjustmentResult> {
  const reason = input.reason.trim();
  if (reason.length === 0) throw new CreditAdjustmentError("reason_required");
  if (input.amountMinor === 0n) throw new CreditAdjustmentError("amount_invalid");
  return database.$transaction(async (tx) => {
    // The lock orders this against every other spend of the same wallet, so the check below still holds at the posting.
    const { creditsMinor } = await walletOf(tx, input.userId, input.currency, { lock: true });
    const key = `grant:${input.requestId}`;
    if (await tx.ledgerTransaction.findUnique({ where: { idempotencyKey: key }, select: { id: true } }))
      return { posted: false, beforeMinor: creditsMinor, afterMinor: creditsMinor };
    if (creditsMinor + input.amountMinor < 0n)
      throw new CreditAdjustmentError("credits_below_zero", { balanceMinor: String(creditsMinor) });
    const removal = input.amountMinor < 0n;
    const posted = await post(tx, {
      idempotencyKey: key,
      kind: removal ? "credit_removal" : "credit_grant",
      userId: input.userId,
      memo: reason,
      at: input.now,
      entries: [
        { account: system("promotions", input.currency), amountMinor: -input.amountMinor },
        { account: userCredits(input.userId, input.currency), amountMinor: input.amountMinor },
      ],
    }).catch((e: unknown) => {
      // The database's own non-negative check: only reachable if the lock above was bypassed.
      if (e instanceof LedgerError && e.code === "insufficient_funds")
        throw new CreditAdjustmentError("credits_below_zero", { balanceMinor: String(creditsMinor) });
      throw e;
    });
    // Lost a race for the same request id on a wallet that had no row to lock yet.
    if (!posted) return { posted: false, beforeMinor: creditsMinor, afterMinor: creditsMinor };
    // Read back under the row lock the posting took: exact even when the account was opened by this posting.
    const afterMinor = (await walletOf(tx, input.userId, input.currency)).creditsMinor;
    const beforeMinor = afterMinor - input.amountMinor;
    await recordAudit(tx, {
      actorId: input.adminId,
      action: removal ? "wallet.remove_credits" : "wallet.grant_credits",
      subjectType: "user",
      subjectId: input.userId,
      before: { creditsMinor: String(beforeMinor), currency: input.currency },
      after: {
        creditsMinor: String(afterMinor),
        amountMinor: String(input.amountMinor),
        currency: input.currency,
        reason,
      },
      at: input.now,
    });
    return { posted: true, beforeMinor, afterMinor };
  });
}

/** A grant of credits (positive amount only); true when it was posted, false for a request id seen before. */
export async function grantCredits(database: Db, input: CreditAdjustment): Promise<boolean> {
  if (input.amountMinor <= 0n) throw new CreditAdjustmentError("amount_invalid");
  return (await adjustCredits(database, input)).posted;
}
