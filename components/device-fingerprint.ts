"use client";

/**
 * What this browser tells about itself, hashed (SHA-256, hex): the "device"
 * the referral fraud rules compare (lib/referrals/device.ts). Nothing here is
 * stored raw. Empty when the browser has no Web Crypto (an insecure origin):
 * the server then falls back to the user agent.
 */
export async function deviceFingerprint(): Promise<string> {
  if (typeof window === "undefined" || !window.crypto?.subtle) return "";
  const nav = navigator as Navigator & { deviceMemory?: number };
  const parts = [
    nav.userAgent,
    (nav.languages ?? []).join(","),
    Intl.DateTimeFormat().resolvedOptions().timeZone,
    `${screen.width}x${screen.height}x${screen.colorDepth}`,
    String(window.devicePixelRatio),
    nav.platform,
    String(nav.hardwareConcurrency ?? ""),
    String(nav.deviceMemory ?? ""),
    String(nav.maxTouchPoints ?? ""),
  ];
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(parts.join("|")));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
