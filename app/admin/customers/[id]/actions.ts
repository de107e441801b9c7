"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { requireAdmin } from "@/lib/auth/session";
import { appClock } from "@/lib/clock";
import { db } from "@/lib/db";
import type { ActionResult } from "@/lib/http/action-result";
import { grantCredits } from "@/lib/ledger";
import { parseMoney } from "@/lib/money/parse";

const input = z.object({
  userId: z.uuid(),
  currency: z.enum(["USD", "CNY"]),
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
  const amountMinor = parseMoney(parsed.data.amount, parsed.data.currency);
  if (amountMinor === null || amountMinor <= 0n || amountMinor > 100_000_00n)
    return { ok: false, error: "invalid_input", fieldErrors: { amount: "amount_invalid" } };
  const user = await db().user.findUnique({ where: { id: parsed.data.userId }, select: { id: true } });
  if (!user) return { ok: false, error: "invalid_input" };
  await grantCredits(db(), { ...parsed.data, adminId: admin.id, amountMinor, now: await appClock().now() });
  revalidatePath(`/admin/customers/${user.id}`);
  redirect(`/admin/customers/${user.id}?notice=granted`);
}
