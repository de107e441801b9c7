import { z } from "zod";
import { adminForRoute } from "@/lib/auth/session";
import { creditNoteForAdmin } from "@/lib/billing/credit-note-face";
import { creditNoteResponse } from "@/lib/billing/credit-note-response";
import { apiError, withApiErrors } from "@/lib/http/api-error";

const params = z.object({ id: z.uuid(), creditNoteId: z.uuid() });

/** INV-1: a customer's credit note as the customer gets it, for an admin (role, ban and session checked against the database, SEC-1). */
export const GET = withApiErrors(
  async (_req: Request, ctx: { params: Promise<{ id: string; creditNoteId: string }> }) => {
    const gate = await adminForRoute();
    if (!gate.ok) return gate.response;
    const p = params.safeParse(await ctx.params);
    const found = p.success ? await creditNoteForAdmin(p.data.id, p.data.creditNoteId) : null;
    if (!found) return apiError(404, "not_found", "No credit note with this id.");
    return creditNoteResponse(found.note, found.customer);
  },
);
