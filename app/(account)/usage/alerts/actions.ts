"use server";

import { revalidatePath } from "next/cache";
import { alertsFor, checkTarget, settingsInput, type TestSendResult } from "@/lib/alerts";
import { requireUser } from "@/lib/auth/session";
import { appClock } from "@/lib/clock";
import { action, fromForm } from "@/lib/http/action";
import type { ActionResult } from "@/lib/http/action-result";
import { parseMoney } from "@/lib/money/parse";

/**
 * ALERT-1: saves the subscriber's thresholds and channels. A webhook URL is
 * checked as the sender will check it (public addresses only, unless the
 * operator allows private ones) so a bad one is refused here, next to its
 * field, and nothing is saved.
 */
export const saveAlertsAction = action(
  settingsInput,
  async (input, { user }): Promise<ActionResult> => {
    const alerts = alertsFor(user.id);
    const currency = await alerts.currency();
    const lowBalanceMinor = input.lowBalance === "" ? null : parseMoney(input.lowBalance, currency);
    if (input.lowBalance !== "" && lowBalanceMinor === null)
      return { ok: false, error: "invalid_input", fieldErrors: { lowBalance: "alert_balance_invalid" } };
    if (input.webhookUrl !== "") {
      const target = await checkTarget(input.webhookUrl, alerts.allowPrivate());
      if (typeof target === "string") return { ok: false, error: "invalid_input", fieldErrors: { webhookUrl: target } };
    }
    const { fiveHour, weekly, monthly, byEmail, inApp } = input;
    await alerts.save(
      { fiveHour, weekly, monthly, lowBalanceMinor, currency, byEmail, inApp, webhookUrl: input.webhookUrl || null },
      await appClock().now(),
    );
    revalidatePath("/usage/alerts");
    return { ok: true };
  },
  {
    // A form that lacks its own fields is not this screen's (an empty field is sent as ""): refuse it, save nothing.
    read: fromForm((form) => ({
      fiveHour: form.get("fiveHour"),
      weekly: form.get("weekly"),
      monthly: form.get("monthly"),
      lowBalance: form.get("lowBalance"),
      byEmail: form.get("byEmail") === "on",
      inApp: form.get("inApp") === "on",
      webhookUrl: form.get("webhookUrl"),
    })),
  },
);

/**
 * Not through action(): it takes no input and answers the receiver's reply
 * (TestSendResult), which its button reads; there is no refusal to map, and
 * an error belongs on the error page as before. The session is checked here.
 */
/** The "send test" button: one signed message to the saved URL, answered with what the receiver said. */
export async function sendTestAction(): Promise<TestSendResult> {
  const user = await requireUser();
  const result = await alertsFor(user.id).sendTest(await appClock().now());
  revalidatePath("/usage/alerts");
  return result;
}
