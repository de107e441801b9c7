"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { z } from "zod";
import { requireUser } from "@/lib/auth/session";
import { appClock } from "@/lib/clock";
import { db } from "@/lib/db";
import type { ActionResult } from "@/lib/http/action-result";
import { clientIp } from "@/lib/http/client-ip";
import { appUrl } from "@/lib/http/app-url";
import { isLocale } from "@/lib/i18n/config";
import { sendMail } from "@/lib/mail/send";
import { inviteByEmail, networkOf } from "@/lib/referrals";

const input = z.object({ email: z.string().max(320) });

/** REF-1: the subscriber sends their invite link to a friend's address. */
export async function inviteByEmailAction(_prev: unknown, form: FormData): Promise<ActionResult<{ email: string }>> {
  const user = await requireUser();
  // The type is the browser's promise only: a hand-made call can pass anything, which is bad input, not a 500.
  if (!(form instanceof FormData)) return { ok: false, error: "invalid_input" };
  const parsed = input.safeParse(Object.fromEntries(form.entries()));
  if (!parsed.success) return { ok: false, error: "invalid_email" };
  const result = await inviteByEmail(db(), {
    inviterId: user.id,
    email: parsed.data.email,
    network: networkOf(clientIp(await headers())),
    locale: isLocale(user.locale) ? user.locale : "en",
    link: (code) => appUrl(`/r/${code}`),
    send: sendMail,
    now: await appClock().now(),
  });
  if (!result.ok) return { ok: false, error: result.error };
  revalidatePath("/referrals");
  return { ok: true, email: parsed.data.email.trim().toLowerCase() };
}
