import { z } from "zod";
import { adminForRoute } from "@/lib/auth/session";
import { customerInvoiceFor } from "@/lib/billing/face";
import { receiptResponse } from "@/lib/billing/receipt-response";
import { apiError, withApiErrors } from "@/lib/http/api-error";

const params = z.object({ id: z.uuid(), invoiceId: z.uuid() });

/**
 * A customer's receipt as the customer gets it, for an admin. The proxy keeps
 * out tokens without the admin role; this checks role, ban and session version
 * against the database (SEC-1): 403 for a demoted, banned or signed-out admin.
 */
export const GET = withApiErrors(async (_req: Request, ctx: { params: Promise<{ id: string; invoiceId: string }> }) => {
  const gate = await adminForRoute();
  if (!gate.ok) return gate.response;
  const p = params.safeParse(await ctx.params);
  const { customer, invoice } = p.success
    ? await customerInvoiceFor(p.data.id, p.data.invoiceId)
    : { customer: null, invoice: null };
  if (!customer || !invoice || invoice.status !== "paid" || !invoice.paidAt)
    return apiError(404, "not_found", "No paid invoice with this id.");
  return receiptResponse({ ...invoice, paidAt: invoice.paidAt }, customer);
});
