"use server";

import { headers } from "next/headers";
import { getLocale } from "next-intl/server";
import { testCallFor } from "@/lib/connect/face";
import { testCallInput, type TestCallResult } from "@/lib/connect/test-call";
import { appGatewayDeps } from "@/lib/gateway/gateway-deps";
import { appOrigin } from "@/lib/http/app-url";
import { clientIp } from "@/lib/http/client-ip";
import { action, fromForm } from "@/lib/http/action";
import type { ActionResult } from "@/lib/http/action-result";
import { appOutcomes } from "@/lib/ops/app-tally";

/** CONNECT-1: "test my key": one real call through the gateway with one of the user's own keys. */
export const testKeyAction = action(
  testCallInput,
  async (call, { user }): Promise<ActionResult<{ result: TestCallResult }>> => {
    const [h, locale] = await Promise.all([headers(), getLocale()]);
    const result = await testCallFor(
      appGatewayDeps(),
      appOutcomes,
      { userId: user.id, clientAddress: clientIp(h), language: locale, origin: appOrigin() },
      call,
    );
    return { ok: true, result };
  },
  {
    read: fromForm((form) => ({
      wire: form.get("wire") ?? "",
      key: form.get("key") ?? "",
      model: form.get("model") ?? "",
    })),
  },
);
