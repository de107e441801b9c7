"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { appClock } from "@/lib/clock";
import type { DomainError } from "@/lib/errors/domain-error";
import { action, fromForm, type Refusal } from "@/lib/http/action";
import type { ActionResult } from "@/lib/http/action-result";
import { decideViolationFor, liftBanFor } from "@/lib/policy/face";
import { queueFilter, queueHref } from "./filters";

// The domain requires the reason too (and audits it); this answers early, next to the field.
const reason = z.string().trim().min(1, "reason_required").max(500, "reason_too_long");
const decision = z.object({ violationId: z.uuid(), decision: z.enum(["uphold", "reverse"]), reason });
const unban = z.object({ userId: z.uuid(), reason, back: z.enum(["queue", "customer"]).catch("queue") });

/** A refusal as the form shows it: a reason problem next to the field, the rest as an alert (keys under adminPolicy.errors). */
function refused(code: string): Refusal {
  return code === "reason_required" || code === "reason_too_long"
    ? { ok: false, error: code, fieldErrors: { reason: code } }
    : { ok: false, error: code };
}

const options = {
  caller: "admin" as const,
  invalid: (error: z.ZodError) => {
    const issue = error.issues.find((i) => i.path[0] === "reason");
    return issue ? refused(issue.message) : ({ ok: false, error: "invalid_input" } as const);
  },
  refused: (e: DomainError) => refused(e.key),
};

function refreshPolicyPages(userId?: string) {
  revalidatePath("/admin/violations");
  revalidatePath("/admin");
  if (userId) revalidatePath(`/admin/customers/${userId}`);
}

/** The queue's filter, carried by the form, to go back to. */
const backTo = (form: FormData) =>
  queueFilter.parse({
    rule: form.get("rule") ?? undefined,
    state: form.get("state") ?? undefined,
    user: form.get("user") ?? undefined,
  });

/**
 * POLICY-2: an admin upholds or reverses one violation, with a reason the
 * subscriber is told. Goes back to the same filtered queue with the outcome.
 * SEC-1: role, ban and session version are read from the database before anything else (caller: admin).
 */
export const decideViolationAction = action(
  decision,
  async (input, { user: admin, args: [, form] }): Promise<ActionResult> => {
    await decideViolationFor({
      adminId: admin.id,
      violationId: input.violationId,
      decision: input.decision,
      reason: input.reason,
      now: await appClock().now(),
    });
    refreshPolicyPages();
    redirect(queueHref(backTo(form), input.decision === "uphold" ? "upheld" : "reversed"));
  },
  {
    ...options,
    read: fromForm((form) => ({
      violationId: form.get("violationId"),
      decision: form.get("decision"),
      reason: form.get("reason") ?? "",
    })),
  },
);

/**
 * POLICY-2: an admin lifts a ban (from the queue or the customer's page), with
 * a reason for the audit log. Reversing violations never does this by itself.
 */
export const liftBanAction = action(
  unban,
  async ({ userId, reason: why, back }, { user: admin, args: [, form] }): Promise<ActionResult> => {
    await liftBanFor({ adminId: admin.id, userId, reason: why, now: await appClock().now() });
    refreshPolicyPages(userId);
    if (back === "customer") redirect(`/admin/customers/${userId}?notice=ban_lifted#customer-policy-title`);
    redirect(queueHref(backTo(form), "unbanned"));
  },
  {
    ...options,
    read: fromForm((form) => ({
      userId: form.get("userId"),
      reason: form.get("reason") ?? "",
      back: form.get("back"),
    })),
  },
);
