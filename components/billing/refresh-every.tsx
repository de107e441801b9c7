"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";

/** Draws the page again on the server every `ms` while it is visible: the WeChat Pay code page waits for the webhook this way. */
export function RefreshEvery({ ms }: { ms: number }) {
  const router = useRouter();
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") router.refresh();
    }, ms);
    return () => clearInterval(timer);
  }, [ms, router]);
  return null;
}
