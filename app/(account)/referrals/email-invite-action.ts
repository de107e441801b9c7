"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { z } from "zod";
import { appClock } from "@/lib/clock";
import { action } from "@/lib/http/action";
import type { ActionResult } from "@/lib/http/action-result";
import { clientIp } from "@/lib/http/client-ip";
import { appUrl } from "@/lib/http/app-url";
import { isLocale } from "@/lib/i18n/config";
import { sendMail } from "@/lib/mail/send";
import { networkOf } from "@/lib/referrals";
import { inviteByEmailFor } from "@/lib/referrals/face";

const input = z.object({ email: z.string().max(320) });

/** REF-1: the subscriber sends their invite link to a friend's address. */
export const inviteByEmailAction = action(
  input,
  async ({ email }, { user }): Promise<ActionResult<{ email: string }>> => {
    const result = await inviteByEmailFor({
      inviterId: user.id,
      email,
      network: networkOf(clientIp(await headers())),
      locale: isLocale(user.locale) ? user.locale : "en",
      link: (code) => appUrl(`/r/${code}`),
      send: sendMail,
      now: await appClock().now(),
    });
    if (!result.ok) return { ok: false, error: result.error };
    revalidatePath("/referrals");
    return { ok: true, email: email.trim().toLowerCase() };
  },
  { invalid: () => ({ ok: false, error: "invalid_email" }) },
);
