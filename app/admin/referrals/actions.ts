"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { appClock } from "@/lib/clock";
import { action, fromForm } from "@/lib/http/action";
import type { ActionResult } from "@/lib/http/action-result";
import { reviewReferralsFor } from "@/lib/referrals/face";
import { queueFilter, queueHref, REVIEW_ACTIONS } from "./filters";

const input = z
  .object({
    action: z.enum(REVIEW_ACTIONS),
    referralIds: z.array(z.uuid()).min(1, "none_selected").max(200, "too_many"),
    reason: z.string().trim().max(500, "reason_too_long"),
  })
  .refine((v) => v.action === "release" || v.reason.length > 0, { path: ["reason"], message: "reason_required" });

const KNOWN = new Set(["none_selected", "too_many"]);

/**
 * REF-5: an admin releases, rejects or bans on one invitation or on several
 * checked at once. Errors are keys under adminReferrals.errors; a success goes
 * back to the same filtered queue with the outcome to confirm.
 * SEC-1: role, ban and session version are read from the database before anything else (caller: admin).
 */
export const reviewReferralsAction = action(
  input,
  async ({ action: decision, referralIds, reason }, { user: admin, args: [, form] }): Promise<ActionResult> => {
    const result = await reviewReferralsFor(decision, {
      adminId: admin.id,
      referralIds,
      reason,
      now: await appClock().now(),
    });
    if (!result.ok)
      return result.error === "reason_required"
        ? { ok: false, error: result.error, fieldErrors: { reason: result.error } }
        : result;
    revalidatePath("/admin/referrals");
    revalidatePath("/admin");
    const back = queueFilter.parse({ rule: form.get("rule") ?? undefined, state: form.get("state") ?? undefined });
    redirect(queueHref(back, { action: decision, changed: result.changed }));
  },
  {
    caller: "admin",
    read: fromForm((form) => ({
      action: form.get("action"),
      referralIds: form.getAll("referralIds"),
      reason: form.get("reason") ?? "",
    })),
    invalid: (error) => {
      const issue = error.issues[0];
      if (issue.path[0] === "reason")
        return { ok: false, error: issue.message, fieldErrors: { reason: issue.message } };
      return { ok: false, error: KNOWN.has(issue.message) ? issue.message : "invalid_input" };
    },
  },
);
