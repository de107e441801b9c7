"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { requireUser } from "@/lib/auth/session";
import { appClock } from "@/lib/clock";
import { db } from "@/lib/db";
import type { ActionResult } from "@/lib/http/action-result";
import { PolicyError, requestReview } from "@/lib/policy";

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
export async function requestReviewAction(_prev: unknown, form: FormData): Promise<ActionResult> {
  const user = await requireUser();
  // The type is the browser's promise only: a hand-made call can pass anything, which is bad input, not a 500.
  if (!(form instanceof FormData)) return { ok: false, error: "invalid_input" };
  const parsed = input.safeParse({ violationId: form.get("violationId"), note: form.get("note") ?? "" });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue.path[0] === "note")
      return { ok: false, error: "review_note_too_long", fieldErrors: { note: "review_note_too_long" } };
    return { ok: false, error: "violation_not_found" };
  }
  try {
    await requestReview(db(), { userId: user.id, ...parsed.data, now: await appClock().now() });
  } catch (e) {
    if (!(e instanceof PolicyError)) throw e;
    return e.code === "review_note_too_long"
      ? { ok: false, error: e.code, fieldErrors: { note: e.code } }
      : { ok: false, error: e.code };
  }
  revalidatePath("/policy");
  redirect("/policy?done=review");
}
