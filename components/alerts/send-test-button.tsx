"use client";

import { useTranslations } from "next-intl";
import { useState, useTransition } from "react";
import type { TestSendResult } from "@/lib/alerts/test-send";

/** ALERT-1's "send test": one signed message now, and what the receiver answered. */
export function SendTestButton({ action }: { action: () => Promise<TestSendResult> }) {
  const t = useTranslations("alerts");
  const [result, setResult] = useState<TestSendResult | null>(null);
  const [pending, start] = useTransition();
  return (
    <div className="space-y-2">
      <button
        type="button"
        className="btn-secondary"
        disabled={pending}
        onClick={() => start(async () => setResult(await action()))}
      >
        {pending ? t("sendingTest") : t("sendTest")}
      </button>
      <div aria-live="polite">
        {result && (
          <p
            role="status"
            data-testid="test-result"
            className={`rounded-lg p-3 text-sm ${result.ok && result.delivered ? "bg-green-50 text-green-900" : "bg-red-50 text-red-800"}`}
          >
            {!result.ok
              ? t("testNoWebhook")
              : result.delivered
                ? t("testDelivered", { status: result.status ?? 200 })
                : t("testFailed", { answer: result.status !== null ? String(result.status) : (result.error ?? "") })}
          </p>
        )}
      </div>
    </div>
  );
}
