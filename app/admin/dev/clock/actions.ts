"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { advanceAppClock } from "@/lib/clock/admin";
import { demoSurfaceOpen } from "@/lib/http/demo-surface";
import { action, fromForm, plainInvalid } from "@/lib/http/action";
import type { ActionResult } from "@/lib/http/action-result";

const input = z.union([
  z.object({
    by: z.coerce
      .number()
      .int()
      .positive()
      .max(366 * 24 * 3600 * 1000),
  }),
  z.object({ to: z.coerce.date() }),
]);

/** SEC-1: role, ban and session version are read from the database before anything else (caller: admin). */
export const advanceClockAction = action(
  input,
  async (moveBy, { user: admin }): Promise<ActionResult<{ now: string }>> => {
    const result = await advanceAppClock(admin.id, "by" in moveBy ? { byMs: moveBy.by } : { to: moveBy.to });
    if (result.ok) revalidatePath("/", "layout");
    return result.ok ? { ok: true, now: result.now.toISOString() } : result;
  },
  {
    caller: "admin",
    guard: async () => ((await demoSurfaceOpen()) ? null : { ok: false, error: "demo_only_on_loopback" }),
    read: fromForm((form) => Object.fromEntries([...form.entries()].filter(([, v]) => v !== ""))),
    invalid: plainInvalid,
  },
);
