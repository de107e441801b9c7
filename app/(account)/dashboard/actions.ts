"use server";

import { requireUser } from "@/lib/auth/session";
import { signOutEverywhere } from "@/lib/auth/sign-out-everywhere";
import { appClock } from "@/lib/clock";
import { db } from "@/lib/db";
import type { ActionResult } from "@/lib/http/action-result";

/**
 * SEC-1: "sign out everywhere" ends every session of the account, this one
 * too; the button then clears this browser's cookie and shows the sign-in page.
 */
export async function signOutEverywhereAction(): Promise<ActionResult> {
  const user = await requireUser();
  await signOutEverywhere(db(), user.id, await appClock().now());
  return { ok: true };
}
