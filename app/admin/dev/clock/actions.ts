"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { adminForAction } from "@/lib/auth/session";
import { advanceAppClock } from "@/lib/clock/admin";
import { demoSurfaceOpen } from "@/lib/http/demo-surface";
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

export async function advanceClockAction(_prev: unknown, form: FormData): Promise<ActionResult<{ now: string }>> {
  // SEC-1: role, ban and session version read from the database before anything else.
  const gate = await adminForAction();
  if (!gate.ok) return gate;
  const { admin } = gate;
  if (!(await demoSurfaceOpen())) return { ok: false, error: "demo_only_on_loopback" };
  const parsed = input.safeParse(Object.fromEntries([...form.entries()].filter(([, v]) => v !== "")));
  if (!parsed.success) return { ok: false, error: "invalid_input" };
  const result = await advanceAppClock(
    admin.id,
    "by" in parsed.data ? { byMs: parsed.data.by } : { to: parsed.data.to },
  );
  if (result.ok) revalidatePath("/", "layout");
  return result.ok ? { ok: true, now: result.now.toISOString() } : result;
}
