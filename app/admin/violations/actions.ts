"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { adminForAction } from "@/lib/auth/session";
import { appClock } from "@/lib/clock";
import { db } from "@/lib/db";
import type { ActionResult } from "@/lib/http/action-result";
import { decideViolation, liftBan, PolicyError } from "@/lib/policy";
import { queueFilter, queueHref } from "./filters";

// The domain requires the reason too (and audits it); this answers early, next to the field.
const reason = z.string().trim().min(1, "reason_required").max(500, "reason_too_long");
const decision = z.object({ violationId: z.uuid(), decision: z.enum(["uphold", "reverse"]), reason });
const unban = z.object({ userId: z.uuid(), reason, back: z.enum(["queue", "customer"]).catch("queue") });

/** A refusal as the form shows it: a reason problem next to the field, the rest as an alert (keys under adminPolicy.errors). */
function refused(code: string): ActionResult {
  return code === "reason_required" || code === "reason_too_long"
    ? { ok: false, error: code, fieldErrors: { reason: code } }
    : { ok: false, error: code };
}

function invalid(error: z.ZodError): ActionResult {
  const issue = error.issues.find((i) => i.path[0] === "reason");
  return issue ? refused(issue.message) : { ok: false, error: "invalid_input" };
}

/** Runs a domain decision; a PolicyError becomes a typed refusal, anything else is a bug for the error page. */
async function attempt(run: () => Promise<unknown>): Promise<ActionResult | null> {
  try {
    await run();
    return null;
  } catch (e) {
    if (e instanceof PolicyError) return refused(e.code);
    throw e;
  }
}

function refreshPolicyPages(userId?: string) {
  revalidatePath("/admin/violations");
  revalidatePath("/admin");
  if (userId) revalidatePath(`/admin/customers/${userId}`);
}

/**
 * POLICY-2: an admin upholds or reverses one violation, with a reason the
 * subscriber is told. Goes back to the same filtered queue with the outcome.
 */
export async function decideViolationAction(_prev: unknown, form: FormData): Promise<ActionResult> {
  // SEC-1: role, ban and session version read from the database before anything else.
  const gate = await adminForAction();
  if (!gate.ok) return gate;
  const { admin } = gate;
  const parsed = decision.safeParse({
    violationId: form.get("violationId"),
    decision: form.get("decision"),
    reason: form.get("reason") ?? "",
  });
  if (!parsed.success) return invalid(parsed.error);
  const { violationId, reason: why } = parsed.data;
  const refusal = await attempt(async () =>
    decideViolation(db(), {
      adminId: admin.id,
      violationId,
      decision: parsed.data.decision,
      reason: why,
      now: await appClock().now(),
    }),
  );
  if (refusal) return refusal;
  refreshPolicyPages();
  const back = queueFilter.parse({
    rule: form.get("rule") ?? undefined,
    state: form.get("state") ?? undefined,
    user: form.get("user") ?? undefined,
  });
  redirect(queueHref(back, parsed.data.decision === "uphold" ? "upheld" : "reversed"));
}

/**
 * POLICY-2: an admin lifts a ban (from the queue or the customer's page), with
 * a reason for the audit log. Reversing violations never does this by itself.
 */
export async function liftBanAction(_prev: unknown, form: FormData): Promise<ActionResult> {
  // SEC-1: role, ban and session version read from the database before anything else.
  const gate = await adminForAction();
  if (!gate.ok) return gate;
  const { admin } = gate;
  const parsed = unban.safeParse({
    userId: form.get("userId"),
    reason: form.get("reason") ?? "",
    back: form.get("back"),
  });
  if (!parsed.success) return invalid(parsed.error);
  const { userId, reason: why } = parsed.data;
  const refusal = await attempt(async () =>
    liftBan(db(), { adminId: admin.id, userId, reason: why, now: await appClock().now() }),
  );
  if (refusal) return refusal;
  refreshPolicyPages(userId);
  if (parsed.data.back === "customer") redirect(`/admin/customers/${userId}?notice=ban_lifted#customer-policy-title`);
  const back = queueFilter.parse({
    rule: form.get("rule") ?? undefined,
    state: form.get("state") ?? undefined,
    user: form.get("user") ?? undefined,
  });
  redirect(queueHref(back, "unbanned"));
}
