"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { requireUser } from "@/lib/auth/session";
import {
  appBillingDeps,
  asActionResult,
  cancelSubscription,
  CYCLES,
  paymentFailure,
  payOverdue,
  resumeSubscription,
  schedulePlanChange,
  subscribe,
  TIERS,
  upgrade,
  type PaymentOutcome,
} from "@/lib/billing";
import type { ActionResult } from "@/lib/http/action-result";
import { paymentReturnUrl } from "@/lib/http/app-url";
import { PAY_METHODS } from "@/lib/payments";
import { paymentStepUrl } from "@/lib/payments/wallet-payment";

const RETURN_URL = () => paymentReturnUrl("/subscription");

const plan = z.object({ tier: z.enum(TIERS), cycle: z.enum(CYCLES) });
const method = z.enum(PAY_METHODS).optional();
const purchase = plan.extend({ requestId: z.uuid(), method });

type Result = ActionResult<object>;

function parse<T extends z.ZodType>(schema: T, form: FormData): z.infer<T> | null {
  // The type is the browser's promise only: a hand-made call can pass anything, which is bad input, not a 500.
  if (!(form instanceof FormData)) return null;
  const parsed = schema.safeParse(Object.fromEntries(form.entries()));
  return parsed.success ? parsed.data : null;
}

/** A paid purchase lands on the subscription page; a 3-D Secure step would go to the processor's page. */
function afterPayment(outcome: PaymentOutcome, notice: string): Result {
  if (outcome.status === "requires_action") redirect(paymentStepUrl(outcome, "/subscription"));
  if (outcome.status !== "paid") {
    // The page comes back with a new request id, so trying again (another card, say) is a new attempt, not a replay.
    revalidatePath("/subscription", "layout");
    return outcome.status === "failed" ? paymentFailure(outcome.code) : { ok: false, error: "payment_pending" };
  }
  revalidatePath("/", "layout");
  redirect(`/subscription?notice=${notice}`);
}

export async function subscribeAction(_prev: unknown, form: FormData): Promise<Result> {
  const user = await requireUser();
  const input = parse(purchase, form);
  if (!input) return { ok: false, error: "invalid_input" };
  const result = await asActionResult(async () => ({
    outcome: await subscribe(await appBillingDeps(), { userId: user.id, ...input, returnUrl: RETURN_URL() }),
  }));
  // SUB-6: the form says whether this replaces a valid plan, only to word the notice.
  return result.ok ? afterPayment(result.outcome, form.get("replacing") === "1" ? "bought" : "subscribed") : result;
}

export async function upgradeAction(_prev: unknown, form: FormData): Promise<Result> {
  const user = await requireUser();
  const input = parse(purchase, form);
  if (!input) return { ok: false, error: "invalid_input" };
  const result = await asActionResult(async () => ({
    outcome: await upgrade(await appBillingDeps(), { userId: user.id, ...input, returnUrl: RETURN_URL() }),
  }));
  return result.ok ? afterPayment(result.outcome, "upgraded") : result;
}

/** SUB-2: pay an overdue renewal now, with 3-D Secure if the bank asks; a success restores the plan. */
export async function payOverdueAction(_prev: unknown, form: FormData): Promise<Result> {
  const user = await requireUser();
  const input = parse(z.object({ requestId: z.uuid(), method }), form);
  if (!input) return { ok: false, error: "invalid_input" };
  const result = await asActionResult(async () => ({
    outcome: await payOverdue(await appBillingDeps(), {
      userId: user.id,
      requestId: input.requestId,
      returnUrl: RETURN_URL(),
      method: input.method,
    }),
  }));
  return result.ok ? afterPayment(result.outcome, "paid") : result;
}

export async function scheduleChangeAction(_prev: unknown, form: FormData): Promise<Result> {
  const user = await requireUser();
  const input = parse(plan, form);
  if (!input) return { ok: false, error: "invalid_input" };
  const result = await asActionResult(async () =>
    schedulePlanChange(await appBillingDeps(), { userId: user.id, ...input }),
  );
  return done(result, "scheduled");
}

export async function withdrawChangeAction(): Promise<Result> {
  const user = await requireUser();
  const result = await asActionResult(async () =>
    schedulePlanChange(await appBillingDeps(), { userId: user.id, withdraw: true }),
  );
  return done(result, "withdrawn");
}

/** SUB-3 cancel; a past-due subscription ends at once (SUB-7), and the notice says so. */
export async function cancelAction(): Promise<Result> {
  const user = await requireUser();
  const result = await asActionResult(async () => ({
    ended: (await cancelSubscription(await appBillingDeps(), user.id)).status === "expired",
  }));
  return done(result, result.ok && result.ended ? "ended" : "canceled");
}

export async function resumeAction(): Promise<Result> {
  const user = await requireUser();
  const result = await asActionResult(async () => resumeSubscription(await appBillingDeps(), user.id));
  return done(result, "resumed");
}

function done(result: Result, notice: string): Result {
  if (!result.ok) return result;
  revalidatePath("/", "layout");
  redirect(`/subscription?notice=${notice}`);
}
