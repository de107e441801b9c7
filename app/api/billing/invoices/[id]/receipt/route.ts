import { z } from "zod";
import { getCurrentUser } from "@/lib/auth/session";
import { invoiceFor } from "@/lib/billing/face";
import { receiptResponse } from "@/lib/billing/receipt-response";
import { apiError, withApiErrors } from "@/lib/http/api-error";

/** A PDF receipt for one of the signed-in user's paid invoices, in their language and zone. */
export const GET = withApiErrors(async (_req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const user = await getCurrentUser();
  if (!user) return apiError(401, "unauthenticated", "Sign in to download receipts.");
  const id = z.uuid().safeParse((await ctx.params).id);
  const invoice = id.success ? await invoiceFor(user.id, id.data) : null;
  if (!invoice || invoice.status !== "paid" || !invoice.paidAt)
    return apiError(404, "not_found", "No paid invoice with this id.");
  return receiptResponse({ ...invoice, paidAt: invoice.paidAt }, user);
});
