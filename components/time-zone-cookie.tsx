"use client";

import { useTimeZone } from "next-intl";
import { useRouter } from "next/navigation";
import { useEffect } from "react";

/** Tells the server the viewer's time zone once, then re-renders in it. */
export function TimeZoneCookie({ setTimeZone }: { setTimeZone: (zone: string) => Promise<{ ok: boolean }> }) {
  const serverZone = useTimeZone();
  const router = useRouter();
  useEffect(() => {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && zone !== serverZone) {
      setTimeZone(zone).then((r) => r.ok && router.refresh());
    }
  }, [serverZone, router, setTimeZone]);
  return null;
}
