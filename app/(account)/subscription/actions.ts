"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import {
  appBillingDeps,
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
import { action, plainInvalid } from "@/lib/http/action";
import type { ActionResult } from "@/lib/http/action-result";
import { paymentReturnUrl } from "@/lib/http/app-url";
import { PAY_METHODS, RECURRING_WALLETS } from "@/lib/payments";
import { paymentStepUrl } from "@/lib/payments/wallet-payment";

const RETURN_URL = () => paymentReturnUrl("/subscription");

const plan = z.object({ tier: z.enum(TIERS), cycle: z.enum(CYCLES) });
const method = z.enum(PAY_METHODS).optional();
/**
 * PAY-3: the box "save this wallet for renewals" names its wallet, so it
 * applies only when that wallet is the one paid with (the buyer may tick it,
 * then pick another method).
 */
const paying = z
  .object({ method, saveForRenewals: z.enum(RECURRING_WALLETS).optional() })
  .transform(({ method: m, saveForRenewals: save }) => ({
    method: m,
    saveForRenewals: save !== undefined && save === m,
  }));
const purchase = plan.extend({ requestId: z.uuid() }).and(paying);

type Result = ActionResult<object>;

/** Every subscription form answers bad input the same way: invalid_input, with no field to point at. */
const form = { invalid: plainInvalid };
/** The buttons that send nothing (withdraw, cancel, resume). */
const noInput = { read: () => undefined };

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

export const subscribeAction = action(
  purchase,
  async (input, { user, args: [, sent] }): Promise<Result> => {
    const outcome = await subscribe(await appBillingDeps(), { userId: user.id, ...input, returnUrl: RETURN_URL() });
    // SUB-6: the form says whether this replaces a valid plan, only to word the notice.
    return afterPayment(outcome, sent.get("replacing") === "1" ? "bought" : "subscribed");
  },
  form,
);

export const upgradeAction = action(
  purchase,
  async (input, { user }): Promise<Result> =>
    afterPayment(
      await upgrade(await appBillingDeps(), { userId: user.id, ...input, returnUrl: RETURN_URL() }),
      "upgraded",
    ),
  form,
);

/** SUB-2: pay an overdue renewal now, with 3-D Secure if the bank asks; a success restores the plan. */
export const payOverdueAction = action(
  z.object({ requestId: z.uuid() }).and(paying),
  async (input, { user }): Promise<Result> => {
    const outcome = await payOverdue(await appBillingDeps(), {
      userId: user.id,
      requestId: input.requestId,
      returnUrl: RETURN_URL(),
      method: input.method,
      saveForRenewals: input.saveForRenewals,
    });
    return afterPayment(outcome, "paid");
  },
  form,
);

export const scheduleChangeAction = action(
  plan,
  async (input, { user }): Promise<Result> => {
    await schedulePlanChange(await appBillingDeps(), { userId: user.id, ...input });
    return done("scheduled");
  },
  form,
);

export const withdrawChangeAction = action(
  z.undefined(),
  async (_none, { user }): Promise<Result> => {
    await schedulePlanChange(await appBillingDeps(), { userId: user.id, withdraw: true });
    return done("withdrawn");
  },
  noInput,
);

/** SUB-3 cancel; a past-due subscription ends at once (SUB-7), and the notice says so. */
export const cancelAction = action(
  z.undefined(),
  async (_none, { user }): Promise<Result> => {
    const ended = (await cancelSubscription(await appBillingDeps(), user.id)).status === "expired";
    return done(ended ? "ended" : "canceled");
  },
  noInput,
);

export const resumeAction = action(
  z.undefined(),
  async (_none, { user }): Promise<Result> => {
    await resumeSubscription(await appBillingDeps(), user.id);
    return done("resumed");
  },
  noInput,
);

function done(notice: string): never {
  revalidatePath("/", "layout");
  redirect(`/subscription?notice=${notice}`);
}
