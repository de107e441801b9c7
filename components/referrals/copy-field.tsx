"use client";

import { useTranslations } from "next-intl";
import { useId, useRef, useState } from "react";

/**
 * A read-only value with a copy button. Where the clipboard is not available
 * (plain-HTTP origins, denied permission) the value is selected instead, so
 * the keyboard shortcut copies it; the status line says which happened.
 */
export function CopyField({
  label,
  value,
  copyLabel,
  testId,
}: {
  label: string;
  value: string;
  copyLabel: string;
  testId: string;
}) {
  const t = useTranslations("referrals");
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<"idle" | "copied" | "selected">("idle");

  async function copy() {
    try {
      if (!navigator.clipboard) throw new Error("no clipboard");
      await navigator.clipboard.writeText(value);
      setState("copied");
    } catch {
      input.current?.focus();
      input.current?.select();
      setState("selected");
    }
  }

  return (
    <div data-testid={testId}>
      <label htmlFor={id} className="label">
        {label}
      </label>
      <div className="flex flex-col gap-2 sm:flex-row">
        <input
          id={id}
          ref={input}
          readOnly
          value={value}
          onFocus={(e) => e.currentTarget.select()}
          className="field min-w-0 flex-1 font-mono text-sm"
        />
        <button type="button" className="btn-secondary min-w-28 shrink-0 self-start sm:self-auto" onClick={copy}>
          {copyLabel}
        </button>
      </div>
      <p role="status" className="mt-1 min-h-5 text-sm text-slate-700">
        {state === "copied" ? t("copied") : state === "selected" ? t("selected") : ""}
      </p>
    </div>
  );
}
