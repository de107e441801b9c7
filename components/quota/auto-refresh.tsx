"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useEffect, useTransition } from "react";

const EVERY_MS = 15_000;

/**
 * Re-renders the page on the server every 15 s while it is visible, so the
 * windows follow use and refills without a reload. A hidden tab asks nothing
 * and catches up as soon as it is shown again. `renderedAt` is the app clock's
 * time of the last render (the test clock outside production), not the
 * browser's.
 */
export function AutoRefresh({ renderedAt }: { renderedAt: string }) {
  const t = useTranslations("usage");
  const format = useFormatter();
  const router = useRouter();
  const [pending, start] = useTransition();

  useEffect(() => {
    const refresh = () => start(() => router.refresh());
    let timer: ReturnType<typeof setInterval> | null = null;
    const sync = () => {
      if (timer) clearInterval(timer);
      timer = null;
      if (document.visibilityState !== "visible") return;
      timer = setInterval(refresh, EVERY_MS);
    };
    const onVisibility = () => {
      if (document.visibilityState === "visible") refresh();
      sync();
    };
    sync();
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      if (timer) clearInterval(timer);
      document.removeEventListener("visibilitychange", onVisibility);
    };
  }, [router]);

  return (
    <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-slate-600">
      <p data-testid="updated-at">
        {t("updatedAt", { time: format.dateTime(new Date(renderedAt), { timeStyle: "medium" }) })}
      </p>
      <p>{t("autoRefresh")}</p>
      <button
        type="button"
        className="btn-secondary px-3 py-1"
        disabled={pending}
        onClick={() => start(() => router.refresh())}
      >
        {t("refresh")}
      </button>
    </div>
  );
}
