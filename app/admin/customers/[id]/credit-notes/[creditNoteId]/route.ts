import { z } from "zod";
import { adminForRoute } from "@/lib/auth/session";
import { creditNoteOf } from "@/lib/billing";
import { creditNoteResponse } from "@/lib/billing/credit-note-response";
import { db } from "@/lib/db";
import { apiError, withApiErrors } from "@/lib/http/api-error";

const params = z.object({ id: z.uuid(), creditNoteId: z.uuid() });

/** INV-1: a customer's credit note as the customer gets it, for an admin (role, ban and session checked against the database, SEC-1). */
export const GET = withApiErrors(async (_req: Request, ctx: { params: Promise<{ id: string; creditNoteId: string }> }) => {
  const gate = await adminForRoute();
  if (!gate.ok) return gate.response;
  const p = params.safeParse(await ctx.params);
  const [customer, note] = p.success
    ? await Promise.all([db().user.findUnique({ where: { id: p.data.id }, select: { name: true, email: true } }), creditNoteOf(db(), p.data.id, p.data.creditNoteId)])
    : [null, null];
  if (!customer || !note) return apiError(404, "not_found", "No credit note with this id.");
  return creditNoteResponse(note, customer);
});
