"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { appClock } from "@/lib/clock";
import { action, fromForm } from "@/lib/http/action";
import type { ActionResult } from "@/lib/http/action-result";
import { requestReviewFor } from "@/lib/policy/face";

// The domain checks the note's length again; this answers early, next to the field.
const input = z.object({
  violationId: z.uuid("violation_not_found"),
  note: z.string().trim().max(2000, "review_note_too_long"),
});

/**
 * POLICY-2: the subscriber asks for a review of one of their open violations.
 * Errors are keys under policy.errors; a success goes back to the page, which
 * then shows the violation as under review, with a confirmation.
 */
export const requestReviewAction = action(
  input,
  async (review, { user }): Promise<ActionResult> => {
    await requestReviewFor({ userId: user.id, ...review, now: await appClock().now() });
    revalidatePath("/policy");
    redirect("/policy?done=review");
  },
  {
    read: fromForm((form) => ({ violationId: form.get("violationId"), note: form.get("note") ?? "" })),
    invalid: (error) =>
      error.issues[0].path[0] === "note"
        ? { ok: false, error: "review_note_too_long", fieldErrors: { note: "review_note_too_long" } }
        : { ok: false, error: "violation_not_found" },
    // A note the domain finds too long is shown next to the field, like the schema's answer.
    refused: (e) =>
      e.code === "review_note_too_long" ? { ok: false, error: e.key, fieldErrors: { note: e.key } } : null,
  },
);
