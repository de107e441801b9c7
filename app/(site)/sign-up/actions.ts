"use server";

import { cookies, headers } from "next/headers";
import { z } from "zod";
import { issueMagicLink } from "@/lib/auth/magic-link";
import { signUpSchema } from "@/lib/auth/schemas";
import { requestSignUpFor } from "@/lib/auth/face";
import { appClock } from "@/lib/clock";
import { clientIp } from "@/lib/http/client-ip";
import { action } from "@/lib/http/action";
import type { ActionResult } from "@/lib/http/action-result";
import { sendMail } from "@/lib/mail/send";
import { admitSendFor } from "@/lib/mail/face";
import { limitsFor } from "@/lib/mail/send-throttle";
import { INVITE_COOKIE, networkOf, sightingOf } from "@/lib/referrals";

const deviceField = z.object({ device: z.string().max(64).optional() });

/**
 * SEC-2: the answer is the same for a new address and one with an account
 * (an e-mail goes to it either way, lib/auth/sign-up-request.ts); only bad
 * input and too many e-mails are refused, and neither depends on the account.
 */
export const signUpAction = action(
  signUpSchema,
  async (input, { args: [raw] }): Promise<ActionResult> => {
    const h = await headers();
    const now = await appClock().now();
    const ip = clientIp(h);
    const admitted = await admitSendFor(limitsFor("signUp", input.email, networkOf(ip)), now);
    if (!admitted.allowed)
      return {
        ok: false,
        error: "mail_throttled",
        params: { minutes: String(Math.ceil(admitted.retryAfterSeconds / 60)) },
      };
    // Where the sign-up came from and the invite link it came through (REF-1), kept until the account is made.
    const sighting = sightingOf({
      ip,
      userAgent: h.get("user-agent"),
      acceptLanguage: h.get("accept-language"),
      device: deviceField.safeParse(raw).data?.device,
    });
    await requestSignUpFor(input, {
      now,
      visitId: (await cookies()).get(INVITE_COOKIE)?.value,
      sighting,
      link: (email) => issueMagicLink(email, "/dashboard"),
      send: sendMail,
    });
    return { ok: true };
  },
  // Anyone may ask for an account; the input is the form's values as the browser sent them.
  { caller: "anyone", read: (input: unknown) => input },
);
