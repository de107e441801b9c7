import { z } from "zod";
import { getCurrentUser } from "@/lib/auth/session";
import { creditNoteForUser } from "@/lib/billing/credit-note-face";
import { creditNoteResponse } from "@/lib/billing/credit-note-response";
import { apiError, withApiErrors } from "@/lib/http/api-error";

/** INV-1: one of the signed-in user's credit notes as a PDF, in their language and zone. */
export const GET = withApiErrors(async (_req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const user = await getCurrentUser();
  if (!user) return apiError(401, "unauthenticated", "Sign in to download credit notes.");
  const id = z.uuid().safeParse((await ctx.params).id);
  const note = id.success ? await creditNoteForUser(user.id, id.data) : null;
  if (!note) return apiError(404, "not_found", "No credit note with this id.");
  return creditNoteResponse(note, user);
});
