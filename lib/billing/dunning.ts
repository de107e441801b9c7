import { env } from "../config/env";
import type { Tx } from "../db";
import { jsonRows } from "../db/json-rows";
import { appUrl } from "../http/app-url";
import { notify } from "../notices/notify";
import { isWalletMethod } from "../payments/port";
import { payMethodsOf } from "./pay-methods";
import { nextDunningStep } from "./dunning-schedule";
import { voidInvoices } from "./invoice-settle";
import { endSubscriptions } from "./subscription-end";

/**
 * One dunning step per failed scheduled charge of a renewal (SUB-2): the
 * subscription is past due and the card is tried again on the schedule
 * (DUNNING_RETRY_DAYS, 1, 3 and 5 days by default), the subscriber is told in
 * the app and by e-mail; after the last retry fails, the invoice is voided
 * (its wallet part goes back) and the subscription lapses. Each failure is
 * counted once: the caller passes only payments it has just moved to failed.
 */
export async function advanceDunning(
  tx: Tx,
  failures: { invoiceId: string; code: string }[],
  now: Date,
  retryDays = env().DUNNING_RETRY_DAYS,
) {
  if (failures.length === 0) return;
  const code = new Map(failures.map((f) => [f.invoiceId, f.code]));
  const invoices = await tx.invoice.updateManyAndReturn({
    where: { id: { in: [...code.keys()] }, status: "open", kind: "renewal" },
    data: { attempts: { increment: 1 } },
  });
  const retries: { id: string; at: Date }[] = [];
  const lapsing: typeof invoices = [];
  for (const inv of invoices) {
    const step = nextDunningStep(inv.periodStart!, inv.attempts, retryDays);
    if ("lapse" in step) lapsing.push(inv);
    else retries.push({ id: inv.id, at: step.retryAt });
  }
  if (retries.length) {
    await tx.$executeRaw`UPDATE "invoices" i SET "next_attempt_at" = x.at
      FROM jsonb_to_recordset(${jsonRows(retries)}::jsonb) AS x(id uuid, at timestamptz) WHERE i."id" = x.id`;
    const subIds = invoices.filter((i) => retries.some((r) => r.id === i.id)).map((i) => i.subscriptionId!);
    await tx.subscription.updateMany({
      where: { id: { in: subIds }, status: "active" },
      data: { status: "past_due", updatedAt: now },
    });
  }
  await voidInvoices(
    tx,
    lapsing.map((i) => i.id),
    now,
  );
  await endSubscriptions(
    tx,
    lapsing.map((i) => ({
      id: i.subscriptionId!,
      endedAt: i.periodStart!,
      action: "subscription.lapse",
      reason: code.get(i.id),
    })),
    now,
  );
  const retryAt = new Map(retries.map((r) => [r.id, r.at]));
  const payByLink = await walletPayers(
    tx,
    invoices.filter((i) => code.get(i.id) === "no_payment_method"),
  );
  await notify(
    tx,
    invoices.map((inv) => {
      const at = retryAt.get(inv.id);
      const common = {
        amountMinor: inv.cardMinor.toString(),
        currency: inv.currency,
        reason: code.get(inv.id) ?? "card_declined",
      };
      // PAY-3: nothing saved can be charged off-session (Alipay and WeChat Pay pay on the spot): a reminder with the pay link.
      if (at && payByLink.has(inv.id))
        return {
          userId: inv.userId,
          kind: "renewal_pay_link" as const,
          params: { ...common, retryAt: at.toISOString(), payUrl: appUrl("/subscription") },
          dedupeKey: `dunning:${inv.id}:${inv.attempts}`,
        };
      return at
        ? {
            userId: inv.userId,
            kind: "renewal_failed" as const,
            params: { ...common, attempt: inv.attempts, retryAt: at.toISOString() },
            dedupeKey: `dunning:${inv.id}:${inv.attempts}`,
          }
        : { userId: inv.userId, kind: "subscription_lapsed" as const, params: common, dedupeKey: `lapsed:${inv.id}` };
    }),
    now,
  );
}

/** Renewal invoices whose next dunning retry is due. */
export async function dunningDueInvoiceIds(tx: Pick<Tx, "invoice">, now: Date, limit = 1000): Promise<string[]> {
  const rows = await tx.invoice.findMany({
    where: { status: "open", kind: "renewal", nextAttemptAt: { lte: now } },
    select: { id: true },
    orderBy: { nextAttemptAt: "asc" },
    take: limit,
  });
  return rows.map((r) => r.id);
}

/** Of renewals no saved method could pay, those whose owner's region takes a wallet paid on the spot (PAY-3). */
async function walletPayers(tx: Tx, invoices: { id: string; userId: string }[]): Promise<Set<string>> {
  if (invoices.length === 0) return new Set();
  const users = await tx.user.findMany({
    where: { id: { in: invoices.map((i) => i.userId) } },
    select: { id: true, region: true },
  });
  const wallets = new Set(users.filter((u) => payMethodsOf(u.region).some((m) => isWalletMethod(m))).map((u) => u.id));
  return new Set(invoices.filter((i) => wallets.has(i.userId)).map((i) => i.id));
}
