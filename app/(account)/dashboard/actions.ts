"use server";

import { z } from "zod";
import { signOutEverywhereFor } from "@/lib/auth/face";
import { appClock } from "@/lib/clock";
import { action } from "@/lib/http/action";
import type { ActionResult } from "@/lib/http/action-result";

/**
 * SEC-1: "sign out everywhere" ends every session of the account, this one
 * too; the button then clears this browser's cookie and shows the sign-in page.
 */
export const signOutEverywhereAction = action(
  z.undefined(),
  async (_none, { user }): Promise<ActionResult> => {
    await signOutEverywhereFor(user.id, await appClock().now());
    return { ok: true };
  },
  // The button sends nothing: there is no input to read.
  { read: () => undefined },
);
