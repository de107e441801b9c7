"use client";

import { useTranslations } from "next-intl";

// Friendly page for unexpected errors; the details stay in the server log.
export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const t = useTranslations("errors");
  return (
    <div className="card mx-auto max-w-md text-center" role="alert">
      <h1 className="mb-2 text-xl font-semibold">{t("title")}</h1>
      <p className="mb-4 text-slate-600">{t("body")}</p>
      <button type="button" className="btn-primary" onClick={reset}>
        {t("retry")}
      </button>
    </div>
  );
}
