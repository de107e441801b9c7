"use client";

import { useTranslations } from "next-intl";
import { useId, useRef, useState } from "react";

/**
 * A block of settings with a copy button. Where the clipboard is not
 * available (plain-HTTP origins, denied permission) the text is selected
 * instead, so the keyboard shortcut copies it; the status line says which.
 */
export function CopyBlock({ label, text, testId }: { label: string; text: string; testId: string }) {
  const t = useTranslations("connect");
  const id = useId();
  const pre = useRef<HTMLPreElement>(null);
  const [state, setState] = useState<"idle" | "copied" | "selected">("idle");

  async function copy() {
    try {
      if (!navigator.clipboard) throw new Error("no clipboard");
      await navigator.clipboard.writeText(text);
      setState("copied");
    } catch {
      const range = document.createRange();
      if (pre.current) range.selectNodeContents(pre.current);
      window.getSelection()?.removeAllRanges();
      window.getSelection()?.addRange(range);
      setState("selected");
    }
  }

  return (
    <div className="space-y-2" data-testid={testId}>
      {/* tabIndex: a block that scrolls sideways on phones must be reachable by keyboard. */}
      <pre
        id={id}
        ref={pre}
        tabIndex={0}
        role="region"
        aria-label={label}
        className="max-w-full overflow-x-auto rounded-md border border-slate-300 bg-slate-50 p-3 font-mono text-xs leading-5 sm:text-sm"
      >
        {text}
      </pre>
      <div className="flex flex-wrap items-center gap-3">
        <button type="button" className="btn-secondary py-1 text-sm" onClick={copy}>
          {t("copy")}
          <span className="sr-only"> {label}</span>
        </button>
        <span role="status" className="text-sm text-slate-700">
          {state === "copied" ? t("copied") : state === "selected" ? t("selected") : ""}
        </span>
      </div>
    </div>
  );
}
