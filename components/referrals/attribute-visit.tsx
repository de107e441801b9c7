"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";

/**
 * Attributes an invite-link visit (REF-1) once the checkout is on screen: the
 * page only reads, so the write is a server action (a POST), and the page is
 * drawn again with the referral discount when it changed anything.
 */
export function AttributeVisit({ action }: { action: () => Promise<{ changed: boolean }> }) {
  const router = useRouter();
  useEffect(() => {
    let live = true;
    void action().then((r) => {
      if (live && r.changed) router.refresh();
    });
    return () => {
      live = false;
    };
  }, [action, router]);
  return null;
}
