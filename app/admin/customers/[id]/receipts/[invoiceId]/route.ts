import { z } from "zod";
import { getCurrentUser } from "@/lib/auth/session";
import { invoiceOf } from "@/lib/billing";
import { receiptResponse } from "@/lib/billing/receipt-response";
import { db } from "@/lib/db";
import { apiError, withApiErrors } from "@/lib/http/api-error";

const params = z.object({ id: z.uuid(), invoiceId: z.uuid() });

/** A customer's receipt as the customer gets it, for an admin (the proxy already keeps everyone else out; this checks the role again). */
export const GET = withApiErrors(async (_req: Request, ctx: { params: Promise<{ id: string; invoiceId: string }> }) => {
  const admin = await getCurrentUser();
  if (admin?.role !== "admin") return apiError(404, "not_found", "Not found.");
  const p = params.safeParse(await ctx.params);
  const [customer, invoice] = p.success
    ? await Promise.all([db().user.findUnique({ where: { id: p.data.id }, select: { name: true, email: true } }), invoiceOf(db(), p.data.id, p.data.invoiceId)])
    : [null, null];
  if (!customer || !invoice || invoice.status !== "paid" || !invoice.paidAt) return apiError(404, "not_found", "No paid invoice with this id.");
  return receiptResponse({ ...invoice, paidAt: invoice.paidAt }, customer);
});
