"use server";

import { headers } from "next/headers";
import { signUpSchema } from "@/lib/auth/schemas";
import { signUp } from "@/lib/auth/users";
import { appClock } from "@/lib/clock";
import { db } from "@/lib/db";
import { clientIp } from "@/lib/http/client-ip";
import { fieldErrorsOf, type ActionResult } from "@/lib/http/action-result";

export async function signUpAction(input: unknown): Promise<ActionResult> {
  const parsed = signUpSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: "invalid_input", fieldErrors: fieldErrorsOf(parsed.error) };
  const result = await signUp(db(), parsed.data, { now: await appClock().now(), ip: clientIp(await headers()) });
  if (!result.ok) return { ok: false, error: result.error, fieldErrors: { email: result.error } };
  return { ok: true };
}
