"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";

/**
 * The one showing of a new key's secret. Focus moves to it so a screen reader
 * user hears the warning; the secret selects whole with one click, for when
 * the clipboard is not available (plain-HTTP origins, denied permission).
 */
export function NewKeySecret({ name, secret, onDone }: { name: string; secret: string; onDone: () => void }) {
  const t = useTranslations("keys");
  const [copy, setCopy] = useState<"idle" | "copied" | "failed">("idle");
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => heading.current?.focus(), []);

  async function copyToClipboard() {
    try {
      await navigator.clipboard.writeText(secret);
      setCopy("copied");
    } catch {
      setCopy("failed");
    }
  }

  return (
    <section
      aria-labelledby="new-key-title"
      className="space-y-3 rounded-lg border-2 border-amber-500 bg-amber-50 p-4"
      data-testid="new-key"
    >
      <h3 id="new-key-title" ref={heading} tabIndex={-1} className="break-words font-semibold focus:outline-none">
        {t("newTitle", { name })}
      </h3>
      <p className="text-sm font-medium text-amber-900">{t("newWarning")}</p>
      <div>
        <p className="label">{t("secretLabel")}</p>
        <code
          className="block select-all break-all rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-sm"
          data-testid="new-key-secret"
        >
          {secret}
        </code>
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <button type="button" className="btn-primary" onClick={copyToClipboard}>
          {t("copy")}
        </button>
        <button type="button" className="btn-secondary" onClick={onDone}>
          {t("done")}
        </button>
        {/* CONNECT-1: the next step after creating a key. */}
        <Link href="/connect" className="text-brand-700 underline">
          {t("connectNext")}
        </Link>
      </div>
      <p aria-live="polite" className="text-sm text-slate-700">
        {copy === "copied" ? t("copied") : copy === "failed" ? t("copyFailed") : ""}
      </p>
    </section>
  );
}
