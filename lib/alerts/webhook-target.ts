import type { LookupAddress } from "node:dns";
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import ipaddr from "ipaddr.js";

/**
 * ALERT-1: where a subscriber's webhook may be sent. A URL is the
 * subscriber's to choose, so without care it would let them make our server
 * call its own loopback, the private network it sits in or a cloud's
 * metadata address (169.254.169.254). Every address a name resolves to must
 * be public unicast (ipaddr.js classifies the ranges, IPv4-mapped IPv6
 * included), and the connection then goes to the address that was checked,
 * not to a second lookup that could answer differently (DNS rebinding).
 * Redirects are followed by the sender one hop at a time through this check.
 */
export const WEBHOOK_URL_MAX = 2048;

export type Target = { url: URL; address: string; family: 4 | 6 };
export type TargetRefusal = "webhook_url_invalid" | "webhook_url_private" | "webhook_url_unresolvable";

export function isPublicAddress(ip: string): boolean {
  if (!ipaddr.isValid(ip)) return false;
  return ipaddr.process(ip).range() === "unicast";
}

/** The URL's shape only: http(s), no credentials, a host, bounded. */
export function parseWebhookUrl(text: string): URL | null {
  if (text.length > WEBHOOK_URL_MAX) return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return null;
  if (url.username || url.password || !url.hostname) return null;
  return url;
}

export type Resolve = (host: string) => Promise<LookupAddress[]>;
const systemResolve: Resolve = (host) => lookup(host, { all: true, verbatim: true });

/** Which addresses may be called: public ones, every one (the operator allows private ones), or a test's own rule. */
export type AddressPolicy = boolean | ((ip: string) => boolean);

export async function checkTarget(
  text: string,
  allowPrivate: AddressPolicy,
  resolve: Resolve = systemResolve,
): Promise<Target | TargetRefusal> {
  const url = parseWebhookUrl(text);
  if (!url) return "webhook_url_invalid";
  const host = url.hostname.replace(/^\[|\]$/g, "");
  let addresses: LookupAddress[];
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await resolve(host);
    } catch {
      return "webhook_url_unresolvable";
    }
  }
  if (addresses.length === 0) return "webhook_url_unresolvable";
  // One private answer is enough to refuse: a name that also points inside is not a public receiver.
  const allowed = typeof allowPrivate === "function" ? allowPrivate : allowPrivate ? () => true : isPublicAddress;
  if (addresses.some((a) => !allowed(a.address))) return "webhook_url_private";
  const first = addresses[0];
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}
