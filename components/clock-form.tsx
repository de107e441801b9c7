"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useActionState, useState } from "react";
import type { ActionResult } from "@/lib/http/action-result";
import { useErrorText } from "./form-error";

type Action = (prev: unknown, form: FormData) => Promise<ActionResult<{ now: string }>>;

const HOUR = 3_600_000;
const PRESETS = [
  ["hour", HOUR],
  ["day", 24 * HOUR],
  ["week", 7 * 24 * HOUR],
  ["month", 30 * 24 * HOUR],
] as const;

export function ClockForm({ action }: { action: Action }) {
  const t = useTranslations("clock");
  const format = useFormatter();
  const errorText = useErrorText();
  const [state, formAction, pending] = useActionState(action, null);
  // datetime-local has no zone: the browser's zone is the viewer's, so convert here.
  const [target, setTarget] = useState("");

  return (
    <div className="space-y-6">
      <div aria-live="polite">
        {state?.ok === true && (
          <p className="rounded-lg bg-green-50 p-3 text-sm text-green-900">
            {t("advanced", {
              time: format.dateTime(new Date(state.now), { dateStyle: "medium", timeStyle: "medium" }),
            })}
          </p>
        )}
        {state?.ok === false && (
          <p role="alert" className="rounded-lg bg-red-50 p-3 text-sm text-red-800">
            {errorText(state.error)}
          </p>
        )}
      </div>
      <form action={formAction} className="card space-y-3">
        <h2 className="text-lg font-semibold">{t("advanceBy")}</h2>
        <div className="flex flex-wrap gap-2">
          {PRESETS.map(([key, ms]) => (
            <button key={key} type="submit" name="by" value={ms} className="btn-secondary" disabled={pending}>
              {t(key)}
            </button>
          ))}
        </div>
      </form>
      <form action={formAction} className="card space-y-3">
        <h2 className="text-lg font-semibold">{t("advanceTo")}</h2>
        <label htmlFor="clock-to" className="label">
          {t("advanceToLabel")}
        </label>
        <input
          id="clock-to"
          type="datetime-local"
          step="1"
          required
          className="field"
          onChange={(e) => setTarget(e.target.value ? new Date(e.target.value).toISOString() : "")}
        />
        <input type="hidden" name="to" value={target} />
        <button type="submit" className="btn-primary" disabled={pending || !target}>
          {t("submitTo")}
        </button>
      </form>
    </div>
  );
}
