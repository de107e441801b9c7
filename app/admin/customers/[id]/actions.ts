"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { requireAdmin } from "@/lib/auth/session";
import { loadCatalog } from "@/lib/billing";
import { appClock } from "@/lib/clock";
import { db } from "@/lib/db";
import type { ActionResult } from "@/lib/http/action-result";
import { grantCredits } from "@/lib/ledger";
import { parseMoney } from "@/lib/money/parse";

const input = z.object({
  userId: z.uuid(),
  amount: z.string().trim(),
  reason: z.string().trim().min(3, "reason_required").max(500, "reason_too_long"),
  requestId: z.uuid(),
});

/** WALLET-2: an admin grants promotional credits, with a reason that goes to the audit log. */
export async function grantCreditsAction(_prev: unknown, form: FormData): Promise<ActionResult> {
  const admin = await requireAdmin();
  const parsed = input.safeParse(Object.fromEntries(form.entries()));
  if (!parsed.success) {
    const reason = parsed.error.issues.find((i) => i.path[0] === "reason");
    return { ok: false, error: "invalid_input", fieldErrors: reason ? { reason: reason.message } : { amount: "amount_invalid" } };
  }
  const user = await db().user.findUnique({ where: { id: parsed.data.userId }, select: { id: true, region: true } });
  if (!user) return { ok: false, error: "invalid_input" };
  // Credits are granted in the currency of the customer's region (the catalog's), not one the form names.
  const currency = (await loadCatalog(db())).regions[user.region].currency;
  const amountMinor = parseMoney(parsed.data.amount, currency);
  if (amountMinor === null || amountMinor <= 0n || amountMinor > 100_000_00n)
    return { ok: false, error: "invalid_input", fieldErrors: { amount: "amount_invalid" } };
  await grantCredits(db(), { ...parsed.data, currency, adminId: admin.id, amountMinor, now: await appClock().now() });
  revalidatePath(`/admin/customers/${user.id}`);
  redirect(`/admin/customers/${user.id}?notice=granted`);
}
