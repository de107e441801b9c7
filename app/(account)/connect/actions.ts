"use server";

import { headers } from "next/headers";
import { getLocale } from "next-intl/server";
import { requireUser } from "@/lib/auth/session";
import { testCallFor } from "@/lib/connect/face";
import { testCallInput, type TestCallResult } from "@/lib/connect/test-call";
import { appGatewayDeps } from "@/lib/gateway/gateway-deps";
import { appOrigin } from "@/lib/http/app-url";
import { clientIp } from "@/lib/http/client-ip";
import { fieldErrorsOf, type ActionResult } from "@/lib/http/action-result";
import { appOutcomes } from "@/lib/ops/app-tally";

/** CONNECT-1: "test my key": one real call through the gateway with one of the user's own keys. */
export async function testKeyAction(_prev: unknown, form: FormData): Promise<ActionResult<{ result: TestCallResult }>> {
  const user = await requireUser();
  if (!(form instanceof FormData)) return { ok: false, error: "invalid_input" };
  const parsed = testCallInput.safeParse({
    wire: form.get("wire") ?? "",
    key: form.get("key") ?? "",
    model: form.get("model") ?? "",
  });
  if (!parsed.success) return { ok: false, error: "invalid_input", fieldErrors: fieldErrorsOf(parsed.error) };
  const [h, locale] = await Promise.all([headers(), getLocale()]);
  const result = await testCallFor(
    appGatewayDeps(),
    appOutcomes,
    { userId: user.id, clientAddress: clientIp(h), language: locale, origin: appOrigin() },
    parsed.data,
  );
  return { ok: true, result };
}
