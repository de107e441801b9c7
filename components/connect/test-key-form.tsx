"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import type { TestCallResult } from "@/lib/connect/test-call";
import type { ActionResult } from "@/lib/http/action-result";

type Action = (prev: unknown, form: FormData) => Promise<ActionResult<{ result: TestCallResult }>>;
// Codes with a meaning of their own in the messages (connect.codes.*); anything else reads as "other".
const KNOWN_CODES = [
  "1001",
  "401",
  "1309",
  "1113",
  "1211",
  "1311",
  "1308",
  "1310",
  "1302",
  "1210",
  "503",
  "overloaded_error",
  "api_error",
  "500",
];

/** CONNECT-1: paste a key, pick a wire and a model, make one real call; the answer or the refusal and what it means. */
export function TestKeyForm({ action, models }: { action: Action; models: string[] }) {
  const t = useTranslations("connect");
  const errors = useTranslations("errors");
  const [state, formAction, pending] = useActionState(action, null);
  const result = state?.ok ? state.result : null;
  return (
    <div className="space-y-4">
      <form action={formAction} className="grid gap-3 sm:grid-cols-2">
        <div className="sm:col-span-2">
          <label htmlFor="test-key" className="label">
            {t("keyLabel")}
          </label>
          <input
            id="test-key"
            name="key"
            type="password"
            autoComplete="off"
            spellCheck={false}
            required
            maxLength={200}
            className="field w-full font-mono"
            aria-describedby="test-key-hint"
          />
          <p id="test-key-hint" className="mt-1 text-sm text-slate-600">
            {t("keyHint")}
          </p>
        </div>
        <div>
          <label htmlFor="test-wire" className="label">
            {t("wireLabel")}
          </label>
          <select id="test-wire" name="wire" className="field w-full" defaultValue="openai">
            <option value="openai">{t("wires.openai")}</option>
            <option value="anthropic">{t("wires.anthropic")}</option>
          </select>
        </div>
        <div>
          <label htmlFor="test-model" className="label">
            {t("modelLabel")}
          </label>
          <select
            id="test-model"
            name="model"
            className="field w-full"
            defaultValue={models.includes("glm-4.7") ? "glm-4.7" : models[0]}
          >
            {models.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </div>
        <div className="sm:col-span-2">
          <button type="submit" className="btn-primary" disabled={pending}>
            {pending ? t("testing") : t("testButton")}
          </button>
        </div>
      </form>
      <div aria-live="polite" data-testid="test-result">
        {state && !state.ok && (
          <p role="alert" className="rounded-lg bg-red-50 p-3 text-sm text-red-900">
            {errors("invalid_input")}
          </p>
        )}
        {result?.ok && (
          <div className="space-y-1 rounded-lg bg-green-50 p-3 text-sm text-green-900">
            <p className="font-medium">{t("works", { model: result.model, wire: t(`wires.${result.wire}`) })}</p>
            <p className="break-words">
              {t("answer")} <q>{result.answer}</q>
            </p>
          </div>
        )}
        {result && !result.ok && result.reason === "not_your_key" && (
          <p className="rounded-lg bg-amber-50 p-3 text-sm text-amber-900">{t("notYourKey")}</p>
        )}
        {result && !result.ok && result.reason === "refused" && (
          <div className="space-y-1 rounded-lg bg-amber-50 p-3 text-sm text-amber-900">
            <p className="font-medium">{t("refused", { code: result.code, status: result.status })}</p>
            <p>{t(`codes.${KNOWN_CODES.includes(result.code) ? result.code : "other"}`)}</p>
            {result.message && (
              <p className="break-words text-amber-800">
                {t("gatewaySaid")} <q>{result.message}</q>
              </p>
            )}
          </div>
        )}
      </div>
    </div>
  );
}
